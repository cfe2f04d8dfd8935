"""The defects found in a professional's first hour (issue 10), each pinned by a test."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QRect, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from app.store import repo
from app.ui import theme
from tests.ui.conftest import add_plain_shots


def test_a_finished_render_never_moves_the_selection_or_the_notes_target(window, qtbot):
    view, panel = window.board_view, window.direction_panel
    target = window.board_model.shot_at(3).id
    view.select_id(target)
    qtbot.waitUntil(lambda: panel.shot is not None and panel.shot.id == target)
    panel.note_edit.setPlainText("smile a bit more")
    board = window.boards_panel.current_board()
    new = add_plain_shots(window.studio, board, 2)  # what the worker stores, then announces
    window.queue_panel.job_finished.emit("job-x", [s.id for s in new])
    qtbot.wait(50)  # the panels follow the current shot one event-loop turn later
    assert window.board_model.rowCount() == 8
    assert view.current_id() == target and view.selected_ids() == [target]
    assert panel.shot.id == target
    assert panel.note_edit.toPlainText() == "smile a bit more"


def test_the_selection_survives_new_shots_while_a_search_is_on(window, qtbot):
    window.search_box.setText("red coat")
    window.apply_filters()
    target = window.board_model.shot_at(2).id
    window.board_view.select_id(target)
    new = add_plain_shots(window.studio, window.boards_panel.current_board(), 1)
    window.queue_panel.job_finished.emit("job-y", [new[0].id])
    assert window.board_view.current_id() == target


def test_new_shots_with_the_model_defaults_get_a_queue_row(window, qtbot):
    from app.ui.dialogs.new_shots import GenerateDialog
    from app.ui.queue.panel import JobRow

    dialog = GenerateDialog(window.boards_panel.current_board(), [], window)
    dialog.prompt.setPlainText("a model in a red coat")
    job = dialog.build_job()  # "model default" steps and size
    assert job.steps is None and job.width is None
    row = JobRow("job-1", job, window.queue_panel)  # raised TypeError before
    assert "None" not in row.title.text()
    assert "model's size" in row.title.text() and "model's steps" in row.title.text()
    assert row.bar.maximum() == 0  # busy until the job says how many steps it runs


def test_the_new_board_button_opens_its_dialog_and_refuses_an_empty_name(window, qtbot):
    from app.ui.dialogs.board_name import BoardNameDialog

    seen = {}

    def answer():
        dialog = QApplication.activeModalWidget()
        seen["dialog"] = dialog
        if isinstance(dialog, BoardNameDialog):
            ok = dialog.buttons.buttons()[0]
            seen["ok_enabled_when_empty"] = ok.isEnabled()
            dialog.edit.setText("   ")
            seen["ok_enabled_when_blank"] = ok.isEnabled()
            dialog.edit.setText("Spring look")
            dialog._accept()
        elif dialog is not None:
            dialog.reject()

    QTimer.singleShot(100, answer)
    qtbot.mouseClick(window.boards_panel.new_button, Qt.LeftButton)
    assert isinstance(seen.get("dialog"), BoardNameDialog)
    assert seen["ok_enabled_when_empty"] is False and seen["ok_enabled_when_blank"] is False
    names = [b.name for b in repo.list_boards(window.studio)]
    assert "Spring look" in names
    assert repo.get_board(window.studio, window.boards_panel.current_board()).name == "Spring look"


def test_a_refused_board_name_keeps_the_dialog_open_with_the_reason(qtbot, window):
    from app.ui.dialogs.board_name import BoardNameDialog

    dialog = BoardNameDialog("New board", parent=window,
                             create=lambda n: repo.create_board(window.studio, n))
    qtbot.addWidget(dialog)
    dialog.edit.setText("Look 1")  # exists already
    dialog._accept()
    assert dialog.result() == 0 and dialog.error.text()


def _visible_rect(widget: QWidget, top: QWidget) -> QRect:
    return QRect(widget.mapTo(top, widget.rect().topLeft()), widget.size())


def test_the_window_fits_1280_by_720_and_nothing_overlaps(window, qtbot):
    hint = window.minimumSizeHint()
    assert hint.width() <= 1280 and hint.height() <= 680, hint  # 720 less a title bar
    window.resize(1280, 680)
    qtbot.wait(50)
    window.board_view.select_id(window.board_model.shot_at(0).id)
    window.direction_panel.note_edit.setPlainText("smile a bit more")
    window.direction_panel.preview()
    qtbot.wait(50)
    screen = window.rect()
    docks = [d for d in window.docks.values() if d.isVisible()]
    areas = [_visible_rect(d, window) for d in docks] + [_visible_rect(window.centralWidget(), window)]
    for i, a in enumerate(areas):
        assert screen.contains(a), (i, a, screen)
        for b in areas[i + 1:]:
            assert not a.intersects(b), (a, b)
    apply = window.direction_panel.apply_button
    assert apply.isVisible() and apply.height() >= apply.sizeHint().height() - 2
    assert _visible_rect(window.docks["direction"], window).contains(_visible_rect(apply, window))
    assert apply.isEnabled()


def test_compare_puts_the_first_selected_shot_as_a(window, qtbot):
    view, model = window.board_view, window.board_model
    parent, child = model.shot_at(4).id, model.shot_at(1).id  # the board shows newest first
    view.select_id(parent)
    view.selectionModel().select(model.index_of(child), QItemSelectionModel.Select)
    assert view.selected_ids() == [parent, child]
    window.compare_selected()
    assert [s.id for s in window.compare_view._shots] == [parent, child]


def test_stars_and_numbers_on_the_board_are_readable():
    for bg in (theme.CELL_BG, theme.SELECTED_BG):
        assert theme.contrast(theme.STAR_EMPTY, bg) >= 3.0  # a graphical mark (WCAG 1.4.11)
        assert theme.contrast(theme.ACCENT, bg) >= 3.0
        assert theme.contrast(theme.ID_TEXT, bg) >= 4.5  # text (WCAG 1.4.3)
    for colour in theme.BADGE.values():
        assert theme.contrast(theme.BADGE_TEXT, colour) >= 4.5
    from app.ui.board import view

    assert view.STAR_EMPTY.name() == theme.STAR_EMPTY  # the delegate paints with them


HOSTILE = "<img src='/etc/hosts'><b>APPROVED</b>"


def test_user_text_is_never_rich_text(window, qtbot):
    """A model name, a note and a reason with markup show as the characters typed."""
    from app.engine.jobs import RenderJob
    from app.store.records import NoteDraft
    from app.ui.compare.loupe import Loupe
    from app.ui.window.settings import Person

    board = window.boards_panel.current_board()
    shot = window.board_model.shot_at(0)
    repo.decide(window.studio, "hold", "Anna", "art-director", reason=HOSTILE, shot_id=shot.id)
    window.set_person(Person(HOSTILE, "stylist"))
    note = NoteDraft(shot_id=shot.id, text=HOSTILE, language="en", author="Anna",
                     role="stylist", edits=[])
    job = RenderJob(board_id=board, brief=shot.brief, seed=1, steps=2, width=64, height=64,
                    model=HOSTILE, note=note, parent_id=shot.id)
    window.queue_panel.add_row("job-1", job)
    window.queue_panel._failed("job-1", HOSTILE)
    window.direction_panel.set_shot(shot.__class__(**{**shot.__dict__, "model": HOSTILE}))
    window.history_panel.set_shot(shot.id)
    loupe = Loupe(shot.__class__(**{**shot.__dict__, "model": HOSTILE}), window.studio, parent=window)
    qtbot.addWidget(loupe)
    shown = 0
    for widget in [window, loupe]:
        for label in widget.findChildren(QLabel):
            if "<img" in label.text():
                shown += 1
                assert label.textFormat() == Qt.PlainText, label.objectName()
        for child in widget.findChildren(QWidget):
            assert "<img" not in child.toolTip(), child.objectName()
    assert shown >= 4  # person, queue title and status, direction title, loupe line
    tree = window.history_panel.tree
    tips = []
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        for j in range(top.childCount()):
            tips.append(top.child(j).toolTip(0))
    assert any("&lt;img" in t for t in tips) and not any("<img" in t for t in tips)
    tooltip = window.board_model.data(window.board_model.index(0), Qt.ToolTipRole)
    assert "<img" not in tooltip


def test_a_stylists_p_approves_nothing_and_an_approved_board_is_settled(window, qtbot, monkeypatch):
    from app.ui.dialogs import decision as decision_dialogs
    from app.ui.window.settings import Person

    monkeypatch.setattr(decision_dialogs, "ask_reason", lambda parent, verdict: "why not")
    view = window.board_view
    view.setFocus()
    first = window.board_model.shot_at(0).id
    view.select_id(first)
    qtbot.waitUntil(view.hasFocus)
    window.set_person(Person("Lena", "stylist"))
    qtbot.keyClick(view, Qt.Key_P)
    qtbot.keyClick(view, Qt.Key_X)
    assert repo.decisions(window.studio, shot_id=first) == []
    assert "only an art director" in window.statusBar().currentMessage()
    qtbot.keyClick(view, Qt.Key_H)  # hold is everyone's
    qtbot.waitUntil(lambda: repo.get_shot(window.studio, first).status == "hold")
    board = window.boards_panel.current_board()
    repo.decide(window.studio, "approved", "Mira", "art-director", board_id=board)
    window.board_model.reload()
    view.select_id(first)
    window.set_person(Person("Mira", "art-director"))
    qtbot.keyClick(view, Qt.Key_C)
    assert [d.verdict for d in repo.decisions(window.studio, shot_id=first)] == ["hold"]
    assert "the board is approved" in window.statusBar().currentMessage()
