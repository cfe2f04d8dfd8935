"""Who is working: a name and a role, recorded on every note and decision."""

from __future__ import annotations

from PySide6.QtWidgets import (QButtonGroup, QDialog, QDialogButtonBox, QFormLayout, QLabel,
                               QLineEdit, QRadioButton, QVBoxLayout, QWidget)

from app.ui.window.settings import ROLE_LABELS, ROLES, Person

ROLE_HINTS = {
    "stylist": "iterates shots with notes",
    "art-director": "approves and rejects shots and whole boards",
    "photographer": "compares variants side by side",
}


class PersonDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, person: Person | None = None):
        super().__init__(parent)
        self.setObjectName("PersonDialog")
        self.setWindowTitle("Who is working?")
        self.setModal(True)
        intro = QLabel("Your name and role are recorded on every note and decision you make.")
        intro.setWordWrap(True)
        self.name_edit = QLineEdit(person.name if person else "")
        self.name_edit.setPlaceholderText("Your name")
        self.role_group = QButtonGroup(self)
        roles = QVBoxLayout()
        for i, role in enumerate(ROLES):
            button = QRadioButton(f"{ROLE_LABELS[role]} — {ROLE_HINTS[role]}")
            button.setObjectName(f"role_{role}")
            self.role_group.addButton(button, i)
            roles.addWidget(button)
        current = ROLES.index(person.role) if person and person.role in ROLES else 0
        self.role_group.button(current).setChecked(True)
        form = QFormLayout()
        form.addRow("Name", self.name_edit)
        form.addRow("Role", roles)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.name_edit.textChanged.connect(self._update_ok)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._update_ok()

    def _update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(bool(self.name_edit.text().strip()))

    def person(self) -> Person:
        role = ROLES[max(0, self.role_group.checkedId())]
        return Person(self.name_edit.text().strip(), role)


def ask_person(parent: QWidget | None = None, current: Person | None = None) -> Person | None:
    dialog = PersonDialog(parent, current)
    return dialog.person() if dialog.exec() == QDialog.Accepted else None
