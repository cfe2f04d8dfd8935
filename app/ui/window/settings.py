"""What the window remembers between runs (QSettings): who is working, layout, sizes, filters.

Tests point QSettings at a temporary folder with `use_settings_dir()` so they never touch
the user's real settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings

ROLES = ("stylist", "art-director", "photographer")
ROLE_LABELS = {"stylist": "Stylist", "art-director": "Art director", "photographer": "Photographer"}
THUMB_MIN, THUMB_MAX, THUMB_DEFAULT = 96, 384, 192
MAX_RECENT = 8


@dataclass(frozen=True)
class Person:
    name: str
    role: str

    def label(self) -> str:
        return f"{self.name} ({ROLE_LABELS.get(self.role, self.role)})"


def use_settings_dir(path: Path, organization: str = "Atelier") -> None:
    """Keep all settings as INI files under `path` (tests, portable installs)."""
    QCoreApplication.setOrganizationName(organization)
    QCoreApplication.setApplicationName("Atelier")
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(path))


class Settings:
    """Typed access to the few values the window keeps."""

    def __init__(self) -> None:
        self._s = QSettings()

    # who is working
    def person(self) -> Person | None:
        name = str(self._s.value("person/name", "") or "").strip()
        role = str(self._s.value("person/role", "") or "")
        if not name or role not in ROLES:
            return None
        return Person(name, role)

    def set_person(self, person: Person) -> None:
        self._s.setValue("person/name", person.name)
        self._s.setValue("person/role", person.role)

    # layout
    def geometry(self) -> QByteArray | None:
        value = self._s.value("window/geometry", QByteArray())
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def state(self) -> QByteArray | None:
        value = self._s.value("window/state", QByteArray())
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_layout(self, geometry: QByteArray, state: QByteArray) -> None:
        self._s.setValue("window/geometry", geometry)
        self._s.setValue("window/state", state)

    def thumb_size(self) -> int:
        try:
            size = int(self._s.value("board/thumb_size", THUMB_DEFAULT))
        except (TypeError, ValueError):
            size = THUMB_DEFAULT
        return max(THUMB_MIN, min(THUMB_MAX, size))

    def set_thumb_size(self, size: int) -> None:
        self._s.setValue("board/thumb_size", int(size))

    def filters(self) -> tuple[str | None, int | None]:
        status = self._s.value("board/status_filter", "") or None
        try:
            rating = int(self._s.value("board/min_rating", 0)) or None
        except (TypeError, ValueError):
            rating = None
        return (str(status) if status else None), rating

    def set_filters(self, status: str | None, min_rating: int | None) -> None:
        self._s.setValue("board/status_filter", status or "")
        self._s.setValue("board/min_rating", int(min_rating or 0))

    def last_board(self) -> int | None:
        try:
            return int(self._s.value("board/last", 0)) or None
        except (TypeError, ValueError):
            return None

    def set_last_board(self, board_id: int | None) -> None:
        self._s.setValue("board/last", int(board_id or 0))
        self._s.sync()  # written now: a crash should not send the person back elsewhere

    # studios
    def recent_studios(self) -> list[str]:
        value = self._s.value("studio/recent", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or []) if v]

    def add_recent_studio(self, path: Path | str) -> None:
        path = str(Path(path).expanduser().resolve())
        recent = [p for p in self.recent_studios() if p != path]
        self._s.setValue("studio/recent", [path, *recent][:MAX_RECENT])

    def last_studio(self) -> str | None:
        recent = self.recent_studios()
        return recent[0] if recent else None

    def sync(self) -> None:
        self._s.sync()
