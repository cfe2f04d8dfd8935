"""The writer runs writes in order, on its own connection, and hands back results and errors."""

from __future__ import annotations

import threading

from app.services.events import Events, ShotsAdded, ShotsChanged
from app.services.writer import Writer
from app.store import repo
from app.store.errors import NotFound


def test_writes_run_in_order_off_the_callers_thread(studio):
    board = repo.create_board(studio, "B")
    results, threads = [], []
    writer = Writer(studio.path)
    for name in ("one", "two", "three"):
        writer.submit(lambda s, n=name: (threads.append(threading.current_thread().name),
                                         repo.create_board(s, n).name)[1],
                      lambda r, e: results.append((r, e)))
    writer.submit(lambda s: repo.get_shot(s, 999), lambda r, e: results.append((r, type(e))))
    assert writer.wait_idle(30)
    writer.close()
    assert results == [("one", None), ("two", None), ("three", None), (None, NotFound)]
    assert set(threads) == {"atelier-writer"}
    assert [b.name for b in repo.list_boards(studio)][:1] == [board.name] or \
        {"one", "two", "three"} <= {b.name for b in repo.list_boards(studio)}


def test_close_finishes_what_was_asked(studio):
    writer = Writer(studio.path)
    for i in range(5):
        writer.submit(lambda s, i=i: repo.create_board(s, f"board {i}"))
    writer.close()
    assert len(repo.list_boards(studio)) == 5


def test_events_reach_the_subscribers_of_their_kind():
    seen, added = [], []
    events = Events()
    events.subscribe(seen.append)
    events.subscribe(added.append, ShotsAdded)
    events.publish(ShotsChanged((1,)))
    events.publish(ShotsAdded(1, (2, 3)))
    assert [type(e) for e in seen] == [ShotsChanged, ShotsAdded] and added == [ShotsAdded(1, (2, 3))]
