"""The direction panel builds exactly the render the person asked for (no rendering here:
the job is caught on its way to the worker)."""

from __future__ import annotations

from app.core.brief import Brief
from app.store import repo


def caught_jobs(window, monkeypatch):
    jobs = []
    monkeypatch.setattr(window.queue_panel, "submit", lambda job: jobs.append(job) or "job-1")
    return jobs


def test_apply_sends_the_edited_brief_the_note_and_the_parents_seed(window, qtbot, monkeypatch):
    jobs = caught_jobs(window, monkeypatch)
    panel = window.direction_panel
    parent = panel.shot
    panel.note_edit.setPlainText("maak het haar wat luchtiger")
    panel.preview()
    assert panel.edits_table.rowCount() >= 1
    panel.count.setValue(3)
    panel.apply()
    job = jobs[-1]
    assert (job.parent_id, job.seed, job.count, job.board_id) == (parent.id, parent.seed, 3, parent.board_id)
    assert (job.width, job.height, job.steps, job.model) == (parent.width, parent.height, parent.steps, parent.model)
    assert job.note.text == "maak het haar wat luchtiger" and job.note.language == "nl"
    assert (job.note.author, job.note.role) == ("Anna", "art-director")
    assert [e["slot"] for e in job.note.edits] == [e.slot for e in panel.edits_table.edits()]
    assert Brief.from_dict(job.brief).render() != Brief.from_dict(parent.brief).render()
    assert job.init_shot_id is None and job.strength is None


def test_new_seeds_and_image_to_image_options(window, qtbot, monkeypatch):
    jobs = caught_jobs(window, monkeypatch)
    panel = window.direction_panel
    panel.note_edit.setPlainText("smile more")
    panel.preview()
    panel.new_seeds.setChecked(True)
    panel.img2img.setChecked(True)
    panel.strength.setValue(0.35)
    panel.apply()
    job = jobs[-1]
    assert job.init_shot_id == panel.shot.id and abs(job.strength - 0.35) < 1e-9
    job.validate()  # a job the engine accepts


def test_a_dropped_edit_is_not_applied(window, qtbot, monkeypatch):
    jobs = caught_jobs(window, monkeypatch)
    panel = window.direction_panel
    panel.note_edit.setPlainText("smile more and make the light warmer")
    panel.preview()
    assert panel.edits_table.rowCount() == 2
    panel.edits_table.set_kept(1, False)
    panel.apply()
    assert len(jobs[-1].note.edits) == 1
    assert jobs[-1].note.edits[0]["slot"] == panel.edits_table.edits()[0].slot


def test_expert_raw_prompt_renders_what_was_typed(window, qtbot, monkeypatch):
    jobs = caught_jobs(window, monkeypatch)
    panel = window.direction_panel
    panel.expert.setChecked(True)
    panel.raw_prompt.setPlainText("a model in a blue coat, (laughing:1.3)")
    panel.raw_negative.setPlainText("blurry")
    assert panel.apply_button.isEnabled()
    panel.apply()
    job = jobs[-1]
    positive, negative = Brief.from_dict(job.brief).render()
    assert "blue coat" in positive and "laughing" in positive and "1.3" in positive
    assert negative == "blurry" and job.note is None and job.parent_id == panel.shot.id


def test_nothing_is_applied_without_a_person(window, qtbot, monkeypatch):
    jobs = caught_jobs(window, monkeypatch)
    panel = window.direction_panel
    window.set_person(None)
    panel.note_edit.setPlainText("smile more")
    panel.preview()
    panel.apply()
    assert jobs == [] and "Who is working" in window.statusBar().currentMessage()


def test_generate_dialog_refuses_bad_input_with_one_message(window, qtbot):
    from app.ui.dialogs.new_shots import GenerateDialog

    dialog = GenerateDialog(window.boards_panel.current_board(), [], window)
    qtbot.addWidget(dialog)
    dialog._accept()
    assert "prompt" in dialog.error.text() and dialog.job is None
    dialog.prompt.setPlainText("a model in a coat")
    dialog._accept()
    job = dialog.job  # left open: the model's own steps and size
    assert job is not None and (job.steps, job.width, job.height) == (None, None, None)
    dialog.job = None
    dialog.size.setCurrentText("500x12")
    dialog._accept()
    assert "multiples of 8" in dialog.error.text() and dialog.job is None
    dialog.size.setCurrentText("512x768")
    dialog._accept()
    assert dialog.job is not None and (dialog.job.width, dialog.job.height) == (512, 768)
    assert repo.board_page(window.studio, dialog.job.board_id, 0, 1).total == 6  # nothing written


def test_first_start_asks_who_is_working(qtbot, filled_studio, monkeypatch):
    from app.ui import main
    from app.ui.dialogs import person as person_dialog
    from app.ui.window.settings import Person, Settings

    monkeypatch.setattr(person_dialog, "ask_person", lambda parent=None, current=None: Person("Noor", "photographer"))
    window = main.create_window(filled_studio)
    qtbot.addWidget(window)
    assert window.person == Person("Noor", "photographer")
    assert Settings().person() == Person("Noor", "photographer")
    assert "Noor" in window.person_label.text()
    window.close()


def test_a_removal_shows_its_negative_weight_and_the_negative_prompt(qtbot):
    """'no earrings' moves a term to the negative prompt: the table says so and the
    negative prompt before/after is shown, so nothing changes out of sight."""
    from app.core.brief import Brief
    from app.core.interpret import interpret
    from app.ui.direction.panel import DirectionPanel  # noqa: F401 - panel import check
    from app.ui.direction.edits_table import EditsTable, weight_text

    brief = Brief.from_prompt("a model in a coat, gold earrings")
    result = interpret("no earrings", brief)
    table = EditsTable()
    qtbot.addWidget(table)
    table.set_edits(result.edits)
    assert table.item(0, 4).text() == weight_text(result.edits[0].weight_before) == "1.00"
    spin = table.cellWidget(0, 5)
    assert spin.suffix() == " neg" and spin.value() == 1.0
    spin.setValue(1.3)  # a stronger negative, chosen by hand
    (chosen,) = table.chosen()
    assert chosen.weight_after == -1.3


def test_the_negative_prompt_change_is_shown_before_applying(window, qtbot, monkeypatch):
    jobs = caught_jobs(window, monkeypatch)
    panel = window.direction_panel
    panel.note_edit.setPlainText("no sunglasses")
    panel.preview()
    assert "sunglasses" not in panel.before_view.toPlainText()
    assert "Negative" in panel.after_view.toPlainText() and "sunglasses" in panel.after_view.toPlainText()
    panel.apply()
    assert "sunglasses" in Brief.from_dict(jobs[-1].brief).render()[1]
