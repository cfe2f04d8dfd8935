"""The render queue on the real worker: reorder and cancel waiting jobs, see progress."""

from __future__ import annotations

import pytest

from app.core.brief import Brief
from app.core.term import Term
from app.engine.jobs import RenderJob

pytestmark = pytest.mark.slow


def small_job(board_id: int, seed: int) -> RenderJob:
    brief = Brief({"subject": [Term("a model in a coat")]}, [])
    return RenderJob(board_id=board_id, brief=brief.to_dict(), seed=seed, steps=2, width=64,
                     height=64, count=1, model="demo")


def test_queue_reorders_cancels_and_finishes(window, qtbot):
    board = window.boards_panel.current_board()
    queue = window.queue_panel
    first = window.submit_job(small_job(board, 1))
    second = window.submit_job(small_job(board, 2))
    third = window.submit_job(small_job(board, 3))
    queue.move(third, -1)  # third before second (the first may already be rendering)
    assert [j for j, _ in window.worker.pending()][-2:] == [third, second]
    order = [queue._list.itemAt(i).widget() for i in range(queue._list.count() - 1)]
    assert [row.job_id for row in order].index(third) < [row.job_id for row in order].index(second)
    with qtbot.waitSignal(window.worker.cancelled, timeout=10_000):
        queue.cancel(second)
    assert queue.rows[second].state == "cancelled"
    assert not queue.rows[second].cancel.isEnabled()
    finished = []
    queue.job_finished.connect(lambda jid, ids: finished.append(jid))
    qtbot.waitUntil(lambda: len(finished) == 2, timeout=120_000)
    assert finished == [first, third]
    assert queue.rows[third].state == "finished"
    assert window.board_model.rowCount() == 8  # 6 + the two rendered, inserted on top
    queue.clear_finished()
    assert set(queue.rows) == set()
