"""The context menu on shots (issue 10)."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication

from app.store import repo
from tests.ui.conftest import settle


def _actions(menu) -> dict:
    out = {}
    for action in menu.actions():
        if action.menu() is not None:
            out[action.text()] = action
        elif not action.isSeparator():
            out[action.objectName() or action.text()] = action
    return out


def _pos_of(window, row: int):
    return window.board_view.visualRect(window.board_model.index(row, 0)).center()


def test_a_right_click_outside_the_selection_selects_that_shot_and_offers_culling(window, qtbot):
    view = window.board_view
    view.select_id(window.board_model.shot_at(0).id)
    target = window.board_model.shot_at(2).id
    menu = window.shot_menu(_pos_of(window, 2))
    assert view.selected_ids() == [target]
    found = _actions(menu)
    for name in ("action_approve", "action_reject", "action_hold", "action_changes",
                 "action_loupe", "action_copy_prompt", "action_copy_image", "action_reveal",
                 "action_compare_parent", "action_compare_menu"):
        assert name in found, name
    assert not found["action_compare_menu"].isEnabled()  # one shot selected
    assert window.actions["compare"].isEnabled()  # the window's own Enter still works
    found["action_approve"].trigger()
    settle(qtbot, window)
    assert repo.get_shot(window.studio, target).status == "approved"


def test_copy_prompt_puts_the_recipe_on_the_clipboard(window, qtbot):
    shot = window.board_model.shot_at(1)
    menu = window.shot_menu(_pos_of(window, 1))
    _actions(menu)["action_copy_prompt"].trigger()
    text = QGuiApplication.clipboard().text()
    assert "red coat" in text and f"Seed: {shot.seed}" in text and "Negative prompt:" in text


def test_compare_with_parent_puts_the_parent_as_a(window, qtbot):
    from app.store.records import NoteDraft
    from tests.ui.conftest import colour_images, shot_drafts

    parent = window.board_model.shot_at(3)
    draft = shot_drafts(parent.board_id, 1)[0]
    note = NoteDraft(shot_id=parent.id, text="smile more", language="en", author="Anna",
                     role="art-director", edits=[])
    (child,) = repo.add_shots(window.studio, [draft], colour_images(1), note=note)
    window.queue_panel.job_finished.emit("job-p", [child.id])
    window.board_view.select_id(child.id)
    menu = window.shot_menu(None)
    action = _actions(menu)["action_compare_parent"]
    assert action.isEnabled()
    action.trigger()
    assert [s.id for s in window.compare_view._shots] == [parent.id, child.id]


def test_reveal_opens_the_folder_of_the_picture(window, monkeypatch):
    from PySide6.QtGui import QDesktopServices

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    shot = window.board_model.shot_at(0)
    window.board_view.select_id(shot.id)
    _actions(window.shot_menu(None))["action_reveal"].trigger()
    assert opened[0].toLocalFile() == str(window.studio.images.path(shot.image).parent)


def test_the_board_asks_for_the_menu_on_right_click(window):
    from PySide6.QtCore import Qt

    assert window.board_view.contextMenuPolicy() == Qt.CustomContextMenu


def test_a_shot_drags_out_as_its_picture_file(window):
    from PySide6.QtCore import Qt

    from app.ui.board.model import BoardModel  # noqa: F401

    model, view = window.board_model, window.board_view
    shots = [model.shot_at(0), model.shot_at(2)]
    assert model.flags(model.index(0, 0)) & Qt.ItemIsDragEnabled
    assert view.dragEnabled() and view.dragDropMode() == view.DragDropMode.DragOnly
    data = model.mimeData([model.index(0, 0), model.index(2, 0)])
    files = [u.toLocalFile() for u in data.urls()]
    assert files == [str(window.studio.images.path(s.image)) for s in shots]
    assert data.text().split() == [f"#{s.id}" for s in shots]
    assert model.supportedDragActions() == Qt.CopyAction
