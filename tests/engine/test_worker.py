"""The worker thread: signals, queue order, reordering, cancel (queued and running),
failures that leave the worker alive."""

import pytest
from PySide6.QtCore import QObject, QThread, Slot
from PySide6.QtGui import QImage

from app.engine.runner import OOM_MESSAGE
from app.engine.worker import Worker
from app.store import repo

from .conftest import small_job

TIMEOUT = 60_000


@pytest.fixture
def worker(runner, studio, qtbot):
    w = Worker(studio, runner=runner)
    yield w
    w.shutdown()


class Recorder(QObject):
    """Lives in the test's (GUI) thread, like a window: signals reach it queued, in order."""

    def __init__(self, worker, react=None):
        super().__init__()
        self.log = []
        self.react = react  # called with each entry, in the GUI thread
        for name in ("queued", "loading", "started", "progress", "preview", "finished", "cancelled", "failed"):
            getattr(worker, name).connect(getattr(self, "on_" + name))

    def _add(self, *entry):
        assert QThread.currentThread() is self.thread()  # never called in the worker's thread
        self.log.append(entry)
        if self.react is not None:
            self.react(entry)

    @Slot(str)
    def on_queued(self, j): self._add("queued", j)  # noqa: E704
    @Slot(str, str)
    def on_loading(self, j, m): self._add("loading", j, m)  # noqa: E704
    @Slot(str)
    def on_started(self, j): self._add("started", j)  # noqa: E704
    @Slot(str, int, int)
    def on_progress(self, j, s, t): self._add("progress", j, s, t)  # noqa: E704
    @Slot(str, QImage)
    def on_preview(self, j, im): self._add("preview", j, im)  # noqa: E704
    @Slot(str, list)
    def on_finished(self, j, ids): self._add("finished", j, ids)  # noqa: E704
    @Slot(str)
    def on_cancelled(self, j): self._add("cancelled", j)  # noqa: E704
    @Slot(str, str)
    def on_failed(self, j, m): self._add("failed", j, m)  # noqa: E704


def test_a_job_runs_with_progress_previews_and_shot_ids(worker, qtbot, studio, board):
    recorder = Recorder(worker)
    log = recorder.log
    threads = set()
    worker.progress.connect(lambda *args: threads.add(QThread.currentThread()))  # a plain lambda too
    with qtbot.waitSignal(worker.finished, timeout=TIMEOUT) as done:
        job_id = worker.submit(small_job(board.id, steps=3))
    qtbot.waitUntil(lambda: log and log[-1][0] == "finished", timeout=TIMEOUT)
    assert done.args[0] == job_id
    shots = [repo.get_shot(studio, i) for i in done.args[1]]
    assert len(shots) == 1 and shots[0].seed == 7
    names = [entry[0] for entry in log]
    assert names[0] == "queued" and names.index("started") < names.index("progress") < names.index("finished")
    assert [e[2:] for e in log if e[0] == "progress"] == [(1, 3), (2, 3), (3, 3)]
    assert all(e[1] == job_id for e in log)
    assert threads == {recorder.thread()}  # delivered in the GUI thread, never the worker's
    previews = [e[2] for e in log if e[0] == "preview"]
    assert previews and all(isinstance(p, QImage) and max(p.width(), p.height()) <= 128 for p in previews)


def test_cancel_mid_render_stores_nothing_and_the_next_job_runs(worker, qtbot, studio, board):
    ids = {}

    def cancel_after_one_step(entry):  # as a window would: from the GUI thread
        if entry[0] == "progress" and entry[1] == ids["first"] and entry[2] == 1:
            worker.cancel(entry[1])

    recorder = Recorder(worker, cancel_after_one_step)
    first = ids["first"] = worker.submit(small_job(board.id, steps=100))
    second = worker.submit(small_job(board.id, seed=99))
    qtbot.waitUntil(lambda: any(e[0] == "finished" for e in recorder.log), timeout=TIMEOUT)
    ends = [e[:2] for e in recorder.log if e[0] in ("cancelled", "finished", "failed")]
    assert ends == [("cancelled", first), ("finished", second)]
    steps_of_first = [e[2] for e in recorder.log if e[0] == "progress" and e[1] == first]
    assert max(steps_of_first) < 100  # stopped early, the final decode skipped
    page = repo.board_page(studio, board.id)
    assert page.total == 1 and page.shots[0].seed == 99
    assert len(list(studio.images.root.rglob("*.png"))) == 1


def test_queue_order_is_respected_and_move_reorders(worker, qtbot, runner, board):
    done = []
    worker.finished.connect(lambda job_id, ids: done.append(job_id))
    with runner._lock:  # hold the runner: the first job waits, the others queue behind it
        head = worker.submit(small_job(board.id, seed=1))
        qtbot.waitUntil(lambda: worker.running() == head, timeout=TIMEOUT)
        a, b, c = (worker.submit(small_job(board.id, seed=s)) for s in (2, 3, 4))
        assert [jid for jid, _ in worker.pending()] == [a, b, c]
        assert worker.move(c, 0)
        assert [jid for jid, _ in worker.pending()] == [c, a, b]
    qtbot.waitUntil(lambda: len(done) == 4, timeout=TIMEOUT)
    assert done == [head, c, a, b]


def test_cancel_a_queued_job_removes_it(worker, qtbot, runner, studio, board):
    done = []
    worker.finished.connect(lambda job_id, ids: done.append(job_id))
    with runner._lock:
        head = worker.submit(small_job(board.id, seed=1))
        qtbot.waitUntil(lambda: worker.running() == head, timeout=TIMEOUT)
        dropped = worker.submit(small_job(board.id, seed=2))
        with qtbot.waitSignal(worker.cancelled, timeout=20_000) as sig:
            assert worker.cancel(dropped)
        assert sig.args == [dropped] and worker.pending() == []
    qtbot.waitUntil(lambda: done == [head], timeout=TIMEOUT)
    assert not worker.cancel("no-such-job")
    assert repo.board_page(studio, board.id).total == 1


def test_a_failing_job_fails_alone_and_the_worker_lives_on(worker, qtbot, board):
    with qtbot.waitSignal(worker.failed, timeout=TIMEOUT) as failed:
        bad = worker.submit(small_job(board.id, model="no-such-model"))
    assert failed.args[0] == bad and "no model named" in failed.args[1]
    with qtbot.waitSignal(worker.finished, timeout=TIMEOUT):
        worker.submit(small_job(board.id))


def test_out_of_gpu_memory_fails_with_a_clear_message(worker, qtbot, runner, board, monkeypatch):
    import torch

    def boom(**kwargs):
        raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 20.00 GiB")

    monkeypatch.setattr(runner.renderer, "render_batch", boom)
    with qtbot.waitSignal(worker.failed, timeout=TIMEOUT) as failed:
        worker.submit(small_job(board.id))
    assert failed.args[1] == OOM_MESSAGE
    monkeypatch.undo()
    with qtbot.waitSignal(worker.finished, timeout=TIMEOUT):
        worker.submit(small_job(board.id))


def test_importing_the_worker_does_not_import_torch():
    import subprocess
    import sys

    code = ("import sys, app.engine.worker, app.engine.models, app.engine.runner; "
            "bad = [m for m in ('torch', 'diffusers', 'transformers', 'PySide6.QtWidgets') if m in sys.modules]; "
            "print(bad); sys.exit(1 if bad else 0)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr
