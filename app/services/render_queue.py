"""The render queue's state, kept in one place (no widgets).

The worker runs the jobs; this model says what each job is doing (one `JobState`), in which
order a person sees them (the running job on top, then the waiting ones in the worker's
order, then the ended ones, newest first), and mirrors the jobs not yet ended into the
journal `<studio>/queue.json`, which is offered again after a crash (`unfinished`).
Images a job stored before it was cancelled or failed stay on the board: the entry keeps
their ids (`shot_ids`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Callable

log = logging.getLogger(__name__)


class JobState(str, Enum):
    QUEUED = "queued"
    LOADING = "loading"
    RENDERING = "rendering"
    FINISHED = "finished"
    CANCELLED = "cancelled"
    FAILED = "failed"

    @property
    def ended(self) -> bool:
        return self in (JobState.FINISHED, JobState.CANCELLED, JobState.FAILED)

    @property
    def running(self) -> bool:
        return self in (JobState.LOADING, JobState.RENDERING)


LABELS = {JobState.QUEUED: "Waiting", JobState.LOADING: "Loading the model",
          JobState.RENDERING: "Rendering", JobState.FINISHED: "Done",
          JobState.CANCELLED: "Cancelled", JobState.FAILED: "Failed"}


def planned_steps(job) -> int | None:
    """Steps the whole job runs, when it says (None: the model's default, known at start)."""
    return job.steps * job.count if job.steps else None


@dataclass
class Entry:
    job_id: str
    job: object  # app.engine.jobs.RenderJob
    state: JobState = JobState.QUEUED
    step: int = 0
    total: int | None = None
    detail: str = ""
    shot_ids: list[int] = field(default_factory=list)
    seq: int = 0  # order of submission
    ended_seq: int = 0

    def status_text(self) -> str:
        text = LABELS[self.state]
        if self.state is JobState.FINISHED:
            text += f" · {len(self.shot_ids)} new shot(s)"
        elif self.state in (JobState.CANCELLED, JobState.FAILED) and self.shot_ids:
            text += f" · {len(self.shot_ids)} kept"
        if self.detail:
            text += f" · {self.detail}"
        return text


class RenderQueue:
    def __init__(self, on_change: Callable[[str], None] | None = None,
                 on_error: Callable[[str], None] | None = None):
        self.entries: dict[str, Entry] = {}
        self.journal: Path | None = None
        self._waiting_order: list[str] = []  # the worker's order of the waiting jobs
        self._seq = 0
        self._on_change = on_change or (lambda job_id: None)
        self._on_error = on_error or (lambda message: None)

    # -- the journal -----------------------------------------------------------------
    def set_journal(self, studio_path) -> None:
        self.journal = Path(studio_path) if studio_path is not None else None

    def save_journal(self) -> None:
        if self.journal is None:
            return
        from app.store.queue_journal import save_pending

        try:
            save_pending(self.journal, [self.entries[j].job.to_dict() for j in self.active()])
        except OSError as exc:  # a full disk must not stop rendering; say it
            self._on_error(f"Could not save the render queue ({exc}); it will not survive a crash")

    @staticmethod
    def unfinished(studio_path, problems: list | None = None) -> list:
        """The jobs the journal holds. A job this version cannot run (wrong types, a brief
        that does not render) is left out, and the journal kept as queue.json.bad; what
        went wrong is added to `problems` and logged."""
        from app.store.queue_journal import load_pending

        found: list[str] = []
        jobs = load_pending(Path(studio_path), parse=_journal_job, problems=found)
        for line in found:
            log.warning("queue.json: %s", line)
        if problems is not None:
            problems.extend(found)
        return jobs

    # -- what the worker says ------------------------------------------------------------
    def add(self, job_id: str, job) -> Entry:
        if job_id in self.entries:
            return self.entries[job_id]
        self._seq += 1
        entry = Entry(job_id, job, total=planned_steps(job), seq=self._seq)
        self.entries[job_id] = entry
        self._waiting_order.append(job_id)
        self.save_journal()
        self._on_change(job_id)
        return entry

    def set_state(self, job_id: str, state: JobState, detail: str = "") -> None:
        entry = self.entries.get(job_id)
        if entry is None or entry.state.ended:
            return  # an ended job stays ended (a late signal changes nothing)
        entry.state, entry.detail = JobState(state), detail
        if entry.state is not JobState.QUEUED and job_id in self._waiting_order:
            self._waiting_order.remove(job_id)
        if entry.state.ended:
            self._seq += 1
            entry.ended_seq = self._seq
            self.save_journal()
        self._on_change(job_id)

    def progress(self, job_id: str, step: int, total: int) -> None:
        entry = self.entries.get(job_id)
        if entry is None or entry.state.ended:
            return
        entry.step, entry.total = step, total
        if entry.state is not JobState.RENDERING:
            self.set_state(job_id, JobState.RENDERING)
        else:
            self._on_change(job_id)

    def stored(self, job_id: str, shot_ids) -> None:
        """Shots the job has stored so far (each image as it finishes)."""
        entry = self.entries.get(job_id)
        if entry is not None:
            entry.shot_ids.extend(i for i in shot_ids if i not in entry.shot_ids)
            self._on_change(job_id)

    def finished(self, job_id: str, shot_ids) -> None:
        entry = self.entries.get(job_id)
        if entry is None:
            return
        self.stored(job_id, shot_ids)
        if entry.total:
            entry.step = entry.total
        self.set_state(job_id, JobState.FINISHED)

    def reorder(self, waiting: list[str]) -> None:
        """The worker's order of the jobs still waiting."""
        self._waiting_order = [j for j in waiting if j in self.entries
                               and self.entries[j].state is JobState.QUEUED]
        self.save_journal()
        for job_id in self._waiting_order:
            self._on_change(job_id)

    # -- reading ---------------------------------------------------------------------
    def active(self) -> list[str]:
        """Jobs not ended: the running one, then the waiting ones in order."""
        running = sorted((e for e in self.entries.values() if e.state.running), key=lambda e: e.seq)
        waiting = [j for j in self._waiting_order if self.entries[j].state is JobState.QUEUED]
        rest = sorted((e for e in self.entries.values() if e.state is JobState.QUEUED
                       and e.job_id not in waiting), key=lambda e: e.seq)
        return [e.job_id for e in running] + waiting + [e.job_id for e in rest]

    def order(self) -> list[str]:
        """What a person sees, top to bottom: running, waiting, then ended (newest first)."""
        ended = sorted((e for e in self.entries.values() if e.state.ended),
                       key=lambda e: -e.ended_seq)
        return self.active() + [e.job_id for e in ended]

    def clear_ended(self) -> list[str]:
        gone = [j for j, e in self.entries.items() if e.state.ended]
        for job_id in gone:
            del self.entries[job_id]
        return gone


def _journal_job(d: dict):
    """A job from the journal, checked as the window will use it (its brief must render)."""
    from app.core.brief import Brief
    from app.engine.jobs import RenderJob

    job = RenderJob.from_dict(d)
    if not isinstance(job.brief, dict) or not isinstance(job.board_id, int) or isinstance(job.board_id, bool):
        raise ValueError("its board or brief is not what a job holds")
    Brief.from_dict(job.brief).render()
    return job
