"""The real flows through the real worker and the demo model (64×64, 2 steps): render on a
new board, type a note and see its edits, apply it and see the children, undo, compare,
and reopen the studio to find everything again."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.store import repo
from app.ui.window.main_window import MainWindow
from app.ui.window.settings import Settings

pytestmark = pytest.mark.slow
RENDER_TIMEOUT = 120_000


def type_note(qtbot, panel, text):
    panel.note_edit.setFocus()
    panel.note_edit.clear()
    qtbot.keyClicks(panel.note_edit, text)


def test_render_direct_undo_compare_and_reopen(window, qtbot, monkeypatch, filled_studio):
    from app.ui.dialogs.new_shots import GenerateDialog
    from tests.ui.conftest import answer_board_name, settle

    # 1. a new board, and new shots rendered on it by the worker
    answer_board_name(monkeypatch, "Rendered")
    window.actions["new_board"].trigger()
    board_id = window.boards_panel.current_board()
    dialog = GenerateDialog(board_id, [], window)
    dialog.prompt.setPlainText("a model in a red coat, smiling, studio light")
    dialog.size.setCurrentText("64×64")
    dialog.steps.setValue(2)
    dialog.count.setValue(2)
    job = dialog.build_job()
    assert (job.width, job.height, job.steps, job.count) == (64, 64, 2, 2)
    with qtbot.waitSignal(window.queue_panel.job_finished, timeout=RENDER_TIMEOUT):
        window.submit_job(job)
    assert window.board_model.rowCount() == 2
    parent = window.board_model.shot_at(window.board_model.row_of(window.board_view.current_id()))
    assert parent.board_id == board_id and parent.model == "demo"
    row = next(iter(window.queue_panel.rows.values()))
    assert row.state == "finished" and row.bar.value() == row.bar.maximum()
    assert not row.preview.pixmap().isNull()  # the live preview arrived while it rendered

    # 2. a note shows its edits as it is typed, before anything renders
    panel = window.direction_panel
    type_note(qtbot, panel, "smile a bit more")
    qtbot.waitUntil(lambda: panel.edits_table.rowCount() > 0, timeout=20_000)
    edit = panel.edits_table.edits()[0]
    assert (edit.slot, edit.op) == ("expression", "increase")
    assert panel.apply_button.isEnabled()
    assert "smiling" in panel.after_view.toPlainText()
    assert panel.before_view.toPlainText() != panel.after_view.toPlainText()
    assert repo.board_page(window.studio, board_id, 0, 10).total == 2  # nothing rendered yet

    # 3. apply: children with the parent's seed and the note, inserted; the selection stays
    panel.count.setValue(2)
    with qtbot.waitSignal(window.queue_panel.job_finished, timeout=RENDER_TIMEOUT):
        qtbot.keyClick(panel.note_edit, Qt.Key_Return, Qt.ControlModifier)
    # each picture is stored (and inserted) as it comes; `finished` names only any not yet seen
    children = sorted((s for s in repo.board_page(window.studio, board_id, 0, 10).shots
                       if s.parent_id == parent.id), key=lambda s: s.id)
    assert len(children) == 2 and window.board_model.rowCount() == 4
    assert {c.parent_id for c in children} == {parent.id}
    assert children[0].seed == parent.seed
    notes = repo.notes_of(window.studio, parent.id)
    assert notes[-1].text == "smile a bit more" and notes[-1].author == "Anna"
    assert window.board_view.current_id() == parent.id  # it never moves on its own
    assert panel.note_edit.toPlainText() == ""

    # 4. undo the note (nothing decided on its results yet)
    window.board_view.setFocus()
    window.actions["undo_note"].trigger()
    settle(qtbot, window)
    assert window.board_model.rowCount() == 2
    assert repo.notes_of(window.studio, parent.id) == []

    # 5. compare two shots: select both, Enter
    from app.ui.board.model import IdRole

    view = window.board_view
    view.selectAll()
    assert len(view.selected_ids()) == 2
    view.setFocus()
    qtbot.keyClick(view, Qt.Key_Return)
    assert window.central_stack.currentWidget() is window.compare_page
    qtbot.keyClick(window, Qt.Key_Escape)
    assert window.central_stack.currentIndex() == 0

    # 6. decide with the keyboard, then reopen the studio and find everything again
    view.select_id(view.model().index(0).data(IdRole))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key_P)
    approved = view.current_id()
    window.close()
    again = MainWindow(Settings())
    qtbot.addWidget(again)
    assert again.open_studio(filled_studio)
    names = [s.name for s in again.boards_panel.summaries()]
    assert names == ["Look 1", "Rendered"]
    assert again.boards_panel.current_board() == board_id  # the last board, remembered
    assert again.board_model.rowCount() == 2
    assert repo.get_shot(again.studio, approved).status == "approved"
    again.close()


def test_not_understood_note_explains_and_renders_nothing(window, qtbot):
    panel = window.direction_panel
    type_note(qtbot, panel, "purple monkey dishwasher")
    qtbot.waitUntil(lambda: panel.note_message.text() != "", timeout=20_000)
    assert panel.edits_table.rowCount() == 0
    assert not panel.apply_button.isEnabled()


def test_dropping_and_reweighting_edits_changes_the_prompt_after(window, qtbot):
    panel = window.direction_panel
    type_note(qtbot, panel, "smile more")
    qtbot.waitUntil(lambda: panel.edits_table.rowCount() > 0, timeout=20_000)
    after = panel.after_view.toPlainText()
    panel.edits_table.set_weight(0, 1.6)
    assert "1.6" in panel.after_view.toPlainText()
    panel.edits_table.set_kept(0, False)
    assert panel.after_view.toPlainText() == panel.before_view.toPlainText() != after
    assert not panel.apply_button.isEnabled()
