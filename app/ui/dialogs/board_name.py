"""Ask for a board's name: OK stays disabled while the name is empty, and a name the
studio refuses is said in the dialog, which stays open (nothing typed is lost)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit, QVBoxLayout

from app.store import validate
from app.store.errors import InvalidInput, StoreError
from app.ui.text import plain_label

PROMPT = "Name of the board (a look, a campaign, a review round):"


class BoardNameDialog(QDialog):
    def __init__(self, title: str = "New board", name: str = "", parent=None, create=None):
        """`create(name)` (optional) is tried on OK; a StoreError it raises is shown here."""
        super().__init__(parent)
        self.create = create
        self.result_value = None
        self.setObjectName("BoardNameDialog")
        self.setWindowTitle(title)
        self.edit = QLineEdit(name)
        self.edit.setObjectName("BoardName")
        self.edit.setMaxLength(200)
        self.error = plain_label("")
        self.error.setObjectName("MessageLabel")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(PROMPT))
        layout.addWidget(self.edit)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.edit.textChanged.connect(self._changed)
        self._changed(name)
        self.name: str | None = None

    def _changed(self, text: str) -> None:
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(bool(text.strip()))
        self.error.setText("" if text.strip() or not text else "A board needs a name.")

    def _accept(self) -> None:
        try:
            self.name = validate.name(self.edit.text(), "the board name")
        except InvalidInput as exc:
            self.error.setText(str(exc))
            return
        if self.create is not None:
            try:
                self.result_value = self.create(self.name)
            except StoreError as exc:
                self.error.setText(str(exc))
                return
        self.accept()


def ask_board_name(parent, title: str = "New board", name: str = "", create=None):
    """The name typed (or, with `create`, what create returned); None when cancelled."""
    dialog = BoardNameDialog(title, name, parent, create)
    if dialog.exec() != QDialog.Accepted:
        return None
    return dialog.result_value if create is not None else dialog.name
