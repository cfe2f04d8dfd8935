"""The render queue: one row per job with its progress, live preview, cancel and reorder.

The panel only listens to the worker's signals (queued across from its thread) and calls its
thread-safe methods (`cancel`, `move`); nothing here waits for a render.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton,
                               QScrollArea, QSizePolicy, QToolButton, QVBoxLayout, QWidget)

from app.core.brief import Brief
from app.store.queue_journal import save_pending
from app.ui.text import plain_label, tip

PREVIEW = 48
DONE_STATES = ("finished", "cancelled", "failed")


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


def planned_steps(job) -> int | None:
    """Steps the whole job will run, when the job says (None: the model's default, known
    once the job starts)."""
    return job.steps * job.count if job.steps else None


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

    def set_state(self, state: str, detail: str = "") -> None:
        self.state = state
        self.status.setText(f"{state}{' · ' + detail if detail else ''}")
        done = state in DONE_STATES
        self.cancel.setEnabled(not done)
        self.up.setEnabled(state == "queued")
        self.down.setEnabled(state == "queued")
        if state == "failed":
            self.status.setStyleSheet("color:#e08070;")

    def set_preview(self, image: QImage) -> None:
        if not image.isNull():
            self.preview.setPixmap(QPixmap.fromImage(image).scaled(
                PREVIEW, PREVIEW, Qt.KeepAspectRatio, Qt.FastTransformation))


class QueuePanel(QWidget):
    job_finished = Signal(str, list)  # job id, shot ids (re-emitted for the window)
    message = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("QueuePanel")
        self.worker = None
        self.journal: Path | None = None  # the studio folder whose queue.json mirrors us
        self.rows: dict[str, JobRow] = {}
        self._order: list[str] = []
        self._list = QVBoxLayout()
        self._list.setContentsMargins(4, 4, 4, 4)
        self._list.addStretch(1)
        inner = QWidget()
        inner.setLayout(self._list)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        self.empty = QLabel("Nothing in the queue. Apply a note or generate new shots.")
        self.empty.setStyleSheet("color:#777;padding:6px;")
        clear = QPushButton("Clear finished")
        clear.clicked.connect(self.clear_finished)
        head = QHBoxLayout()
        head.addWidget(self.empty, 1)
        head.addWidget(clear)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(scroll, 1)

    def attach(self, worker) -> None:
        self.worker = worker
        worker.loading.connect(lambda jid, what: self._state(jid, "loading", what))
        worker.started.connect(lambda jid: self._state(jid, "rendering"))
        worker.progress.connect(self._progress)
        worker.preview.connect(self._preview)
        worker.finished.connect(self._finished)
        worker.cancelled.connect(lambda jid: self._state(jid, "cancelled"))
        worker.failed.connect(self._failed)

    def set_journal(self, studio_path) -> None:
        """Mirror the unfinished jobs into `<studio>/queue.json` from now on."""
        self.journal = Path(studio_path) if studio_path is not None else None

    def _save_journal(self) -> None:
        if self.journal is None:
            return
        try:
            save_pending(self.journal, [self.rows[j].job.to_dict() for j in self.active()])
        except OSError as exc:  # a full disk must not stop rendering; say it once
            self.message.emit(f"Could not save the render queue ({exc}); it will not survive a crash")

    def submit(self, job) -> str:
        job_id = self.worker.submit(job)
        self.add_row(job_id, job)
        self._save_journal()
        return job_id

    def add_row(self, job_id: str, job) -> None:
        if job_id in self.rows:
            return
        row = JobRow(job_id, job, self)
        self.rows[job_id] = row
        self._order.append(job_id)
        self._list.insertWidget(self._list.count() - 1, row)
        self.empty.setText(f"{len(self.active())} job(s) in the queue")

    def active(self) -> list[str]:
        return [j for j in self._order if self.rows[j].state not in DONE_STATES]

    def _state(self, job_id: str, state: str, detail: str = "") -> None:
        row = self.rows.get(job_id)
        if row is not None:
            row.set_state(state, detail)
        self.empty.setText(f"{len(self.active())} job(s) in the queue" if self.active()
                           else "Queue empty.")
        if state in DONE_STATES:
            self._save_journal()

    def _progress(self, job_id: str, step: int, total: int) -> None:
        row = self.rows.get(job_id)
        if row is not None:
            row.bar.setRange(0, max(1, total))
            row.bar.setValue(step)
            if row.state != "rendering":
                row.set_state("rendering")

    def _preview(self, job_id: str, image: QImage) -> None:
        row = self.rows.get(job_id)
        if row is not None:
            row.set_preview(image)

    def _finished(self, job_id: str, shot_ids: list) -> None:
        row = self.rows.get(job_id)
        if row is not None:
            row.bar.setValue(row.bar.maximum())
        self._state(job_id, "finished", f"{len(shot_ids)} new shot(s)")
        self.job_finished.emit(job_id, list(shot_ids))

    def _failed(self, job_id: str, why: str) -> None:
        self._state(job_id, "failed", why)
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
        waiting = [j for j, _ in self.worker.pending()]
        others = [j for j in self._order if j not in waiting]
        self._order = others + [j for j in waiting if j in self.rows]
        for j in self._order:  # lay the rows out again in the new order
            self._list.removeWidget(self.rows[j])
        for i, j in enumerate(self._order):
            self._list.insertWidget(i, self.rows[j])
        self._save_journal()

    def clear_finished(self) -> None:
        for job_id in [j for j in self._order if self.rows[j].state in DONE_STATES]:
            row = self.rows.pop(job_id)
            self._order.remove(job_id)
            self._list.removeWidget(row)
            row.deleteLater()
