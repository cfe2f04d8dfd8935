"""Plain dataclasses that cross the repository API (no SQL, no Qt)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

# A shot's status is its latest decision; "new" when it has none.
STATUSES = ("new", "approved", "rejected", "hold", "changes-requested")
ROLES = ("stylist", "art-director", "photographer")


@dataclass(frozen=True)
class Board:
    id: int
    name: str
    created_at: str
    status: str = "new"  # latest board-level decision


@dataclass(frozen=True)
class BoardSummary:
    id: int
    name: str
    created_at: str
    status: str
    shots: int
    counts: dict  # status -> number of shots

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class ShotDraft:
    """Everything needed to render a shot again exactly; written by add_shots."""

    board_id: int
    brief: dict
    prompt: str
    negative: str
    model: str
    model_hash: str
    seed: int
    steps: int
    guidance: float
    width: int
    height: int
    scheduler: str | None
    parent_id: int | None = None
    strength: float | None = None
    adapters: list = field(default_factory=list)  # [{"name", "hash", "weight"}] LoRAs applied


# What re-renders a shot: every draft field but the board it sits on (derived, so a new
# recipe field added to ShotDraft is part of the recipe without a second list to update).
RECIPE_FIELDS = tuple(f.name for f in fields(ShotDraft) if f.name != "board_id")


@dataclass(frozen=True, kw_only=True)
class Shot:
    id: int
    board_id: int
    brief: dict
    prompt: str
    negative: str
    model: str
    model_hash: str
    seed: int
    steps: int
    guidance: float
    width: int
    height: int
    scheduler: str | None
    parent_id: int | None = None
    strength: float | None = None
    adapters: list = field(default_factory=list)  # [{"name", "hash", "weight"}] LoRAs applied
    note_id: int | None = None
    image: str = ""  # sha256 of the PNG file; studio.images.path(image)
    created_at: str = ""
    status: str = "new"
    rating: int | None = None

    def recipe(self) -> dict:
        return {k: getattr(self, k) for k in RECIPE_FIELDS}

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class NoteDraft:
    shot_id: int
    text: str
    language: str
    author: str
    role: str
    edits: list = field(default_factory=list)  # Edit.to_dict() dicts


@dataclass(frozen=True)
class EditRecord:
    id: int
    note_id: int
    slot: str
    op: str
    term: str
    weight_before: float
    weight_after: float


@dataclass(frozen=True)
class Note:
    id: int
    shot_id: int
    text: str
    language: str
    author: str
    role: str
    created_at: str
    edits: tuple = ()  # EditRecord, in the order they were made

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Decision:
    id: int
    shot_id: int | None
    board_id: int | None
    verdict: str  # approved | rejected | hold | changes-requested
    person: str
    role: str
    reason: str | None
    created_at: str
    prev_hash: str
    hash: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class BoardPage:
    board: Board
    shots: list  # Shot, newest first
    counts: dict  # status -> shots on the whole board (all statuses present, 0 if none)
    total: int  # shots matching the page's filters
    offset: int
    limit: int


@dataclass(frozen=True)
class Lineage:
    shot: Shot
    ancestors: list  # Shot, from the first shot down to the parent
    descendants: list  # Shot, breadth-first (children, then grandchildren, ...)
    notes: list  # Note that made each step from the first shot to `shot`, in order
