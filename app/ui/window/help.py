"""The Help menu (mixed into the main window): the keyboard sheet, the log folder, About."""

from __future__ import annotations


class HelpMixin:
    def show_shortcuts(self) -> None:
        from app.ui.dialogs.shortcuts import ShortcutsDialog

        dialog = ShortcutsDialog(self.actions, self)
        dialog.exec()

    def open_log_folder(self) -> bool:
        """Show the folder holding atelier.log in the file manager (made if missing)."""
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        from app import logs

        folder = logs.log_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.say(f"The log folder {folder} cannot be made: {exc}")
            return False
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            self.say(f"The log is in {folder}")
            return False
        return True

    def show_about(self) -> None:
        from app import __version__, logs
        from app.ui.text import message_box

        message_box(self, "information", "About Atelier",
                    f"Atelier {__version__}\nAI art direction for fashion: notes become visible "
                    f"prompt edits, every decision is kept.\nStudio: {self.studio.path if self.studio else '—'}"
                    f"\nLog: {logs.log_file()}")

