"""The keyboard sheet (Help → Keyboard shortcuts, F1 or ?): every shortcut of the window's
actions, read from the actions themselves so the sheet cannot go stale, then the keys of
the loupe and the compare view."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout)


def action_rows(actions) -> list[tuple[str, str, str]]:
    """(menu, keys, what) for each action that has a shortcut, in the menus' order."""
    rows = []
    for menu, action in actions.with_menus():
        keys = [k.toString(QKeySequence.NativeText) for k in action.shortcuts()]
        if keys:
            rows.append((menu, ", ".join(keys), action.text().replace("&", "").rstrip("…")))
    return rows


class ShortcutsDialog(QDialog):
    def __init__(self, actions, parent=None):
        super().__init__(parent)
        from app.ui.compare.loupe import Loupe
        from app.ui.compare.view import CompareView

        self.setObjectName("ShortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts")
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Keys", "What it does"])
        self.tree.setRootIsDecorated(False)
        sections: dict[str, list[tuple[str, str]]] = {}
        for menu, keys, what in action_rows(actions):
            sections.setdefault(menu, []).append((keys, what))
        sections["Loupe (Space on a shot; full screen)"] = list(Loupe.KEYS)
        sections["Compare (Enter with 2–4 shots selected)"] = list(CompareView.KEYS)
        for title, rows in sections.items():
            head = QTreeWidgetItem([title, ""])
            head.setFirstColumnSpanned(True)
            font = head.font(0)
            font.setBold(True)
            head.setFont(0, font)
            self.tree.addTopLevelItem(head)
            head.setFirstColumnSpanned(True)
            for keys, what in rows:  # our own words: no user text here
                self.tree.addTopLevelItem(QTreeWidgetItem([keys, what]))
        self.tree.resizeColumnToContents(0)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)
        self.resize(560, 640)

    def texts(self) -> list[tuple[str, str]]:
        return [(self.tree.topLevelItem(i).text(0), self.tree.topLevelItem(i).text(1))
                for i in range(self.tree.topLevelItemCount())]
