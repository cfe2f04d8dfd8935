"""Directing a shot: the children keep the parent's recipe and change only the brief."""

from __future__ import annotations

import random

from app.core.brief import Brief
from app.core.interpret import interpret
from app.services import direct
from app.store import repo
from tests.ui.conftest import add_plain_shots


def test_a_note_becomes_a_job_with_the_parents_recipe(studio):
    board = repo.create_board(studio, "B")
    parent = add_plain_shots(studio, board.id, 1)[0]
    before = Brief.from_dict(parent.brief)
    reading = interpret("smile a bit more", before)
    note = direct.note_draft(parent, " smile a bit more ", reading.language, "Lena", "stylist",
                             reading.edits)
    job = direct.direction_job(parent, reading.apply(before), count=2, note=note)
    assert (job.seed, job.steps, job.width, job.height, job.model, job.scheduler, job.guidance) == \
        (parent.seed, parent.steps, parent.width, parent.height, parent.model, parent.scheduler,
         parent.guidance)
    assert job.parent_id == parent.id and job.init_shot_id is None and job.count == 2
    assert note.text == "smile a bit more" and note.edits[0]["slot"] == "expression"
    assert job.brief != parent.brief
    fresh = direct.direction_job(parent, before, count=1, new_seeds=True, strength=0.4,
                                 rng=random.Random(3))
    assert fresh.seed == random.Random(3).randrange(2**31)
    assert (fresh.init_shot_id, fresh.strength) == (parent.id, 0.4)
    fresh.validate()
