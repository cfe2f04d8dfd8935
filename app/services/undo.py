"""Undo and redo of an applied note.

Undo takes the note and the shots it made out of the board (the store allows it while none
of them was decided or directed further) and keeps what is needed to put them back: the
note as typed, each shot's recipe and its picture's file (image files stay until
`atelier tidy --delete`). Redo stores them again — same pictures, same recipes, the same
note — as new rows (ids are never reused), in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from app.store import repo
from app.store.errors import NotFound, StoreError
from app.store.records import NoteDraft, ShotDraft

_DRAFT_FIELDS = tuple(f.name for f in fields(ShotDraft))


@dataclass(frozen=True)
class UndoneNote:
    board_id: int
    note: NoteDraft
    drafts: tuple[ShotDraft, ...]
    images: tuple[str, ...]  # digests of the pictures in the studio's image store
    shot_ids: tuple[int, ...]  # the ids they had


def undo(studio, note_id: int, shot_ids) -> UndoneNote:
    shots = [repo.get_shot(studio, i) for i in shot_ids]
    if not shots:
        raise NotFound(f"note {note_id} made no shot here")
    note = next((n for n in repo.notes_of(studio, shots[0].parent_id) if n.id == note_id), None)
    if note is None:
        raise NotFound(f"there is no note {note_id}")
    draft = NoteDraft(shot_id=note.shot_id, text=note.text, language=note.language,
                      author=note.author, role=note.role,
                      edits=[{"slot": e.slot, "op": e.op, "term": e.term,
                              "weight_before": e.weight_before, "weight_after": e.weight_after}
                             for e in note.edits])
    drafts = tuple(ShotDraft(**{k: getattr(s, k) for k in _DRAFT_FIELDS}) for s in shots)
    repo.undo_note(studio, note_id)
    return UndoneNote(shots[0].board_id, draft, drafts, tuple(s.image for s in shots),
                      tuple(s.id for s in shots))


def redo(studio, undone: UndoneNote) -> list:
    """The shots stored again (new ids); StoreError when a picture is gone (tidied)."""
    from PIL import Image

    images = []
    for digest in undone.images:
        path = studio.images.path(digest)
        try:
            with Image.open(path) as img:
                images.append(img.convert("RGB"))
        except OSError:
            raise StoreError("the pictures of that note were tidied away; apply the note "
                             "again to render them") from None
    return repo.add_shots(studio, list(undone.drafts), images, note=undone.note)
