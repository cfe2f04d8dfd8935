"""Change events: what changed in the studio, for whoever shows it.

Models and panels subscribe to one `Events` hub instead of refreshing one another by hand
(the board's rows, the boards' counts, the history, the status-bar count all follow from
one published event). Plain Python: handlers are called in the thread that publishes; the
window publishes only on its GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable


@dataclass(frozen=True)
class ShotsChanged:
    """Decisions or ratings changed these shots (their rows are re-read)."""
    ids: tuple[int, ...]
    board_id: int | None = None


@dataclass(frozen=True)
class ShotsAdded:
    """New shots on a board (a render finished, or one image of it)."""
    board_id: int
    ids: tuple[int, ...]
    note_id: int | None = None


@dataclass(frozen=True)
class ShotsRemoved:
    """Shots taken back (an undone note)."""
    board_id: int | None
    ids: tuple[int, ...]


@dataclass(frozen=True)
class BoardsChanged:
    """A board was created, renamed, decided on, or changed by another process."""
    board_id: int | None = None
    external: bool = False


@dataclass(frozen=True)
class StudioChanged:
    """A studio was opened or closed (the window's panels re-read everything)."""
    path: str | None = None


@dataclass(frozen=True)
class TalentChanged:
    """A talent, consent or board use changed: twin shots are checked again."""
    talent: str | None = None


Event = ShotsChanged | ShotsAdded | ShotsRemoved | BoardsChanged | StudioChanged | TalentChanged


@dataclass
class Events:
    _handlers: list[tuple[type | None, Callable]] = field(default_factory=list)

    def subscribe(self, handler: Callable, kind: type | None = None) -> None:
        """Call `handler(event)` for every event (or only those of `kind`)."""
        self._handlers.append((kind, handler))

    def unsubscribe(self, handler: Callable) -> None:
        self._handlers = [(k, h) for k, h in self._handlers if h is not handler]

    def publish(self, event) -> None:
        for kind, handler in list(self._handlers):
            if kind is None or isinstance(event, kind):
                handler(event)
