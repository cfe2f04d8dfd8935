"""Results as they come (issue 9): each picture stored as soon as it exists, a cancel keeps
the finished ones, and a batched --count gives the pictures of N single renders."""

import threading

import numpy as np
from PIL import Image

from app.store import repo

from .conftest import small_job


def _pixels(studio, shot):
    with Image.open(studio.images.path(shot.image)) as img:
        return np.asarray(img.convert("RGB")).astype(int)


def test_each_picture_is_stored_as_soon_as_it_exists(runner, studio, board):
    events = []

    def emit(event):
        if event.kind == "stored":  # already on the board when the event comes
            events.append((event.shot_ids, repo.board_page(studio, board.id).total))
        elif event.kind == "finished":
            events.append(("finished", event.shot_ids))

    shots = runner.run(studio, small_job(board.id, count=3), emit, threading.Event())
    ids = [s.id for s in shots]
    assert events == [([ids[0]], 1), ([ids[1]], 2), ([ids[2]], 3), ("finished", ids)]


def test_a_cancel_keeps_the_pictures_already_finished(runner, studio, board):
    cancel = threading.Event()
    seen = []

    def emit(event):
        seen.append(event)
        if event.kind == "progress" and event.step == 5:  # image 2's first step (4 steps each)
            cancel.set()

    shots = runner.run(studio, small_job(board.id, steps=4, count=3), emit, cancel)
    assert [s.seed for s in shots] == [7]
    assert seen[-1].kind == "cancelled" and seen[-1].shot_ids == [shots[0].id]
    assert repo.board_page(studio, board.id).total == 1
    assert len(list(studio.images.root.rglob("*.png"))) == 1  # no half-made picture


def test_the_pictures_of_one_note_share_it(runner, studio, board):
    from app.store.records import NoteDraft

    parent = runner.run(studio, small_job(board.id), None, threading.Event())[0]
    note = NoteDraft(shot_id=parent.id, text="smile more", language="en", author="Ann", role="stylist",
                     edits=[{"slot": "expression", "op": "increase", "term": "smiling",
                             "weight_before": 1.0, "weight_after": 1.2}])
    children = runner.run(studio, small_job(board.id, count=2, parent_id=parent.id, note=note), None,
                          threading.Event())
    (stored_note,) = repo.notes_of(studio, parent.id)
    assert [c.note_id for c in children] == [stored_note.id] * 2
    assert all(c.parent_id == parent.id for c in children)


def test_a_batch_gives_the_pictures_of_single_renders(runner, studio, board, monkeypatch):
    singles = [runner.run(studio, small_job(board.id, seed=s), None, threading.Event())[0] for s in (20, 21, 22)]
    monkeypatch.setenv("ATELIER_BATCH", "3")
    events = []
    batched = runner.run(studio, small_job(board.id, seed=20, count=3), events.append, threading.Event())
    assert [s.seed for s in batched] == [20, 21, 22]
    for one, many in zip(singles, batched):
        assert np.abs(_pixels(studio, one) - _pixels(studio, many)).max() <= 2  # float sums reordered at most
    progress = [e.step for e in events if e.kind == "progress"]
    assert progress == [3, 6] and [e.kind for e in events].count("stored") == 3


def test_batches_only_on_cuda_unless_asked(runner, monkeypatch):
    monkeypatch.delenv("ATELIER_BATCH", raising=False)
    assert runner.batch_size(4, 512, 512) == 1  # the test runner is on CPU
    monkeypatch.setenv("ATELIER_BATCH", "2")
    assert runner.batch_size(4, 512, 512) == 2 and runner.batch_size(1, 512, 512) == 1


def test_on_cuda_a_batch_holds_about_four_megapixels():
    from app.engine.device import Placement
    from app.engine.runner import Runner

    r = Runner(placement=Placement("cuda", "bfloat16"))
    assert [r.batch_size(8, 1024, 1024), r.batch_size(8, 512, 512), r.batch_size(3, 512, 512),
            r.batch_size(4, 2048, 2048)] == [4, 8, 3, 1]
