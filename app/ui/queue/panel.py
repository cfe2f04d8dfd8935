"""The render queue: one row per job with its progress, live preview, cancel and reorder.

The panel only listens to the worker's signals (queued across from its thread) and calls its
thread-safe methods (`cancel`, `move`); nothing here waits for a render.
"""

from __future__ import annotations


import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton,
                               QScrollArea, QSizePolicy, QToolButton, QVBoxLayout, QWidget)

from app.core.brief import Brief
from app.services.render_queue import JobState, RenderQueue, planned_steps
from app.ui import theme
from app.ui.text import plain_label, tip

PREVIEW = 48
log = logging.getLogger(__name__)


def describe(job) -> str:
    what = f"{job.count} × "
    if job.note is not None:
        what += f"“{job.note.text}” on #{job.parent_id}"
    elif job.parent_id is not None:
        what += f"raw prompt on #{job.parent_id}"
    else:
        try:
            positive = Brief.from_dict(job.brief).render()[0]
        except (ValueError, TypeError, KeyError):
            positive = ""
        what += f"new: {positive[:60] + ('…' if len(positive) > 60 else '') or 'empty prompt'}"
    size = f"{job.width}×{job.height}" if job.width and job.height else "model's size"
    steps = f"{job.steps} steps" if job.steps else "model's steps"
    return f"{what}  ·  {size}, {steps}, {job.model}"


