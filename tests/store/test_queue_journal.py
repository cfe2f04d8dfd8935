"""The queue journal: unfinished renders survive a crash as plain JSON in the studio."""

import json

from app.store.queue_journal import FILE, load_pending, save_pending


def test_pending_jobs_round_trip_and_an_empty_queue_leaves_no_file(tmp_path):
    jobs = [{"board_id": 1, "seed": 7, "note": {"text": "lach iets meer"}}, {"board_id": 2, "seed": 8}]
    save_pending(tmp_path, jobs)
    assert load_pending(tmp_path) == jobs
    save_pending(tmp_path, [])
    assert not (tmp_path / FILE).exists() and load_pending(tmp_path) == []


def test_an_unreadable_journal_is_moved_aside_not_lost(tmp_path):
    (tmp_path / FILE).write_text('{"jobs": [{"board_id": 1', encoding="utf-8")  # cut short by a crash
    assert load_pending(tmp_path) == []
    assert (tmp_path / (FILE + ".bad")).read_text(encoding="utf-8").startswith('{"jobs"')


def test_a_queue_nested_100000_deep_is_set_aside_not_a_crash(tmp_path):
    (tmp_path / FILE).write_text('{"jobs": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    problems = []
    assert load_pending(tmp_path, problems=problems) == []
    assert "nested too deeply" in problems[0] and (tmp_path / (FILE + ".bad")).exists()
    assert not (tmp_path / FILE).exists()


def test_wrong_typed_jobs_are_left_out_and_the_file_kept_as_bad(tmp_path):
    from app.services.render_queue import RenderQueue

    good = {"board_id": 1, "brief": {"slots": {}, "negative": []}, "seed": 7}
    jobs = [good, {"board_id": 1, "brief": "not a brief", "seed": 8}, {"board_id": "x", "seed": "y"},
            {"board_id": 1, "brief": {}, "seed": 9, "steps": "many"}, {"board_id": 1, "brief": {}, "seed": 1,
                                                                       "note": "not a note"}, 5]
    (tmp_path / FILE).write_text(json.dumps({"version": 1, "jobs": jobs[:-1]}), encoding="utf-8")
    problems = []
    loaded = RenderQueue.unfinished(tmp_path, problems)
    assert [j.seed for j in loaded] == [7]
    assert "4 of 5 jobs" in problems[0] and "queue.json.bad" in problems[0]
    assert json.loads((tmp_path / (FILE + ".bad")).read_text(encoding="utf-8"))["jobs"] == jobs[:-1]
    (tmp_path / FILE).write_text(json.dumps({"jobs": jobs}), encoding="utf-8")  # not all objects
    assert RenderQueue.unfinished(tmp_path) == [] and not (tmp_path / FILE).exists()


def test_a_journal_that_is_not_text_or_too_big_is_set_aside(tmp_path):
    from app.store import queue_journal

    (tmp_path / FILE).write_bytes(b"\xff\xfe{")
    problems = []
    assert load_pending(tmp_path, problems=problems) == [] and "kept as queue.json.bad" in problems[0]
    (tmp_path / FILE).write_bytes(b" " * (queue_journal.MAX_BYTES + 1))
    assert load_pending(tmp_path) == [] and (tmp_path / (FILE + ".bad")).stat().st_size > queue_journal.MAX_BYTES
