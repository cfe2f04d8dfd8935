"""A small family of shots written straight through the store (no rendering), shared by the
compare and history tests: root → note → child → note → grandchild, plus a sibling of the
child made by another note, and an unrelated shot."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageDraw

from app.core.brief import Brief
from app.core.term import Term
from app.store import repo
from app.store.records import NoteDraft, ShotDraft


def brief(smiling=1.0, hair=None, garment="red coat", negative=("blurry",)) -> Brief:
    slots = {"subject": [Term("a model")], "garment": [Term(garment)],
             "expression": [Term("smiling", smiling)], "lighting": [Term("soft light")]}
    if hair:
        slots["hair"] = [Term(hair)]
    return Brief(slots, [Term(t) for t in negative])


def draft(board_id, b: Brief, seed=42, parent_id=None, size=96) -> ShotDraft:
    positive, negative = b.render()
    return ShotDraft(board_id=board_id, brief=b.to_dict(), prompt=positive, negative=negative,
                     model="demo", model_hash="0" * 16, seed=seed, steps=20, guidance=7.5,
                     width=size, height=size, scheduler="ddim", parent_id=parent_id)


def picture(color, mark=None, size=96) -> Image.Image:
    image = Image.new("RGB", (size, size), color)
    if mark:
        ImageDraw.Draw(image).ellipse([size // 4, size // 4, size * 3 // 4, size * 3 // 4], fill=mark)
    return image


def note(shot_id, text, edits, author="Anna", role="stylist") -> NoteDraft:
    return NoteDraft(shot_id=shot_id, text=text, language="en", author=author, role=role,
                     edits=edits)


SMILE = [{"slot": "expression", "op": "increase", "term": "smiling",
          "weight_before": 1.0, "weight_after": 1.1}]
HAIR = [{"slot": "hair", "op": "add", "term": "airy hair", "weight_before": 0.0,
         "weight_after": 1.0}]
COAT = [{"slot": "garment", "op": "set", "term": "blue coat", "weight_before": 0.0,
         "weight_after": 1.0}]


@dataclass
class Family:
    board: object
    root: object
    child: object
    grandchild: object
    sibling: object
    stranger: object
    twin: object  # same picture and recipe as root, no parent


def make_family(studio, size=96) -> Family:
    board = repo.create_board(studio, "Spring look")
    root, twin = repo.add_shots(studio, [draft(board.id, brief(), size=size),
                                         draft(board.id, brief(), size=size)],
                                [picture("#b04040", "#e0c0a0", size)] * 2)
    child, = repo.add_shots(studio, [draft(board.id, brief(1.1), parent_id=root.id, size=size)],
                            [picture("#b04040", "#f0d0b0", size)],
                            note(root.id, "smile a bit more", SMILE))
    grandchild, = repo.add_shots(
        studio, [draft(board.id, brief(1.1, hair="airy hair"), parent_id=child.id, size=size)],
        [picture("#b04040", "#f0e0c0", size)], note(child.id, "maak het haar wat luchtiger", HAIR,
                                                    author="Bram"))
    sibling, = repo.add_shots(
        studio, [draft(board.id, brief(garment="blue coat"), seed=7, parent_id=root.id, size=size)],
        [picture("#4060b0", "#e0c0a0", size)], note(root.id, "make the coat blue", COAT))
    stranger, = repo.add_shots(studio, [draft(board.id, brief(), seed=99, size=size)],
                               [picture("#303030", size=size)])
    return Family(board, root, child, grandchild, sibling, stranger, twin)
