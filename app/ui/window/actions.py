"""The window's actions, menus and keyboard shortcuts.

Culling keys (P, X, H, C, 0–5, Space, Enter) are single letters, so they are scoped to the
shot board (Qt.WidgetWithChildrenShortcut): typing "p" in the note box never approves a shot.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence


class Actions:
    def __init__(self, window):
        self.w = window
        self.all: dict[str, QAction] = {}
        a = self._add
        # File
        a("new_studio", "New studio…", window.new_studio_dialog)
        a("open_studio", "Open studio…", window.open_studio_dialog, QKeySequence.Open)
        a("quit", "Quit", window.close, QKeySequence.Quit)
        # Board
        a("new_board", "New board…", window.new_board, "Ctrl+N")
        a("generate", "New shots…", window.generate_dialog, "Ctrl+G")
        a("find", "Search notes and prompts", window.focus_search, "Ctrl+F")
        a("bigger", "Larger thumbnails", partial(window.step_thumb_size, +1), ["Ctrl+=", "Ctrl++"])
        a("smaller", "Smaller thumbnails", partial(window.step_thumb_size, -1), "Ctrl+-")
        a("approve_board", "Approve board…", window.approve_board)
        a("undo_note", "Undo last note", window.undo_last_note, QKeySequence.Undo)
        a("redo_note", "Redo note", window.redo_note, QKeySequence.Redo)
        # Shot (board-scoped single keys)
        board = window.board_view
        for name, label, verdict, key in (("approve", "Approve", "approved", "P"),
                                          ("reject", "Reject…", "rejected", "X"),
                                          ("hold", "Hold", "hold", "H"),
                                          ("changes", "Request changes…", "changes-requested", "C")):
            a(name, label, partial(window.decide_selected, verdict), key, scope=board)
        for stars in range(6):
            label = "Clear rating" if stars == 0 else f"Rate {'★' * stars}"
            a(f"rate{stars}", label, partial(window.rate_selected, stars), str(stars), scope=board)
        a("loupe", "Loupe", window.open_loupe, "Space", scope=board)
        a("compare", "Compare selected", window.compare_selected, ["Return", "Enter", "Ctrl+D"],
          scope=board)
        a("back_to_board", "Back to the board", window.show_board, "Escape")
        # Studio
        a("person", "Who is working…", window.change_person)
        a("models", "Models…", window.open_models)
        # Help
        a("shortcuts", "Keyboard shortcuts…", window.show_shortcuts, "F1")
        a("shortcuts_key", "Keyboard shortcuts", window.show_shortcuts, "?", scope=board)
        a("log_folder", "Open log folder", window.open_log_folder)
        a("about", "About Atelier", window.show_about)

    def _add(self, name, text, slot, keys=None, scope=None) -> QAction:
        action = QAction(text, self.w)
        action.setObjectName(f"action_{name}")
        if keys is not None:
            seqs = keys if isinstance(keys, list) else [keys]
            action.setShortcuts([QKeySequence(k) if isinstance(k, str) else QKeySequence(k)
                                 for k in seqs])
        if scope is not None:
            action.setShortcutContext(Qt.WidgetWithChildrenShortcut)
            scope.addAction(action)
        else:
            self.w.addAction(action)
        action.triggered.connect(lambda _checked=False: slot())
        self.all[name] = action
        return action

    def __getitem__(self, name: str) -> QAction:
        return self.all[name]

    def build_menus(self, menubar, recent_menu_filler) -> None:
        file = menubar.addMenu("&File")
        for n in ("new_studio", "open_studio"):
            file.addAction(self[n])
        self.recent = file.addMenu("Recent studios")
        self.recent.aboutToShow.connect(partial(recent_menu_filler, self.recent))
        file.addSeparator()
        file.addAction(self["quit"])
        board = menubar.addMenu("&Board")
        for n in ("new_board", "generate", None, "find", "bigger", "smaller", None,
                  "approve_board", "undo_note", "redo_note"):
            board.addSeparator() if n is None else board.addAction(self[n])
        shot = menubar.addMenu("&Shot")
        for n in ("approve", "reject", "hold", "changes", None, "rate1", "rate2", "rate3",
                  "rate4", "rate5", "rate0", None, "loupe", "compare", "back_to_board"):
            shot.addSeparator() if n is None else shot.addAction(self[n])
        studio = menubar.addMenu("S&tudio")
        studio.addAction(self["person"])
        studio.addAction(self["models"])
        self.view = menubar.addMenu("&View")
        self.help = menubar.addMenu("&Help")
        for n in ("shortcuts", "log_folder", None, "about"):
            self.help.addSeparator() if n is None else self.help.addAction(self[n])
        self.menubar = menubar

    def with_menus(self):
        """(menu title, action) for every action in the menus (in their order, submenus
        included), then the actions that are in none ("On the shot board")."""
        seen = set()

        def walk(menu, title):
            for action in menu.actions():
                if action.menu() is not None:
                    yield from walk(action.menu(), title)
                elif not action.isSeparator():
                    seen.add(id(action))
                    yield title, action

        for top in self.menubar.actions():
            if top.menu() is not None:
                yield from walk(top.menu(), top.text().replace("&", ""))
        for action in self.all.values():
            if id(action) not in seen:
                yield "On the shot board", action
