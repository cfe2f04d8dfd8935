"""The generation worker: one QThread owns the pipeline and runs queued jobs in order.

QtCore (and QImage) only. `Worker` is created in the window's thread and stays there;
its private `_Engine` lives in the generation thread and runs the jobs. The engine's
signals are relayed through the Worker, so every Worker signal is delivered in the
window's thread — to slots and to plain lambdas alike — carrying plain data or QImage.
The queue is a plain list under a lock: submit, cancel and move answer at once even while
a render runs. Cancel of the running job sets its threading.Event, which the step
callback checks; it never waits for a queued slot. Importing this module does not
import torch."""

from __future__ import annotations

import threading
import uuid

from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtGui import QImage

from app.engine.jobs import JobEvent, RenderJob
from app.engine.runner import Runner


def to_qimage(image) -> QImage:
    """A PIL image as a QImage that owns its pixels (safe to hand to another thread)."""
    rgb = image.convert("RGB")
    w, h = rgb.size
    return QImage(rgb.tobytes(), w, h, 3 * w, QImage.Format.Format_RGB888).copy()


class _Engine(QObject):
    """Lives in the generation thread: takes the head of the queue, runs it."""

    loading = Signal(str, str)
    started = Signal(str)
    progress = Signal(str, int, int)
    preview = Signal(str, QImage)
    stored = Signal(str, list)
    finished = Signal(str, list)
    cancelled = Signal(str)
    failed = Signal(str, str)

    def __init__(self, worker: "Worker"):
        super().__init__()
        self._worker = worker

    @Slot()
    def run_next(self) -> None:
        """One job per wake-up (none when the woken-for job was cancelled meanwhile)."""
        taken = self._worker._take()
        if taken is None:
            return
        job_id, job, cancel = taken
        try:
            self._worker.runner.run(self._worker.studio, job, self._emit, cancel, job_id=job_id)
        except Exception:  # noqa: BLE001 - already reported as `failed`; live on
            pass
        finally:
            self._worker._done()

    def _emit(self, event: JobEvent) -> None:
        kind, jid = event.kind, event.job_id
        if kind == "loading":
            self.loading.emit(jid, event.model)
        elif kind == "started":
            self.started.emit(jid)
        elif kind == "progress":
            self.progress.emit(jid, event.step, event.total)
        elif kind == "preview":
            self.preview.emit(jid, to_qimage(event.image))
        elif kind == "stored":
            self.stored.emit(jid, list(event.shot_ids))
        elif kind == "finished":
            self.finished.emit(jid, list(event.shot_ids))
        elif kind == "cancelled":
            self.cancelled.emit(jid)
        elif kind == "failed":
            self.failed.emit(jid, event.message)


class Worker(QObject):
    queued = Signal(str)
    loading = Signal(str, str)  # job id, model name
    started = Signal(str)
    progress = Signal(str, int, int)  # job id, step, total
    preview = Signal(str, QImage)  # job id, small latent preview (<= 128 px)
    stored = Signal(str, list)  # job id, the shot ids of a picture just stored (before finished)
    finished = Signal(str, list)  # job id, shot ids
    cancelled = Signal(str)
    failed = Signal(str, str)  # job id, message for a person
    _wake = Signal()  # private: queued into the generation thread, runs one job

    def __init__(self, studio, runner: Runner | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.studio = studio  # app.store Studio (its connection is shared across threads)
        self.runner = runner or Runner()
        self._mutex = threading.Lock()
        self._queue: list[tuple[str, RenderJob]] = []
        self._current: tuple[str, threading.Event] | None = None
        self._stopping = False
        self._thread = QThread()
        self._thread.setObjectName("atelier-generation")
        self._engine = _Engine(self)
        self._engine.moveToThread(self._thread)
        for name in ("loading", "started", "progress", "preview", "stored", "finished", "cancelled", "failed"):
            getattr(self._engine, name).connect(getattr(self, name))  # relayed into our thread
        self._wake.connect(self._engine.run_next)
        self._thread.start()

    # --- called from the window's thread (any thread is safe) --------------------------

    def submit(self, job: RenderJob) -> str:
        job_id = uuid.uuid4().hex[:12]
        with self._mutex:
            if self._stopping:
                raise RuntimeError("the worker has shut down")
            self._queue.append((job_id, job))
        self.queued.emit(job_id)
        self._wake.emit()
        return job_id

    def cancel(self, job_id: str) -> bool:
        """Cancel a queued job (removed at once, `cancelled` emitted) or the running one
        (stops within one step; `cancelled` follows). False when the id is unknown/done."""
        with self._mutex:
            for i, (jid, _) in enumerate(self._queue):
                if jid == job_id:
                    del self._queue[i]
                    break
            else:
                if self._current is not None and self._current[0] == job_id:
                    self._current[1].set()
                    return True
                return False
        self.cancelled.emit(job_id)
        return True

    def move(self, job_id: str, new_index: int) -> bool:
        """Move a waiting job to position `new_index` among the waiting ones."""
        with self._mutex:
            for i, entry in enumerate(self._queue):
                if entry[0] == job_id:
                    del self._queue[i]
                    self._queue.insert(max(0, min(new_index, len(self._queue))), entry)
                    return True
        return False

    def pending(self) -> list[tuple[str, RenderJob]]:
        with self._mutex:
            return list(self._queue)

    def running(self) -> str | None:
        with self._mutex:
            return self._current[0] if self._current else None

    def shutdown(self, wait_ms: int = 30000) -> None:
        """Drop waiting jobs, cancel the running one, and end the thread."""
        with self._mutex:
            self._stopping = True
            dropped = [jid for jid, _ in self._queue]
            self._queue.clear()
            if self._current is not None:
                self._current[1].set()
        for jid in dropped:
            self.cancelled.emit(jid)
        self._thread.quit()
        self._thread.wait(wait_ms)

    # --- called by the engine, in the generation thread ---------------------------------

    def _take(self):
        with self._mutex:
            if self._stopping or not self._queue:
                return None
            job_id, job = self._queue.pop(0)
            cancel = threading.Event()
            self._current = (job_id, cancel)
            return job_id, job, cancel

    def _done(self) -> None:
        with self._mutex:
            self._current = None
