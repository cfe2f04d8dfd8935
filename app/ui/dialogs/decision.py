"""The two questions a decision may need: why (a reason), and "approve the whole board?".

`ask_reason(parent, verdict)` returns the reason, "" when the person chose to give none
(allowed for approve and hold), or None when they cancelled. Reject and changes-requested
need a reason: the OK button stays disabled until there is one. Ctrl+Enter accepts.
`confirm_board_approval(parent, summary)` shows the counts by status and what is approved;
Cancel is the default button, so a stray Enter approves nothing.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QListWidget, QPlainTextEdit,
                               QVBoxLayout)

MAX_REASON = 2000
# The store's verdicts, and the short words the keyboard and the command line use.
VERDICTS = {"approve": "approved", "approved": "approved", "reject": "rejected",
            "rejected": "rejected", "hold": "hold", "changes": "changes-requested",
            "changes-requested": "changes-requested"}
NEEDS_REASON = {"rejected", "changes-requested"}
TITLES = {"approved": "Approve", "rejected": "Reject", "hold": "Hold",
          "changes-requested": "Request changes"}
PROMPTS = {
    "approved": "Why approve it? (optional)",
    "rejected": "Why reject it? The team sees this reason in the history.",
    "hold": "Why hold it? (optional)",
    "changes-requested": "What should change? The stylist reads this next.",
}
STATUS_LABELS = {"new": "New", "approved": "Approved", "rejected": "Rejected",
                 "hold": "On hold", "changes-requested": "Changes requested"}


def normalize_verdict(verdict: str) -> str:
    try:
        return VERDICTS[verdict.strip().lower()]
    except KeyError:
        raise ValueError(f"Unknown verdict {verdict!r}: use approve, reject, hold or changes") from None


class _CtrlEnter(QObject):
    """Ctrl+Enter accepts the dialog from wherever the focus is (a QShortcut would need
    the window to be active, and the text box would eat the key as a new line)."""

    def __init__(self, dialog: QDialog):
        super().__init__(dialog)
        self._dialog = dialog

    def eventFilter(self, obj, event) -> bool:
        if (event.type() == QEvent.KeyPress and event.key() in (Qt.Key_Return, Qt.Key_Enter)
                and event.modifiers() & Qt.ControlModifier):
            self._dialog.accept()
            return True
        return False


class ReasonDialog(QDialog):
    def __init__(self, verdict: str, parent=None):
        super().__init__(parent)
        self.verdict = normalize_verdict(verdict)
        self.required = self.verdict in NEEDS_REASON
        self.setObjectName("reasonDialog")
        self.setWindowTitle(TITLES[self.verdict])
        self.setModal(True)
        self.resize(460, 240)
        layout = QVBoxLayout(self)
        prompt = QLabel(PROMPTS[self.verdict])
        prompt.setWordWrap(True)
        layout.addWidget(prompt)
        self.edit = QPlainTextEdit()
        self.edit.setObjectName("reasonEdit")
        self.edit.setTabChangesFocus(True)
        self.edit.setPlaceholderText("Reason (required)" if self.required else "Reason")
        layout.addWidget(self.edit)
        self.counter = QLabel()
        self.counter.setObjectName("reasonCounter")
        self.counter.setAlignment(Qt.AlignRight)
        layout.addWidget(self.counter)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.Ok)
        self.ok_button.setText(f"{TITLES[self.verdict]}  (Ctrl+Enter)")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._ctrl_enter = _CtrlEnter(self)
        self.edit.installEventFilter(self._ctrl_enter)
        self.installEventFilter(self._ctrl_enter)
        self.edit.textChanged.connect(self._changed)
        self._changed()
        self.edit.setFocus()

    def reason(self) -> str:
        return self.edit.toPlainText().strip()

    def _changed(self) -> None:
        text = self.edit.toPlainText()
        if len(text) > MAX_REASON:  # cap pasted text; keep the cursor usable
            self.edit.blockSignals(True)
            self.edit.setPlainText(text[:MAX_REASON])
            cursor = self.edit.textCursor()
            cursor.movePosition(cursor.MoveOperation.End)
            self.edit.setTextCursor(cursor)
            self.edit.blockSignals(False)
            text = text[:MAX_REASON]
        self.counter.setText(f"{len(text)} / {MAX_REASON}")
        self.ok_button.setEnabled(bool(text.strip()) or not self.required)

    def accept(self) -> None:
        if self.required and not self.reason():
            self.edit.setFocus()
            return  # a reject or a change request without a reason is not accepted
        super().accept()


def ask_reason(parent, verdict: str) -> str | None:
    """Modal. The reason (may be "" where optional), or None when cancelled."""
    dialog = ReasonDialog(verdict, parent)
    try:
        return dialog.reason() if dialog.exec() == QDialog.Accepted else None
    finally:
        dialog.deleteLater()


def _approved_label(item) -> str:
    if isinstance(item, dict):
        label = item.get("label") or f"#{item.get('id')}"
        return str(label)
    if isinstance(item, int):
        return f"#{item}"
    return str(item)


class BoardApprovalDialog(QDialog):
    """summary: {"board": name, "counts": {status: n}, "approved": [id | label | {id, label}]}"""

    def __init__(self, summary: dict, parent=None):
        super().__init__(parent)
        self.setObjectName("boardApprovalDialog")
        board = str(summary.get("board") or "this board")
        counts = {k: int(v) for k, v in (summary.get("counts") or {}).items()}
        approved = list(summary.get("approved") or [])
        total = sum(counts.values())
        self.setWindowTitle(f"Approve board “{board}”")
        self.resize(480, 380)
        layout = QVBoxLayout(self)
        head = QLabel(f"<b>Approve the board “{html.escape(board)}”?</b><br>"
                      "This records your approval of the board as a whole; it cannot be "
                      "rewritten, only followed by a new decision.")
        head.setWordWrap(True)
        layout.addWidget(head)
        rows = "".join(
            f"<tr><td>{STATUS_LABELS.get(status, status)}</td><td align='right'>{n}</td></tr>"
            for status, n in counts.items() if n or status in ("approved", "new"))
        self.counts_label = QLabel(f"<table cellpadding='2'>{rows}<tr><td><b>Total</b></td>"
                                   f"<td align='right'><b>{total}</b></td></tr></table>")
        self.counts_label.setObjectName("approvalCounts")
        layout.addWidget(self.counts_label)
        undecided = total - counts.get("approved", 0) - counts.get("rejected", 0)
        if undecided > 0:
            warn = QLabel(f"{undecided} shot(s) are not approved or rejected yet.")
            warn.setObjectName("approvalWarning")
            warn.setWordWrap(True)
            layout.addWidget(warn)
        layout.addWidget(QLabel(f"Approved shots ({len(approved)}):" if approved
                                else "No shot on this board is approved yet."))
        self.approved_list = QListWidget()
        self.approved_list.setObjectName("approvedList")
        self.approved_list.addItems([_approved_label(a) for a in approved])
        self.approved_list.setVisible(bool(approved))
        layout.addWidget(self.approved_list)
        buttons = QDialogButtonBox(QDialogButtonBox.Cancel)
        self.approve_button = buttons.addButton("Approve board  (Ctrl+Enter)",
                                                QDialogButtonBox.AcceptRole)
        self.approve_button.setAutoDefault(False)
        cancel = buttons.button(QDialogButtonBox.Cancel)
        cancel.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._ctrl_enter = _CtrlEnter(self)
        self.installEventFilter(self._ctrl_enter)
        for child in (self.approved_list, cancel, self.approve_button):
            child.installEventFilter(self._ctrl_enter)
        cancel.setFocus()


def confirm_board_approval(parent, summary: dict) -> bool:
    dialog = BoardApprovalDialog(summary, parent)
    try:
        return dialog.exec() == QDialog.Accepted
    finally:
        dialog.deleteLater()
