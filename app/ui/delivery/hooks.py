"""Hook delivery's actions into the studio window (one call from MainWindow)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp"}


def menu_titled(window, title: str) -> QMenu | None:
    """The window's top-level menu called `title` (its & shortcut marker ignored)."""
    for action in window.menuBar().actions():
        if action.menu() is not None and action.text().replace("&", "") == title:
            return action.menu()
    return None


class _DropFilter(QObject):
    """Files dropped anywhere on the window are verified."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window

    def eventFilter(self, obj, event):  # noqa: N802 - Qt's name
        kind = event.type()
        if kind in (QEvent.DragEnter, QEvent.DragMove):
            if dropped_files(event.mimeData()):
                event.acceptProposedAction()
                return True
        elif kind == QEvent.Drop:
            files = dropped_files(event.mimeData())
            if files:
                event.acceptProposedAction()
                verify_files(self.window, files)
                return True
        return False


def dropped_files(mime) -> list[Path]:
    if mime is None or not mime.hasUrls():
        return []
    out = []
    for url in mime.urls():
        if url.isLocalFile():
            p = Path(url.toLocalFile())
            if p.suffix.lower() in IMAGE_SUFFIXES:
                out.append(p)
    return out


def install(window) -> None:
    board = menu_titled(window, "Board")
    studio = menu_titled(window, "Studio")
    export = QAction("Export…", window)
    export.setObjectName("action_export")
    export.setShortcut("Ctrl+E")
    export.triggered.connect(lambda _c=False: open_export(window))
    sheet = QAction("Contact sheet…", window)
    sheet.setObjectName("action_contact_sheet")
    sheet.triggered.connect(lambda _c=False: contact_sheet(window))
    verify = QAction("Verify a file…", window)
    verify.setObjectName("action_verify")
    verify.triggered.connect(lambda _c=False: ask_verify(window))
    window.addAction(export)
    if board is not None:
        board.addSeparator()
        board.addAction(export)
        board.addAction(sheet)
    if studio is not None:
        studio.addAction(verify)
    window.delivery_actions = {"export": export, "contact_sheet": sheet, "verify": verify}
    window.setAcceptDrops(True)
    window._delivery_drop = _DropFilter(window)
    window.installEventFilter(window._delivery_drop)


def _board_id(window):
    panel = getattr(window, "boards_panel", None)
    return panel.current_board() if panel is not None else None


def open_export(window):
    from app.ui.delivery.export_dialog import ExportDialog

    if window.studio is None or _board_id(window) is None:
        window.say("Open a board to export from.")
        return None
    shots = window.selected_shots()
    dialog = ExportDialog(window.studio, _board_id(window), shots, parent=window)
    dialog.exported.connect(lambda n, folder: window.say(f"Exported {n} file(s) to {folder}"))
    dialog.open()
    return dialog


def contact_sheet(window, path: str | None = None):
    from PySide6.QtWidgets import QMessageBox

    from app.delivery.report import ReportError, write
    from app.store import repo
    from app.store.errors import StoreError

    board_id = _board_id(window)
    if window.studio is None or board_id is None:
        window.say("Open a board first.")
        return None
    board = repo.get_board(window.studio, board_id)
    if path is None:
        path, _ = QFileDialog.getSaveFileName(window, "Contact sheet", f"{board.name}.pdf", "PDF (*.pdf)")
        if not path:
            return None
    try:
        result = write(window.studio, board.id, path)
    except (ReportError, StoreError, OSError) as exc:
        box = QMessageBox(QMessageBox.Warning, "Contact sheet", f"The contact sheet was not written: {exc}",
                          QMessageBox.Ok, window)
        box.setTextFormat(Qt.PlainText)
        box.open()
        return None
    window.say(f"Contact sheet: {result['shots']} shots on {result['pages']} pages → {result['path']}")
    return result


def ask_verify(window):
    path, _ = QFileDialog.getOpenFileName(window, "Verify a file", "", "Images (*.jpg *.jpeg *.png *.webp)")
    if path:
        return verify_files(window, [Path(path)])
    return None


def verify_files(window, files):
    from app.ui.delivery.verify_dialog import VerifyDialog

    dialog = VerifyDialog(files, window.studio, parent=window)
    dialog.open()
    window.verify_dialog = dialog
    return dialog