class JobRow(QFrame):
    def __init__(self, job_id: str, job, panel: "QueuePanel"):
        super().__init__()
        self.setObjectName("JobRow")
        self.job_id, self.job, self.state = job_id, job, "queued"
        self.preview = QLabel()
        self.preview.setFixedSize(PREVIEW, PREVIEW)
        self.preview.setAlignment(Qt.AlignCenter)
        self.preview.setStyleSheet("background:#111;border:1px solid #333;")
        self.title = plain_label(describe(job))  # a note, a prompt, a model name: user text
        self.title.setToolTip(tip(describe(job)))
        self.status = plain_label("queued")
        self.status.setStyleSheet("color:#9a9a9a;")
        self.bar = QProgressBar()
        planned = planned_steps(job)
        self.bar.setRange(0, planned or 0)  # 0..0: busy until the job says its steps
        self.bar.setMinimumWidth(60)
        self.bar.setValue(0)
        self.bar.setFormat("%v / %m")
        self.up = QToolButton(text="▲", toolTip="Move up in the queue")
        self.down = QToolButton(text="▼", toolTip="Move down in the queue")
        self.cancel = QToolButton(text="✕", toolTip="Cancel this job")
        self.up.clicked.connect(lambda: panel.move(job_id, -1))
        self.down.clicked.connect(lambda: panel.move(job_id, +1))
        self.cancel.clicked.connect(lambda: panel.cancel(job_id))
        self.title.setWordWrap(False)
        self.title.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)  # clipped, not wider
        self.status.setMinimumWidth(160)
        top = QHBoxLayout()
        top.setSpacing(12)  # a clipped title ran into the status ("…hair,Rendering")
        top.addWidget(self.title, 1)
        top.addWidget(self.status)
        text = QVBoxLayout()
        text.setSpacing(3)
        text.addLayout(top)
        text.addWidget(self.bar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        layout.addWidget(self.preview)
        layout.addLayout(text, 1)
        for b in (self.up, self.down, self.cancel):
            layout.addWidget(b)

    def show_entry(self, entry) -> None:
        """Show the queue model's entry for this job (app/services/render_queue.py)."""
        self.state = entry.state.value
        self.status.setText(entry.status_text())
        self.status.setToolTip(tip(entry.status_text()))
        ended = entry.state.ended
        self.cancel.setEnabled(not ended)
        self.up.setEnabled(entry.state is JobState.QUEUED)
        self.down.setEnabled(entry.state is JobState.QUEUED)
        if entry.total:
            self.bar.setRange(0, entry.total)
            self.bar.setValue(entry.step)
        elif ended:
            self.bar.setRange(0, 1)
            self.bar.setValue(1 if entry.state is JobState.FINISHED else 0)
        if entry.state is JobState.FAILED:
            self.status.setStyleSheet(f"color:{theme.ERROR_TEXT};")

    def set_preview(self, image: QImage) -> None:
        if not image.isNull():
            self.preview.setPixmap(QPixmap.fromImage(image).scaled(
                PREVIEW, PREVIEW, Qt.KeepAspectRatio, Qt.FastTransformation))


class QueuePanel(QWidget):
    """Rows for the entries of a `RenderQueue`; the worker's signals update the queue,
    the queue tells the panel which row changed. The running job is on top."""

    job_finished = Signal(str, list)  # job id, shot ids (re-emitted for the window)
    shots_stored = Signal(str, list)  # job id, shots stored before the job ended
    message = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("QueuePanel")
        self.worker = None
        self.queue = RenderQueue(on_change=self._changed, on_error=self.message.emit)
        self.rows: dict[str, JobRow] = {}
        self._list = QVBoxLayout()
        self._list.setContentsMargins(4, 4, 4, 4)
        self._list.addStretch(1)
        inner = QWidget()
        inner.setLayout(self._list)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        self.empty = plain_label("Nothing in the queue. Apply a note or generate new shots.")
        self.empty.setStyleSheet(f"color:{theme.MUTED_TEXT};padding:6px;")
        clear = QPushButton("Clear finished")
        clear.clicked.connect(self.clear_finished)
        head = QHBoxLayout()
        head.addWidget(self.empty, 1)
        head.addWidget(clear)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(scroll, 1)

    @property
    def journal(self):
        return self.queue.journal

    @property
    def _order(self) -> list[str]:
        return self.queue.order()

    def attach(self, worker) -> None:
        self.worker = worker
        worker.loading.connect(lambda jid, what: self.queue.set_state(jid, JobState.LOADING, what))
        worker.started.connect(lambda jid: self.queue.set_state(jid, JobState.RENDERING))
        worker.progress.connect(self.queue.progress)
        worker.preview.connect(self._preview)
        worker.finished.connect(self._finished)
        worker.cancelled.connect(lambda jid: self.queue.set_state(jid, JobState.CANCELLED))
        worker.failed.connect(self._failed)
        stored = getattr(worker, "stored", None)  # each image as it is stored, when told
        if stored is not None:
            stored.connect(self._stored)

    def set_journal(self, studio_path) -> None:
        """Mirror the unfinished jobs into `<studio>/queue.json` from now on."""
        self.queue.set_journal(studio_path)

    def submit(self, job) -> str:
        job_id = self.worker.submit(job)
        self.add_row(job_id, job)
        return job_id

    def add_row(self, job_id: str, job) -> None:
        if job_id in self.rows:
            return
        self.rows[job_id] = JobRow(job_id, job, self)
        self.queue.add(job_id, job)

    def active(self) -> list[str]:
        return self.queue.active()

    def _changed(self, job_id: str) -> None:
        row, entry = self.rows.get(job_id), self.queue.entries.get(job_id)
        if row is None or entry is None:
            return
        row.show_entry(entry)
        self._lay_out()
        active = len(self.queue.active())
        self.empty.setText(f"{active} job(s) in the queue" if active else "Queue empty.")

    def _lay_out(self) -> None:
        order = [j for j in self.queue.order() if j in self.rows]
        current = [self._list.itemAt(i).widget() for i in range(self._list.count() - 1)]
        if [r.job_id for r in current] == order:
            return
        for row in current:
            self._list.removeWidget(row)
        for i, job_id in enumerate(order):
            self._list.insertWidget(i, self.rows[job_id])

    def _state(self, job_id: str, state: str, detail: str = "") -> None:
        self.queue.set_state(job_id, JobState(state), detail)

    def _progress(self, job_id: str, step: int, total: int) -> None:
        self.queue.progress(job_id, step, total)

    def _preview(self, job_id: str, image: QImage) -> None:
        row = self.rows.get(job_id)
        if row is not None:
            row.set_preview(image)

    def _stored(self, job_id: str, shot_ids: list) -> None:
        entry = self.queue.entries.get(job_id)
        fresh = [i for i in shot_ids if entry is None or i not in entry.shot_ids]
        self.queue.stored(job_id, shot_ids)
        if fresh:
            self.shots_stored.emit(job_id, fresh)

    def _finished(self, job_id: str, shot_ids: list) -> None:
        entry = self.queue.entries.get(job_id)
        fresh = [i for i in shot_ids if entry is None or i not in entry.shot_ids]
        self.queue.finished(job_id, shot_ids)
        self.job_finished.emit(job_id, fresh)

    def _failed(self, job_id: str, why: str) -> None:
        self.queue.set_state(job_id, JobState.FAILED, why)
        entry = self.queue.entries.get(job_id)
        log.error("render %s failed: %s (%s)", job_id, why,
                  describe(entry.job) if entry is not None else "unknown job")
        self.message.emit(f"Render failed: {why}")

    def cancel(self, job_id: str) -> None:
        if self.worker is not None:
            self.worker.cancel(job_id)

    def move(self, job_id: str, delta: int) -> None:
        """Move a waiting job up or down among the waiting ones. The worker's own list is the
        truth (a job may have started a moment ago without our row knowing yet)."""
        if self.worker is None:
            return
        waiting = [j for j, _ in self.worker.pending()]
        if job_id not in waiting:
            return
        new = max(0, min(len(waiting) - 1, waiting.index(job_id) + delta))
        if new == waiting.index(job_id) or not self.worker.move(job_id, new):
            return
        self.queue.reorder([j for j, _ in self.worker.pending()])
        self._lay_out()

    def clear_finished(self) -> None:
        for job_id in self.queue.clear_ended():
            row = self.rows.pop(job_id, None)
            if row is not None:
                self._list.removeWidget(row)
                row.deleteLater()
