"""What the engine is asked to do (RenderJob) and what it says while doing it (JobEvent).
Plain data: safe to build in any thread, to queue, and to print."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

EVENT_KINDS = ("queued", "loading", "started", "progress", "preview", "stored", "finished", "cancelled",
               "failed")
MAX_COUNT = 64
MAX_SIDE = 4096


@dataclass
class RenderJob:
    """One render request: `count` images from one brief, seeds seed, seed+1, ….
    steps/guidance/width/height None mean the model's defaults (recorded on each shot).
    With `init_shot_id` and `strength` it is image-to-image from that shot's picture."""

    board_id: int
    brief: dict
    seed: int
    steps: int | None = None
    guidance: float | None = None
    width: int | None = None
    height: int | None = None
    count: int = 1
    model: str = "demo"
    scheduler: str | None = None
    parent_id: int | None = None
    note: object | None = None  # app.store.records.NoteDraft: stored with the shots, one transaction
    init_shot_id: int | None = None
    strength: float | None = None
    twin: str | int | None = None  # a talent (name or id): consent checked, use ledgered (app/talent)
    # LoRA adapters: [{"name": name or path, "weight": 0.8, "hash": sha256 (when re-rendering)}]
    adapters: list = field(default_factory=list)

    def to_dict(self) -> dict:
        """JSON-safe, for the queue journal (app/store/queue_journal.py)."""
        return asdict(self)  # the note (a NoteDraft dataclass) becomes a dict as well

    @classmethod
    def from_dict(cls, d: dict) -> "RenderJob":
        from app.store.records import NoteDraft

        d = dict(d)
        if d.get("note") is not None:
            d["note"] = NoteDraft(**d["note"])
        job = cls(**d)
        job.validate()
        return job

    def validate(self) -> None:
        """Raise ValueError with one clear line for settings no model could render."""
        if not isinstance(self.seed, int) or not 0 <= self.seed < 2**63 - MAX_COUNT:
            raise ValueError(f"seed must be a whole number from 0 to {2**63 - MAX_COUNT - 1}")
        if self.steps is not None and not 1 <= self.steps <= 500:
            raise ValueError("steps must be between 1 and 500")
        if not 1 <= self.count <= MAX_COUNT:
            raise ValueError(f"count must be between 1 and {MAX_COUNT}")
        for side, what in ((self.width, "width"), (self.height, "height")):
            if side is not None and (side % 8 or not 64 <= side <= MAX_SIDE):
                raise ValueError(f"{what} must be a multiple of 8 between 64 and {MAX_SIDE} (got {side})")
        if self.guidance is not None and not 0 <= self.guidance <= 50:
            raise ValueError("guidance must be between 0 and 50")
        if self.strength is not None and not 0 < self.strength <= 1:
            raise ValueError("strength must be greater than 0 and at most 1")
        if self.strength is not None and self.init_shot_id is None:
            raise ValueError("strength needs a shot to start from (image-to-image)")
        for a in self.adapters or []:
            if not isinstance(a, dict) or not str(a.get("name") or a.get("path") or "").strip():
                raise ValueError("each adapter needs a name or a file")
            from app.engine.lora import weight_of

            weight_of(str(a.get("weight", 0.8)), f"adapter {a.get('name')}")


@dataclass
class JobEvent:
    """One message about a job. Fields used per kind: loading (model, message), progress
    (step, total), preview (image: a small PIL image), stored (shot_ids: the picture just
    stored), finished (shot_ids), cancelled and failed (shot_ids stored before; failed: message)."""

    kind: str
    job_id: str
    step: int = 0
    total: int = 0
    model: str = ""
    message: str = ""
    image: object | None = None
    shot_ids: list = field(default_factory=list)
