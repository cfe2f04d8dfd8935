"""A RenderJob survives being written down (the queue journal) exactly."""

import pytest

from app.engine.jobs import RenderJob
from app.store.records import NoteDraft


def test_a_job_with_its_note_round_trips_through_a_dict():
    note = NoteDraft(shot_id=3, text="geen oorbellen", language="nl", author="Sanne", role="stylist",
                     edits=[{"slot": "accessories", "op": "remove", "term": "earrings",
                             "weight_before": 0.0, "weight_after": -1.0}])
    job = RenderJob(board_id=1, brief={"subject": [{"text": "a model", "weight": 1.0}]}, seed=42,
                    steps=4, width=64, height=64, count=2, parent_id=3, note=note)
    again = RenderJob.from_dict(job.to_dict())
    assert again == job and isinstance(again.note, NoteDraft)


def test_a_written_job_with_impossible_settings_is_refused_on_reading():
    d = RenderJob(board_id=1, brief={}, seed=1).to_dict()
    d["width"] = 63
    with pytest.raises(ValueError, match="multiple of 8"):
        RenderJob.from_dict(d)
