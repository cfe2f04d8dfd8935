"""The studio window without rendering: boards, culling keys, filters, settings, locks."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.store import repo
from app.store.db import open_studio
from app.ui.board.model import RatingRole, StatusRole
from app.ui.window.main_window import DEMO_NOTICE, MainWindow
from app.ui.window.settings import Person, Settings


def focus_board(qtbot, window, row=0):
    view = window.board_view
    view.setFocus()
    view.select_id(window.board_model.shot_at(row).id)
    qtbot.waitUntil(view.hasFocus, timeout=20_000)
    return view


def test_window_shows_the_studio_boards_and_the_selected_shot(window):
    panel = window.boards_panel
    assert panel.list.count() == 1
    assert "Look 1" in panel.list.item(0).text() and "6 shots" in panel.list.item(0).text()
    assert window.board_model.rowCount() == 6
    current = window.board_view.current_id()
    assert current == window.board_model.shot_at(0).id
    assert f"Shot #{current}" in window.direction_panel.title.text()
    assert window.direction_panel.brief_table.rowCount() >= 1  # the brief, slot by slot
    assert "Anna" in window.person_label.text()


def test_new_board_from_the_menu_action(window, qtbot, monkeypatch):
    from tests.ui.conftest import answer_board_name

    answer_board_name(monkeypatch, "Spring campaign")
    window.actions["new_board"].trigger()
    assert window.boards_panel.list.count() == 2
    current = window.boards_panel.current_board()
    assert repo.get_board(window.studio, current).name == "Spring campaign"
    assert window.board_model.rowCount() == 0


def test_culling_keys_decide_with_the_person_and_a_reason(window, qtbot, monkeypatch):
    from app.ui.dialogs import decision as decision_dialogs

    asked = []
    monkeypatch.setattr(decision_dialogs, "ask_reason",
                        lambda parent, verdict: asked.append(verdict) or "too stiff")
    view = focus_board(qtbot, window, 0)
    first = window.board_model.shot_at(0).id
    qtbot.keyClick(view, Qt.Key_P)
    assert repo.get_shot(window.studio, first).status == "approved"
    assert window.board_model.data(window.board_model.index(0), StatusRole) == "approved"
    decision = repo.decisions(window.studio, shot_id=first)[-1]
    assert (decision.person, decision.role) == ("Anna", "art-director")

    qtbot.keyClick(view, Qt.Key_Right)  # arrow keys move through the board
    second = window.board_view.current_id()
    assert second == window.board_model.shot_at(1).id
    window.board_view.select_id(second)
    qtbot.keyClick(view, Qt.Key_X)
    assert asked == ["rejected"]
    assert repo.get_shot(window.studio, second).status == "rejected"
    assert repo.decisions(window.studio, shot_id=second)[-1].reason == "too stiff"

    qtbot.keyClick(view, Qt.Key_3)
    assert repo.get_shot(window.studio, second).rating == 3
    assert window.board_model.data(window.board_model.index(1), RatingRole) == 3
    qtbot.keyClick(view, Qt.Key_0)
    assert not repo.get_shot(window.studio, second).rating


def test_cancelled_reason_decides_nothing(window, qtbot, monkeypatch):
    from app.ui.dialogs import decision as decision_dialogs

    monkeypatch.setattr(decision_dialogs, "ask_reason", lambda parent, verdict: None)
    view = focus_board(qtbot, window, 0)
    qtbot.keyClick(view, Qt.Key_C)
    assert repo.get_shot(window.studio, window.board_model.shot_at(0).id).status == "new"
    assert repo.decisions(window.studio, shot_id=window.board_model.shot_at(0).id) == []


def test_culling_keys_do_not_fire_while_typing_a_note(window, qtbot):
    note = window.direction_panel.note_edit
    note.setFocus()
    qtbot.waitUntil(note.hasFocus, timeout=20_000)
    qtbot.keyClicks(note, "px")
    assert note.toPlainText() == "px"
    assert all(window.board_model.shot_at(r).status == "new" for r in range(6))


def test_filters_and_search_narrow_the_board(window, qtbot):
    shot = window.board_model.shot_at(2)
    repo.rate(window.studio, shot.id, 5)
    window.rating_filter.setCurrentIndex(window.rating_filter.findData(4))
    assert window.board_model.rowCount() == 1
    assert window.board_model.shot_at(0).id == shot.id
    window.rating_filter.setCurrentIndex(0)
    window.search_box.setText("nothing-like-this")
    window.apply_filters()
    assert window.board_model.rowCount() == 0
    window.search_box.setText("coat")
    window.apply_filters()
    assert window.board_model.rowCount() == 6


def test_board_approval_only_for_art_directors(window, qtbot, monkeypatch):
    from app.ui.dialogs import decision as decision_dialogs

    summaries = []
    monkeypatch.setattr(decision_dialogs, "confirm_board_approval",
                        lambda parent, summary: summaries.append(summary) or True)
    assert window.actions["approve_board"].isEnabled()
    window.actions["approve_board"].trigger()
    board = repo.get_board(window.studio, window.boards_panel.current_board())
    assert board.status == "approved"
    assert summaries[0]["counts"]["new"] == 6 and summaries[0]["board"] == "Look 1"
    window.set_person(Person("Sam", "stylist"))
    assert not window.actions["approve_board"].isEnabled()


def test_thumbnail_size_keys_and_settings(window, qtbot):
    before = window.board_view.thumb_size
    window.actions["bigger"].trigger()
    assert window.board_view.thumb_size > before
    assert window.size_slider.value() == window.board_view.thumb_size
    assert Settings().thumb_size() == window.board_view.thumb_size
    window.actions["smaller"].trigger()
    assert window.board_view.thumb_size == before


def test_demo_model_notice_is_shown(window):
    assert window.notice.isVisible()
    assert window.notice_label.text() == DEMO_NOTICE


def test_a_locked_studio_opens_read_only_when_asked(window, qtbot, monkeypatch, person_settings):
    from PySide6.QtWidgets import QMessageBox

    questions = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda parent, title, text: questions.append(text) or QMessageBox.Yes)
    second = MainWindow(person_settings)
    qtbot.addWidget(second)
    assert second.open_studio(window.studio.path)
    assert "in use by another Atelier window" in questions[0] and str(window.studio.path) in questions[0]
    assert second.studio.read_only and "read-only" in second.windowTitle()
    assert second.board_model.rowCount() == 6
    assert not second.direction_panel.apply_button.isEnabled()
    assert not second.generate_button.isEnabled()
    second.close()


def test_layout_person_and_filters_are_kept_between_runs(window, qtbot, filled_studio, person_settings):
    window.set_thumb_size(288)
    window.status_filter.setCurrentIndex(window.status_filter.findData("new"))
    window.docks["queue"].hide()
    window.close()
    again = MainWindow(Settings())
    qtbot.addWidget(again)
    assert again.person == Person("Anna", "art-director")
    assert again.board_view.thumb_size == 288
    assert again.docks["queue"].isHidden() and not again.docks["direction"].isHidden()
    assert again.status_filter.currentData() == "new"
    assert Settings().last_studio() == str(filled_studio.resolve())
    assert again.open_studio(filled_studio)
    assert again.board_model.rowCount() == 6
    again.close()


def test_person_dialog_requires_a_name(qtbot):
    from PySide6.QtWidgets import QDialogButtonBox

    from app.ui.dialogs.person import PersonDialog

    dialog = PersonDialog()
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.Ok)
    assert not ok.isEnabled()
    qtbot.keyClicks(dialog.name_edit, "Mila")
    dialog.findChild(type(dialog.role_group.button(0)), "role_photographer").setChecked(True)
    assert ok.isEnabled()
    assert dialog.person() == Person("Mila", "photographer")


def test_history_panel_follows_the_selection_and_jumps_across_boards(window, qtbot):
    from tests.ui.conftest import add_plain_shots

    other = repo.create_board(window.studio, "Look 2")
    elsewhere = add_plain_shots(window.studio, other.id, 2)[0]
    window.boards_panel.refresh()
    history = window.history_panel
    shot_id = window.board_view.current_id()
    qtbot.waitUntil(lambda: history._shot_id == shot_id, timeout=20_000)
    history.shot_activated.emit(elsewhere.id)
    assert window.boards_panel.current_board() == other.id
    assert window.board_view.current_id() == elsewhere.id
    qtbot.waitUntil(lambda: history._shot_id == elsewhere.id, timeout=20_000)
    assert window.direction_panel.shot.id == elsewhere.id


def test_space_opens_the_loupe_on_the_current_shot(window, qtbot):
    view = focus_board(qtbot, window, 1)
    qtbot.keyClick(view, Qt.Key_Space)
    assert window.loupe is not None and window.loupe.isVisible()
    assert window.loupe.current().id == window.board_model.shot_at(1).id
    window.loupe.close()


def test_models_menu_opens_the_models_dialog(window, qtbot, monkeypatch):
    from app.ui.dialogs import models as models_dialog

    opened = []
    monkeypatch.setattr(models_dialog.ModelsDialog, "exec", lambda self: opened.append(self) or 0)
    window.actions["models"].trigger()
    assert len(opened) == 1
    assert window.notice.isVisible()  # still only the demo model


def test_search_finds_shots_by_the_note_that_made_them(window, qtbot):
    from app.store.records import NoteDraft
    from tests.ui.conftest import colour_images, shot_drafts

    parent = window.board_model.shot_at(0)
    note = NoteDraft(shot_id=parent.id, text="maak het haar wat luchtiger", language="nl",
                     author="Anna", role="art-director", edits=[])
    child = repo.add_shots(window.studio, shot_drafts(parent.board_id, 1), colour_images(1), note=note)[0]
    window.board_model.insert_shots([child])
    qtbot.keyClick(window, Qt.Key_F, Qt.ControlModifier)
    assert window.search_box.hasFocus()
    qtbot.keyClicks(window.search_box, "luchtiger")
    # the shot the note made, and the shot the note was about
    qtbot.waitUntil(lambda: window.board_model.rowCount() == 2, timeout=20_000)
    assert {window.board_model.shot_at(r).id for r in range(2)} == {child.id, parent.id}


def test_undo_is_refused_once_a_result_was_decided(window, qtbot):
    from app.store.records import NoteDraft
    from tests.ui.conftest import colour_images, shot_drafts

    parent = window.board_model.shot_at(0)
    note = NoteDraft(shot_id=parent.id, text="smile more", language="en", author="Anna",
                     role="art-director", edits=[])
    child = repo.add_shots(window.studio, shot_drafts(parent.board_id, 1), colour_images(1), note=note)[0]
    window.board_model.insert_shots([child])
    window.applied_notes.append((child.note_id, [child.id]))
    repo.decide(window.studio, "approved", "Anna", "art-director", shot_id=child.id)
    window.actions["undo_note"].trigger()
    assert "Cannot undo" in window.statusBar().currentMessage()
    assert repo.get_shot(window.studio, child.id).status == "approved"  # nothing lost
    assert window.board_model.rowCount() == 7


def test_a_damaged_studio_offers_its_newest_backup_and_opens_restored(qtbot, filled_studio, person_settings,
                                                                      monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    with open_studio(filled_studio) as studio:
        studio.backup()
    db = filled_studio / "atelier.db"
    db.write_bytes(b"\xde\xad" * 50 + db.read_bytes()[100:])
    questions = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda parent, title, text: questions.append(text) or QMessageBox.Yes)
    win = MainWindow(person_settings)
    qtbot.addWidget(win)
    assert win.open_studio(filled_studio)
    assert "damaged" in questions[0] and "Restore the backup" in questions[0]
    assert win.board_model.rowCount() == 6
    assert any(p.name.startswith("damaged-") for p in filled_studio.iterdir())
    win.close()


def test_without_a_remembered_board_the_window_opens_on_one_with_shots(qtbot, filled_studio, person_settings):
    with open_studio(filled_studio) as studio:
        look = repo.get_board(studio, "Look 1")
        repo.create_board(studio, "Empty, newest")
    win = MainWindow(person_settings)
    qtbot.addWidget(win)
    assert win.open_studio(filled_studio, ask=False)
    assert win.boards_panel.current_board() == look.id
    assert win.board_model.rowCount() == 6
    win.close()
