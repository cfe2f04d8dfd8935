"""Help menu (issue 10): a keyboard sheet on F1 / ? listing every shortcut, the log folder,
and logging to a rotating file in the user's log folder (never a fixed /tmp path)."""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from app import logs


def test_the_log_goes_to_the_user_log_folder_and_rotates(tmp_path, monkeypatch):
    monkeypatch.setenv("ATELIER_LOG_DIR", str(tmp_path / "here"))
    path = logs.setup()
    assert path == tmp_path / "here" / "atelier.log"
    assert logs.setup() == path  # once per folder
    handlers = [h for h in logging.getLogger("app").handlers if getattr(h, "atelier_log", None)]
    assert len(handlers) == 1 and handlers[0].maxBytes == logs.MAX_BYTES
    logging.getLogger("app.ui.test").warning("a line for the log")
    handlers[0].flush()
    assert "a line for the log" in path.read_text(encoding="utf-8")
    monkeypatch.delenv("ATELIER_LOG_DIR")
    assert "tmp" not in str(logs.log_dir()).split("/")[:2]  # the platform's folder, not /tmp
    assert logs.log_dir().name.lower() in ("log", "logs", "atelier")


def test_an_error_in_the_window_is_logged_with_its_traceback(window, qtbot, monkeypatch):
    from app.ui import main

    shown = []
    monkeypatch.setattr("app.ui.text.message_box", lambda *a: shown.append(a) or True)
    path = logs.setup()
    main._install_excepthook(lambda: window)
    try:
        raise ValueError("a <b>broken</b> slot")
    except ValueError:
        sys.excepthook(*sys.exc_info())
    finally:
        sys.excepthook = sys.__excepthook__
    for h in logging.getLogger("app").handlers:
        h.flush()
    text = path.read_text(encoding="utf-8")
    assert "Traceback" in text and "a <b>broken</b> slot" in text
    assert shown and str(path) in shown[0][3]


def test_f1_opens_a_sheet_listing_every_shortcut(window, qtbot):
    from app.ui.dialogs.shortcuts import ShortcutsDialog

    seen = {}

    def look():
        dialog = QApplication.activeModalWidget()
        seen["dialog"] = dialog
        if isinstance(dialog, ShortcutsDialog):
            seen["texts"] = dialog.texts()
        if dialog is not None:
            dialog.reject()

    QTimer.singleShot(100, look)
    window.activateWindow()
    window.board_view.setFocus()
    qtbot.keyClick(window.board_view, Qt.Key_F1)
    assert isinstance(seen.get("dialog"), ShortcutsDialog)
    shown = "\n".join(f"{k}\t{w}" for k, w in seen["texts"])
    for name, action in window.actions.all.items():
        for key in action.shortcuts():
            assert key.toString(QKeySequence.NativeText) in shown, (name, key.toString())
    for must in ("Approve", "Reject", "Undo last note", "Compare selected", "Loupe",
                 "A/B flicker", "100 %", "approve, then the next shot"):
        assert must in shown, must


def test_question_mark_on_the_board_opens_the_sheet_but_not_in_the_note_box(window):
    action = window.actions["shortcuts_key"]
    assert action.shortcut().toString() == "?"
    assert action.shortcutContext() == Qt.WidgetWithChildrenShortcut
    assert action in window.board_view.actions()


def test_help_opens_the_log_folder(window, monkeypatch, tmp_path):
    from PySide6.QtGui import QDesktopServices

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    monkeypatch.setenv("ATELIER_LOG_DIR", str(tmp_path / "the-logs"))
    menu_texts = [a.text() for a in window.actions.help.actions()]
    assert "Open log folder" in menu_texts and any("Keyboard" in t for t in menu_texts)
    window.actions["log_folder"].trigger()
    assert opened and opened[0].toLocalFile() == str(tmp_path / "the-logs")
    assert (tmp_path / "the-logs").is_dir()
