"""The board model and the thumbnail cache, on a real studio (no window)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.store import repo
from app.store.db import open_studio
from app.ui.board.model import PAGE_SIZE, BoardModel, StatusRole
from app.ui.board.thumbnails import ThumbnailCache
from tests.ui.conftest import add_plain_shots, colour_images, shot_drafts


@pytest.fixture
def studio(studio_dir):
    with open_studio(studio_dir) as s:
        yield s


def test_model_pages_through_a_large_board(studio, qtbot):
    board = repo.create_board(studio, "Big")
    n = PAGE_SIZE * 3 + 17
    repo.add_shots(studio, shot_drafts(board.id, n), colour_images(n))
    model = BoardModel(ThumbnailCache())
    model.set_source(studio, board.id)
    assert model.rowCount() == n and model.pages_read == 1  # opened with one page
    assert model.shot_at(n - 1) is not None and model.pages_read == 2  # read when asked for
    ids = [model.shot_at(r).id for r in range(n)]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == n  # newest first, no gaps
    assert model.pages_read == 4


def test_pages_in_memory_are_bounded(studio, qtbot, monkeypatch):
    import app.ui.board.model as bm

    monkeypatch.setattr(bm, "PAGE_SIZE", 5)
    monkeypatch.setattr(bm, "MAX_PAGES", 2)
    board = repo.create_board(studio, "Bounded")
    add_plain_shots(studio, board.id, 23)
    model = BoardModel(ThumbnailCache())
    model.set_source(studio, board.id)
    seen = [model.shot_at(r).id for r in range(23)]
    assert len(model._pages) <= 2 and len(model._rows) <= 10
    assert [model.shot_at(r).id for r in range(23)] == seen  # evicted pages are read again


def test_thumbnails_load_off_the_gui_thread_and_signal_their_row(studio, qtbot):
    board = repo.create_board(studio, "Thumbs")
    add_plain_shots(studio, board.id, 3)
    model = BoardModel(ThumbnailCache())
    model.set_source(studio, board.id)
    idx = model.index(1)
    assert model.data(idx, Qt.DecorationRole) is None  # not decoded yet: asked for
    with qtbot.waitSignal(model.dataChanged, timeout=20_000) as blocker:
        pass
    changed_top, changed_bottom, roles = blocker.args
    assert changed_top.row() == changed_bottom.row() == 1
    assert Qt.DecorationRole in roles
    pixmap = model.data(idx, Qt.DecorationRole)
    assert pixmap is not None and max(pixmap.width(), pixmap.height()) <= 256


def test_cache_stays_within_its_byte_budget(studio, qtbot):
    board = repo.create_board(studio, "Many")
    shots = add_plain_shots(studio, board.id, 12)
    one = 64 * 64 * 4
    cache = ThumbnailCache(max_bytes=one * 4)
    for shot in shots:
        cache.get(shot.image, studio.images.thumb_path(shot.image))
    qtbot.waitUntil(lambda: not cache._pending, timeout=20_000)
    assert 0 < cache.bytes_used <= cache.max_bytes
    assert len(cache) <= 4


def test_a_decision_updates_exactly_its_row(studio, qtbot):
    board = repo.create_board(studio, "Decide")
    add_plain_shots(studio, board.id, 5)
    model = BoardModel(ThumbnailCache())
    model.set_source(studio, board.id)
    target = model.shot_at(2)
    repo.decide(studio, "approved", "Anna", "art-director", shot_id=target.id)
    events = []
    model.dataChanged.connect(lambda a, b, roles: events.append((a.row(), b.row(), list(roles))))
    resets = []
    model.modelReset.connect(lambda: resets.append(1))
    model.refresh_shot(target.id)
    assert [(a, b) for a, b, _ in events] == [(2, 2)]
    assert StatusRole in events[0][2]
    assert model.data(model.index(2), StatusRole) == "approved" and not resets


def test_new_shots_are_inserted_at_the_top_without_a_reset(studio, qtbot):
    board = repo.create_board(studio, "Insert")
    add_plain_shots(studio, board.id, 4)
    model = BoardModel(ThumbnailCache())
    model.set_source(studio, board.id)
    resets, inserted = [], []
    model.modelReset.connect(lambda: resets.append(1))
    model.rowsInserted.connect(lambda _p, a, b: inserted.append((a, b)))
    new = add_plain_shots(studio, board.id, 2)
    rows = model.insert_shots(new)
    assert inserted == [(0, 1)] and not resets
    assert sorted(rows) == [0, 1] and model.rowCount() == 6


def test_filters_by_status_rating_and_search(studio, qtbot):
    board = repo.create_board(studio, "Filter")
    red = add_plain_shots(studio, board.id, 3, prompt="red coat")
    blue = add_plain_shots(studio, board.id, 2, prompt="blue dress")
    repo.decide(studio, "rejected", "Anna", "art-director", reason="no", shot_id=red[0].id)
    repo.rate(studio, blue[1].id, 4)
    model = BoardModel(ThumbnailCache())
    model.set_source(studio, board.id, status="rejected")
    assert [model.shot_at(r).id for r in range(model.rowCount())] == [red[0].id]
    model.set_filters(None, 3, None)
    assert [model.shot_at(r).id for r in range(model.rowCount())] == [blue[1].id]
    model.set_filters(None, None, "blue")
    assert {model.shot_at(r).id for r in range(model.rowCount())} == {s.id for s in blue}


def test_thumbnails_are_decoded_at_the_size_they_are_shown(studio, qtbot):
    from PySide6.QtCore import QSize

    board = repo.create_board(studio, "Sizes")
    shot = repo.add_shots(studio, shot_drafts(board.id, 1), colour_images(1, size=200))[0]
    cache = ThumbnailCache()
    path = studio.images.thumb_path(shot.image)
    for box in (QSize(90, 120), QSize(300, 300)):
        with qtbot.waitSignal(cache.loaded, timeout=20_000):
            assert cache.get(shot.image, path, box) is None
        pixmap = cache.peek(shot.image, box)
        assert pixmap.width() <= box.width() and pixmap.height() <= box.height()
        assert pixmap.width() == box.width() or pixmap.height() == box.height()  # fitted
    assert cache.stand_in(shot.image) is not None and len(cache) == 2
