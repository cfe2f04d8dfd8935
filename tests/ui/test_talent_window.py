"""The judged window scenario of the talent area: create a talent and a consent, render
with the twin, see the refusal on a board outside the consent, revoke and see the shots
marked — through the panel, its dialogs and the New shots dialog."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from PySide6.QtCore import Qt

from app.services import talent as talent_service
from app.store import repo
from app.talent import ledger
from app.talent import repo as talent_repo
from tests.talent.conftest import package_file
from tests.ui.conftest import settle

RENDER_TIMEOUT = 120_000


def answer(monkeypatch, dialog_class, fill):
    """The next `dialog_class` dialogs are filled by `fill(dialog)` and OK is pressed."""
    def exec_(self):
        fill(self)
        self._accept()
        return self.result()

    monkeypatch.setattr(dialog_class, "exec", exec_)


def fill_talent(d):
    d.name.setText("Mila")
    d.agency.setText("Elite")
    d.photos.setText(str(package_file("skimage", "data", "astronaut.png")))


def fill_consent(d):
    d.client.setText("Acme")
    d.channel_boxes["ecommerce"].setChecked(True)
    d.territories.setText("EU")
    today = date.today()
    d.start.setDate(d.start.date().addDays(-30))
    assert d.end.date().toString("yyyy-MM-dd") > today.isoformat()
    d.fee.setText("25")
    d.currency.setCurrentText("EUR")
    d.basis.setCurrentIndex(d.basis.findData("render"))


def use(client, channels, territories):
    def fill(d):
        d.client.setText(client)
        d.channels.setText(channels)
        d.territories.setText(territories)
    return fill


def test_talent_consent_twin_render_refusal_and_revocation(window, qtbot, monkeypatch):
    from app.ui.dialogs.new_shots import GenerateDialog
    from app.ui.talent.dialogs import BoardUseDialog, ConsentDialog, RevokeDialog, TalentDialog

    hooks = window.talent
    hooks.show_action.trigger()
    assert hooks.dock.isVisible()
    panel = hooks.panel

    # a talent and a consent, through the panel's dialogs
    answer(monkeypatch, TalentDialog, fill_talent)
    panel.add_button.click()
    settle(qtbot, window)
    assert [t.name for t in panel.talents] == ["Mila"]
    answer(monkeypatch, ConsentDialog, fill_consent)
    panel.grant_button.click()
    settle(qtbot, window)
    item = panel.consent_list.item(0).text()
    assert "in force" in item and "Mila consents to the use of their likeness by Acme in ecommerce for EU" in item
    assert "25.00 EUR per rendered image" in item

    # the board declares its use; it shows next to the board's toolbar
    board_id = window.boards_panel.current_board()
    answer(monkeypatch, BoardUseDialog, use("Acme", "ecommerce", "EU"))
    hooks.use_action.trigger()
    settle(qtbot, window)
    qtbot.waitUntil(lambda: "Acme · ecommerce · EU" in hooks.use_label.text())

    # render with the twin: the dialog says the consent covers it; the ledger counts it
    dialog = GenerateDialog(board_id, [], window, twins=["Mila"],
                            check_twin=lambda n: talent_service.twin_refusal(window.studio, board_id, n))
    qtbot.addWidget(dialog)
    dialog.prompt.setPlainText("a woman in a linen dress")
    dialog.size.setCurrentText("64×64")
    dialog.steps.setValue(1)
    dialog.count.setValue(2)
    dialog.twin.setCurrentIndex(dialog.twin.findData("Mila"))
    assert "covers this board" in dialog.twin_status.text()
    job = dialog.build_job()
    assert job.twin == "Mila"
    with qtbot.waitSignal(window.queue_panel.job_finished, timeout=RENDER_TIMEOUT):
        window.submit_job(job)
    qtbot.waitUntil(lambda: panel.usage.rowCount() == 2, timeout=20_000)
    assert panel.totals_label.text() == "Total: 50.00 EUR"
    panel.period.setCurrentText("last year")  # the ledger view per period
    assert panel.usage.rowCount() == 0 and panel.totals_label.text() == "No use recorded (last year)."
    panel.period.setCurrentText("this month")
    assert panel.usage.rowCount() == 2 and panel.totals_label.text() == "Total: 50.00 EUR"
    twin_shots = {line.shot for line in ledger.lines(window.studio)}
    assert len(twin_shots) == 2
    assert window.board_model.marks == {}

    # a social board is outside the consent: the dialog refuses and nothing is rendered
    social = repo.create_board(window.studio, "Acme social")
    talent_repo.set_board_use(window.studio, social.id, "Acme", "social", "EU")
    refused = GenerateDialog(social.id, [], window, twins=["Mila"],
                             check_twin=lambda n: talent_service.twin_refusal(window.studio, social.id, n))
    qtbot.addWidget(refused)
    refused.prompt.setPlainText("a woman in a linen dress")
    refused.twin.setCurrentIndex(refused.twin.findData("Mila"))
    assert "does not cover channel social" in refused.twin_status.text()
    refused._accept()
    assert refused.job is None and "Nothing rendered" in refused.error.text()

    # revoke: the twin's shots on the board are marked, and say why
    panel.consent_list.setCurrentRow(0)
    answer(monkeypatch, RevokeDialog, lambda d: d.why.setText("campaign cancelled"))
    panel.revoke_button.click()
    settle(qtbot, window)
    qtbot.waitUntil(lambda: set(window.board_model.marks) == twin_shots, timeout=20_000)
    assert "revoked" in panel.consent_list.item(0).text()
    row = window.board_model.row_of(min(twin_shots))
    tooltip = window.board_model.data(window.board_model.index(row), Qt.ToolTipRole)
    assert "⚠" in tooltip and "revoked" in tooltip


@pytest.mark.parametrize("field, value, message", [
    ("client", "", "Name the client"),
    ("territories", "Europe", "ISO 3166"),
    ("fee", "lots", "fee must be a number"),
])
def test_the_consent_dialog_refuses_bad_terms_and_stays_open(qtbot, field, value, message):
    from app.ui.talent.dialogs import ConsentDialog

    d = ConsentDialog("Mila")
    qtbot.addWidget(d)
    fill_consent(d)
    getattr(d, field).setText(value)
    d._accept()
    assert d.result() == 0 and d.result_values is None
    assert message in d.error.text()


def test_a_consent_reads_back_as_the_agreement_while_it_is_filled_in(qtbot):
    from app.ui.talent.dialogs import ConsentDialog

    d = ConsentDialog("Mila", today=date(2026, 12, 1))
    qtbot.addWidget(d)
    fill_consent(d)
    d.approval.setChecked(True)
    text = d.reads.text()
    assert text.startswith("Mila consents to the use of their likeness by Acme in ecommerce for EU, from 2026-11-01")
    assert "until " + (date(2026, 12, 1) + timedelta(days=90)).isoformat() in text
    assert "approval before it is published" in text
