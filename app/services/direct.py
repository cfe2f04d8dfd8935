"""Direct a shot: a note (or a raw prompt) on a shot becomes the RenderJob for its children.

The window's direction panel and `atelier direct` both build the job here, so a child
always keeps what the parent was made with — model, size, steps, guidance, scheduler,
and the seed unless new seeds are asked for — and changes only what the note asked for.
"""

from __future__ import annotations

import random

from app.core.brief import Brief
from app.engine.jobs import RenderJob
from app.store.records import NoteDraft


def note_draft(shot, text: str, language: str, author: str, role: str, edits) -> NoteDraft:
    """The note as it will be stored with the children (edits as `Edit` objects)."""
    return NoteDraft(shot_id=shot.id, text=text.strip(), language=language, author=author,
                     role=role, edits=[e.to_dict() for e in edits])


def direction_job(parent, brief: Brief, *, count: int, note: NoteDraft | None = None,
                  new_seeds: bool = False, strength: float | None = None,
                  rng: random.Random | None = None) -> RenderJob:
    """Children of `parent` rendered from `brief`. With `strength` they start from the
    parent's picture (image-to-image)."""
    seed = (rng or random).randrange(2**31) if new_seeds else parent.seed
    job = RenderJob(board_id=parent.board_id, brief=brief.to_dict(), seed=seed,
                    steps=parent.steps, guidance=parent.guidance, width=parent.width,
                    height=parent.height, count=count, model=parent.model,
                    scheduler=parent.scheduler, parent_id=parent.id, note=note,
                    init_shot_id=parent.id if strength is not None else None,
                    strength=strength)
    for name in ("adapters", "twin"):  # what the parent carries beyond the recipe, if any
        if hasattr(job, name) and getattr(parent, name, None) is not None:
            setattr(job, name, getattr(parent, name))
    job.adapters = [dict(a) for a in job.adapters]  # the parent's LoRAs (name, hash, weight), copied
    return job
