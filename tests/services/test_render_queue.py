"""The render queue's model: one state per job, the order people see, the journal."""

from __future__ import annotations

import json

from app.core.brief import Brief
from app.core.term import Term
from app.engine.jobs import RenderJob
from app.services.render_queue import JobState, RenderQueue
from app.store.queue_journal import FILE


def job(seed: int, steps=2, count=2) -> RenderJob:
    brief = Brief({"subject": [Term("a model in a coat")]}, [])
    return RenderJob(board_id=1, brief=brief.to_dict(), seed=seed, steps=steps, count=count)


def test_the_running_job_is_on_top_and_ended_jobs_go_below(tmp_path):
    changed = []
    q = RenderQueue(on_change=changed.append)
    for i in range(1, 4):
        q.add(f"j{i}", job(i))
    assert q.order() == ["j1", "j2", "j3"]
    q.set_state("j2", JobState.LOADING, "demo")  # the worker took j2 first (reordered)
    q.reorder(["j3", "j1"])
    assert q.order() == ["j2", "j3", "j1"]
    q.progress("j2", 3, 4)
    assert q.entries["j2"].state is JobState.RENDERING and q.entries["j2"].total == 4
    q.finished("j2", [10, 11])
    assert q.order() == ["j3", "j1", "j2"]
    q.set_state("j2", JobState.RENDERING)  # a late signal: an ended job stays ended
    assert q.entries["j2"].state is JobState.FINISHED
    assert q.entries["j2"].status_text() == "Done · 2 new shot(s)"
    assert "j2" in changed


def test_model_default_steps_are_unknown_until_the_job_says():
    q = RenderQueue()
    entry = q.add("j1", job(1, steps=None))
    assert entry.total is None
    q.progress("j1", 1, 8)
    assert (entry.step, entry.total) == (1, 8)


def test_a_cancelled_job_keeps_the_images_it_stored():
    q = RenderQueue()
    q.add("j1", job(1, count=4))
    q.set_state("j1", JobState.RENDERING)
    q.stored("j1", [21])
    q.stored("j1", [21, 22])
    q.set_state("j1", JobState.CANCELLED)
    entry = q.entries["j1"]
    assert entry.shot_ids == [21, 22] and entry.status_text() == "Cancelled · 2 kept"


def test_the_journal_holds_the_jobs_not_ended_in_order(tmp_path):
    q = RenderQueue()
    q.set_journal(tmp_path)
    for i in range(1, 4):
        q.add(f"j{i}", job(i))
    q.reorder(["j3", "j1", "j2"])
    saved = json.loads((tmp_path / FILE).read_text())["jobs"]
    assert [j["seed"] for j in saved] == [3, 1, 2]
    q.set_state("j3", JobState.CANCELLED)
    q.finished("j1", [5])
    assert [j.seed for j in RenderQueue.unfinished(tmp_path)] == [2]
    q.set_state("j2", JobState.FAILED, "out of memory")
    assert not (tmp_path / FILE).exists() and RenderQueue.unfinished(tmp_path) == []


def test_an_unreadable_job_in_the_journal_skips_only_that_job(tmp_path):
    good = job(7).to_dict()
    (tmp_path / FILE).write_text(json.dumps({"version": 1, "jobs": [{"seed": "x"}, good]}))
    assert [j.seed for j in RenderQueue.unfinished(tmp_path)] == [7]
