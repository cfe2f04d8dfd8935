"""The reason and board-approval dialogs: a reject needs a reason, Cancel approves nothing."""

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from app.ui.dialogs.decision import (MAX_REASON, BoardApprovalDialog, ReasonDialog, ask_reason,
                                     confirm_board_approval)


def _when_modal(action):
    """Run `action(dialog)` once the modal dialog is up (exec() blocks the test)."""
    def poll():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, poll)
        else:
            action(dialog)
    QTimer.singleShot(0, poll)


def test_reject_requires_a_reason(qtbot):
    dialog = ReasonDialog("reject")
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    dialog.accept()  # Ctrl+Enter or OK without a reason
    assert dialog.result() != dialog.DialogCode.Accepted and dialog.isVisible() is False
    dialog.edit.setPlainText("   ")
    assert not dialog.ok_button.isEnabled()
    dialog.edit.setPlainText("hair too flat")
    assert dialog.ok_button.isEnabled()


def test_changes_requires_a_reason_and_approve_does_not(qtbot):
    changes = ReasonDialog("changes")
    approve = ReasonDialog("approve")
    qtbot.addWidget(changes)
    qtbot.addWidget(approve)
    assert not changes.ok_button.isEnabled()
    assert approve.ok_button.isEnabled()


def test_ask_reason_ctrl_enter_returns_the_reason(qtbot):
    def type_and_accept(dialog):
        qtbot.keyClicks(dialog.edit, "  the smile looks forced  ")
        qtbot.keyClick(dialog.edit, Qt.Key_Return, Qt.ControlModifier)
    _when_modal(type_and_accept)
    assert ask_reason(None, "reject") == "the smile looks forced"


def test_ask_reason_ctrl_enter_without_reason_keeps_asking(qtbot):
    seen = []

    def try_empty_then_cancel(dialog):
        qtbot.keyClick(dialog.edit, Qt.Key_Return, Qt.ControlModifier)
        seen.append(dialog.isVisible())  # still open: a reject needs a reason
        dialog.reject()
    _when_modal(try_empty_then_cancel)
    assert ask_reason(None, "reject") is None
    assert seen == [True]


def test_optional_reason_may_be_empty(qtbot):
    _when_modal(lambda d: qtbot.keyClick(d.edit, Qt.Key_Return, Qt.ControlModifier))
    assert ask_reason(None, "hold") == ""


def test_reason_is_capped(qtbot):
    dialog = ReasonDialog("reject")
    qtbot.addWidget(dialog)
    dialog.edit.setPlainText("x" * (MAX_REASON + 500))
    assert len(dialog.reason()) == MAX_REASON
    assert dialog.counter.text() == f"{MAX_REASON} / {MAX_REASON}"


def test_unknown_verdict_is_refused():
    import pytest
    with pytest.raises(ValueError, match="Unknown verdict"):
        ReasonDialog("maybe")


SUMMARY = {"board": "SS27 denim", "counts": {"new": 2, "approved": 3, "rejected": 1,
                                             "hold": 0, "changes-requested": 1},
           "approved": [{"id": 4, "label": "#4 smiling"}, 7, "#9"]}


def test_board_approval_shows_counts_and_approved(qtbot):
    dialog = BoardApprovalDialog(SUMMARY)
    qtbot.addWidget(dialog)
    text = dialog.counts_label.text()
    assert "Approved" in text and "Changes requested" in text and "<b>7</b>" in text
    items = [dialog.approved_list.item(i).text() for i in range(dialog.approved_list.count())]
    assert items == ["#4 smiling", "#7", "#9"]
    assert "SS27 denim" in dialog.windowTitle()


def test_board_approval_enter_cancels_ctrl_enter_approves(qtbot):
    _when_modal(lambda d: qtbot.keyClick(d.focusWidget() or d, Qt.Key_Return))
    assert confirm_board_approval(None, SUMMARY) is False
    _when_modal(lambda d: qtbot.keyClick(d, Qt.Key_Return, Qt.ControlModifier))
    assert confirm_board_approval(None, SUMMARY) is True
