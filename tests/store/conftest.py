"""Store fixtures: an open studio, a board, and drafts/images to fill it with."""

from __future__ import annotations

import pytest
from PIL import Image

from app.store import repo
from app.store.records import NoteDraft, ShotDraft


def draft(board_id, prompt="a model in a red coat, (smiling)1.1", parent_id=None, seed=42):
    return ShotDraft(board_id=board_id, brief={"subject": [{"text": "a model", "weight": 1.0}]},
                     prompt=prompt, negative="blurry", model="demo", model_hash="abc123",
                     seed=seed, steps=20, guidance=7.5, width=64, height=64, scheduler="ddim",
                     parent_id=parent_id)


def image(color="red", size=(64, 64)):
    return Image.new("RGB", size, color)


def note(shot_id, text="smile a bit more", author="Anna", role="stylist"):
    return NoteDraft(shot_id=shot_id, text=text, language="en", author=author, role=role,
                     edits=[{"slot": "expression", "op": "increase", "term": "smiling",
                             "weight_before": 1.1, "weight_after": 1.2}])


@pytest.fixture
def board(studio):
    return repo.create_board(studio, "Spring look")


@pytest.fixture
def shot(studio, board):
    return repo.add_shots(studio, [draft(board.id)], [image()])[0]
