"""The context menu on shots (right click on the board): the culling actions, loupe,
compare, compare with the parent, copy the prompt or the picture, reveal the file, export.

A right click on a shot outside the selection selects that shot first (as file managers
do), so the menu always acts on what is highlighted."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QImage
from PySide6.QtWidgets import QMenu

from app.core.a1111 import parameters_text
from app.store import repo
from app.store.errors import StoreError


def prompt_text(shot) -> str:
    """The shot's recipe as the A1111 `parameters` text other SD tools paste."""
    return parameters_text(shot.recipe())


class ShotMenuMixin:
    def shot_menu(self, pos: QPoint | None = None) -> QMenu | None:
        """The menu for the shot under `pos` (board viewport coordinates), or for the
        current selection when `pos` is None; None when there is no shot."""
        view = self.board_view
        if pos is not None:
            index = view.indexAt(pos)
            shot = self.board_model.shot_at(index.row()) if index.isValid() else None
            if shot is None:
                return None
            if shot.id not in view.selected_ids():
                view.select_id(shot.id)
        ids = view.selected_ids()
        if not ids:
            return None
        try:
            current = repo.get_shot(self.studio, view.current_id() or ids[0])
        except StoreError as exc:
            self.say(str(exc))
            return None
        menu = QMenu(self)
        menu.setObjectName("ShotMenu")
        for name in ("approve", "reject", "hold", "changes"):
            menu.addAction(self.actions[name])
        rate = menu.addMenu("Rate")
        for stars in (1, 2, 3, 4, 5, 0):
            rate.addAction(self.actions[f"rate{stars}"])
        menu.addSeparator()
        menu.addAction(self.actions["loupe"])
        # A local action: disabling the window's own would also disable its Enter key.
        compare = QAction("Compare selected", menu)
        compare.setObjectName("action_compare_menu")
        compare.setShortcut(self.actions["compare"].shortcut())
        compare.setEnabled(2 <= len(ids) <= 4)
        compare.triggered.connect(lambda _c=False: self.compare_selected())
        menu.addAction(compare)
        parent = QAction("Compare with its parent", menu)
        parent.setObjectName("action_compare_parent")
        parent.setEnabled(len(ids) == 1 and current.parent_id is not None)
        parent.triggered.connect(lambda _c=False: self.compare_with_parent(current.id))
        menu.addAction(parent)
        menu.addSeparator()
        for name, text, slot in (("copy_prompt", "Copy prompt and settings",
                                  lambda: self.copy_prompt(current.id)),
                                 ("copy_image", "Copy image", lambda: self.copy_image(current.id)),
                                 ("reveal", "Show the file in its folder",
                                  lambda: self.reveal_shot(current.id))):
            action = QAction(text, menu)
            action.setObjectName(f"action_{name}")
            action.triggered.connect(lambda _c=False, f=slot: f())
            menu.addAction(action)
        export = getattr(self, "delivery_actions", {}).get("export")
        if export is not None:
            menu.addAction(export)
        return menu

    def _shot_menu_requested(self, pos: QPoint) -> None:
        menu = self.shot_menu(pos)
        if menu is not None:
            menu.popup(self.board_view.viewport().mapToGlobal(pos))

    def compare_with_parent(self, shot_id: int) -> None:
        shot = repo.get_shot(self.studio, shot_id)
        if shot.parent_id is None:
            self.say(f"#{shot.id} is a first shot: it has no parent to compare with.")
            return
        # The parent is A: "what differs from A" then reads as what the note changed.
        self.show_compare([repo.get_shot(self.studio, shot.parent_id), shot])

    def copy_prompt(self, shot_id: int) -> None:
        shot = repo.get_shot(self.studio, shot_id)
        QGuiApplication.clipboard().setText(prompt_text(shot))
        self.say(f"#{shot.id}: prompt and settings copied")

    def copy_image(self, shot_id: int) -> None:
        shot = repo.get_shot(self.studio, shot_id)
        image = QImage(str(self.studio.images.path(shot.image)))
        if image.isNull():
            self.say(f"#{shot.id}: the picture file cannot be read")
            return
        QGuiApplication.clipboard().setImage(image)
        self.say(f"#{shot.id}: image copied")

    def reveal_shot(self, shot_id: int) -> bool:
        shot = repo.get_shot(self.studio, shot_id)
        path = self.studio.images.path(shot.image)
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent))):
            self.say(f"#{shot.id} is {path}")
            return False
        self.say(f"#{shot.id} is {path.name} in that folder")
        return True
