"""Renders waiting when the window closes (or crashes) are offered again on the next open."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QMessageBox

from app.core.brief import Brief
from app.engine.jobs import RenderJob
from app.store.queue_journal import FILE
from app.ui.window.main_window import MainWindow
from app.ui.queue.panel import QueuePanel


def a_job(window) -> RenderJob:
    shot = window.direction_panel.shot
    return RenderJob(board_id=shot.board_id, brief=Brief.from_prompt("a model, smiling").to_dict(),
                     seed=11, steps=2, width=64, height=64, model="demo")


def test_unfinished_renders_are_kept_and_offered_again(window, qtbot, monkeypatch, person_settings):
    ids = iter(["job-1", "job-2"])
    monkeypatch.setattr(window.worker, "submit", lambda job: next(ids))  # nothing renders here
    path = window.studio.path
    first, second = a_job(window), a_job(window)
    window.queue_panel.submit(first)
    window.queue_panel.submit(second)
    assert len(json.loads((path / FILE).read_text())["jobs"]) == 2
    window.queue_panel._state("job-2", "cancelled")  # a cancelled job is not brought back
    assert [j["seed"] for j in json.loads((path / FILE).read_text())["jobs"]] == [11]
    window.close_studio()  # closing keeps what was still waiting
    assert (path / FILE).exists()

    asked, resubmitted = [], []
    monkeypatch.setattr(QMessageBox, "question", lambda parent, title, text: asked.append(text) or QMessageBox.Yes)
    monkeypatch.setattr(QueuePanel, "submit", lambda self, job: resubmitted.append(job) or "job-3")
    again = MainWindow(person_settings)
    qtbot.addWidget(again)
    assert again.open_studio(path)
    assert "1 render(s) were waiting" in asked[0]
    assert resubmitted == [first]
    again.close()


def test_declining_the_offer_clears_the_journal(window, qtbot, monkeypatch, person_settings):
    monkeypatch.setattr(window.worker, "submit", lambda job: "job-1")
    path = window.studio.path
    window.queue_panel.submit(a_job(window))
    window.close_studio()
    monkeypatch.setattr(QMessageBox, "question", lambda parent, title, text: QMessageBox.No)
    again = MainWindow(person_settings)
    qtbot.addWidget(again)
    assert again.open_studio(path)
    assert not (path / FILE).exists()
    assert again.queue_panel.active() == []
    again.close()
