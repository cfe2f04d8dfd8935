"""The queue journal: unfinished renders survive a crash as plain JSON in the studio."""

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
