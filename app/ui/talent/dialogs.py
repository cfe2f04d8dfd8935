"""Dialogs of the Talent panel: a new talent, a consent (which reads back as the
agreement it records while it is filled in), a revocation, and a board's declared use.

Each dialog only collects and checks input; the panel hands the write to the writer
thread and shows the store's own message when it refuses."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox,
                               QFileDialog, QFormLayout, QHBoxLayout, QLineEdit, QPushButton,
                               QWidget)

from app.talent import policy
from app.talent.records import Consent
from app.ui.text import plain_label

CURRENCIES = ("EUR", "USD", "GBP", "CHF", "SEK", "DKK", "NOK", "PLN", "JPY")
ROLES = ("art-director", "stylist", "photographer", "talent", "producer")


def _sentence(exc) -> str:
    """A rule's one-line message as a sentence for the dialog."""
    text = str(exc)
    return text[:1].upper() + text[1:] + "."


def _error_label():
    label = plain_label()
    label.setObjectName("MessageLabel")
    label.setWordWrap(True)
    return label


def _buttons(dialog, ok_text: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
    buttons.button(QDialogButtonBox.Ok).setText(ok_text)
    buttons.accepted.connect(dialog._accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def _file_row(edit: QLineEdit, pick) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(edit, 1)
    browse = QPushButton("Choose…")
    browse.clicked.connect(lambda _c=False: pick())
    layout.addWidget(browse)
    return row


class _FormDialog(QDialog):
    """A form whose `values()` checks the input: OK keeps the dialog open with the reason
    when it is refused, else closes it with `result_values` set."""

    result_values: dict | None = None

    def values(self) -> dict:
        raise NotImplementedError

    def _accept(self) -> None:
        try:
            self.result_values = self.values()
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        self.accept()


class TalentDialog(_FormDialog):
    """A new talent: name, agency, reference photos, and optionally the twin's adapter."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("TalentDialog")
        self.setWindowTitle("New talent")
        self.name = QLineEdit(placeholderText="Mila Jansen")
        self.agency = QLineEdit(placeholderText="Elite Amsterdam")
        self.photos = QLineEdit(placeholderText="front.jpg; profile.jpg")
        self.adapter = QLineEdit(placeholderText="mila.safetensors (optional)")
        self.trigger = QLineEdit(placeholderText="m1la (read from the adapter when it names one)")
        form = QFormLayout(self)
        form.addRow("Name", self.name)
        form.addRow("Agency", self.agency)
        form.addRow("Reference photos", _file_row(self.photos, self._pick_photos))
        form.addRow("Twin adapter", _file_row(self.adapter, self._pick_adapter))
        form.addRow("Trigger word", self.trigger)
        self.error = _error_label()
        form.addRow(self.error)
        form.addRow(_buttons(self, "Add talent"))

    def _pick_photos(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Reference photos", "",
                                                "Pictures (*.jpg *.jpeg *.png *.webp)")
        if files:
            self.photos.setText("; ".join(files))

    def _pick_adapter(self) -> None:
        file, _ = QFileDialog.getOpenFileName(self, "Twin adapter", "", "LoRA adapters (*.safetensors)")
        if file:
            self.adapter.setText(file)

    def values(self) -> dict:
        name, agency = self.name.text().strip(), self.agency.text().strip()
        if not name:
            raise ValueError("Name the talent.")
        if not agency:
            raise ValueError("Name the talent's agency (or write 'independent').")
        photos = [Path(p.strip()) for p in self.photos.text().split(";") if p.strip()]
        for p in photos:
            if not p.is_file():
                raise ValueError(f"There is no photo {p}.")
        adapter = self.adapter.text().strip() or None
        if adapter and not Path(adapter).is_file():
            raise ValueError(f"There is no adapter file {adapter}.")
        return {"name": name, "agency": agency, "references": photos, "adapter": adapter,
                "trigger": self.trigger.text().strip() or None}



def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _iso(edit: QDateEdit) -> str:
    return edit.date().toString("yyyy-MM-dd")


class ConsentDialog(_FormDialog):
    """A consent as the agreement it records: the text under the form reads it back."""

    def __init__(self, talent_name: str, parent=None, today: date | None = None):
        super().__init__(parent)
        self.setObjectName("ConsentDialog")
        self.setWindowTitle(f"Consent of {talent_name}")
        self.talent_name = talent_name
        today = today or date.today()
        self.client = QLineEdit(placeholderText="Acme")
        self.channel_boxes = {}
        channels = QWidget()
        row = QHBoxLayout(channels)
        row.setContentsMargins(0, 0, 0, 0)
        for name in policy.CHANNELS:
            box = QCheckBox(name)
            box.toggled.connect(self._update)
            self.channel_boxes[name] = box
            row.addWidget(box)
        self.territories = QLineEdit(placeholderText="EU, US (ISO 3166 codes, EU or WORLD)")
        self.start = QDateEdit(_qdate(today), calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.end = QDateEdit(_qdate(today + timedelta(days=90)), calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.fee = QLineEdit("0", placeholderText="25 or 12.50")
        self.currency = QComboBox(editable=True)
        self.currency.addItems(CURRENCIES)
        self.basis = QComboBox()
        self.basis.addItem("per exported image", "export")
        self.basis.addItem("per rendered image", "render")
        self.approval = QCheckBox("Each picture needs the talent's approval before it is published")
        self.evidence = QLineEdit(placeholderText="the signed agreement (PDF or scan)")
        for edit in (self.client, self.territories, self.fee):
            edit.textChanged.connect(self._update)
        self.currency.currentTextChanged.connect(self._update)
        for widget in (self.start, self.end):
            widget.dateChanged.connect(self._update)
        self.basis.currentIndexChanged.connect(self._update)
        self.approval.toggled.connect(self._update)
        self.evidence.textChanged.connect(self._update)

        form = QFormLayout(self)
        form.addRow("Client", self.client)
        form.addRow("Channels", channels)
        form.addRow("Territories", self.territories)
        form.addRow("From", self.start)
        form.addRow("Until (inclusive)", self.end)
        fee_row = QWidget()
        fr = QHBoxLayout(fee_row)
        fr.setContentsMargins(0, 0, 0, 0)
        fr.addWidget(self.fee, 1)
        fr.addWidget(self.currency)
        fr.addWidget(self.basis)
        form.addRow("Fee", fee_row)
        form.addRow("", self.approval)
        form.addRow("Signed agreement", _file_row(self.evidence, self._pick_evidence))
        self.reads = plain_label()
        self.reads.setObjectName("ConsentReads")
        self.reads.setWordWrap(True)
        self.reads.setTextInteractionFlags(Qt.TextSelectableByMouse)
        form.addRow("Reads", self.reads)
        self.error = _error_label()
        form.addRow(self.error)
        form.addRow(_buttons(self, "Grant consent"))
        self.setMinimumWidth(640)
        self._update()

    def _pick_evidence(self) -> None:
        file, _ = QFileDialog.getOpenFileName(self, "Signed agreement", "",
                                              "Agreements (*.pdf *.png *.jpg *.jpeg)")
        if file:
            self.evidence.setText(file)

    def values(self) -> dict:
        """The consent's terms, checked with the same rules as `atelier consent grant`."""
        client = self.client.text().strip()
        if not client:
            raise ValueError("Name the client the consent is for.")
        chans = [n for n, box in self.channel_boxes.items() if box.isChecked()]
        if not chans:
            raise ValueError("Tick at least one channel.")
        try:
            terrs = policy.territories(self.territories.text())
            code = policy.currency(self.currency.currentText())
            amount = policy.fee(self.fee.text(), code)
        except policy.PolicyError as exc:
            raise ValueError(_sentence(exc)) from None
        start, end = _iso(self.start), _iso(self.end)
        if end < start:
            raise ValueError(f"The consent ends ({end}) before it starts ({start}).")
        evidence = self.evidence.text().strip() or None
        if evidence and not Path(evidence).is_file():
            raise ValueError(f"There is no file {evidence}.")
        return {"client": client, "channels": chans, "territories": list(terrs), "valid_from": start,
                "valid_until": end, "fee": amount, "currency": code, "basis": self.basis.currentData(),
                "approval_required": self.approval.isChecked(), "evidence": evidence}

    def _update(self, *_):
        try:
            v = self.values()
        except ValueError as exc:
            self.reads.setText("(" + str(exc) + ")")
            return
        evidence = Path(v["evidence"]).name if v["evidence"] else None
        consent = Consent(0, 0, self.talent_name, v["client"], tuple(v["channels"]), tuple(v["territories"]),
                          v["valid_from"], v["valid_until"], v["fee"], v["currency"], v["basis"],
                          v["approval_required"], None, evidence, "")
        self.reads.setText(consent.reads())



class RevokeDialog(_FormDialog):
    """Who revokes a consent, in which role, and why (all three are kept in the record)."""

    def __init__(self, consent: Consent, person=None, parent=None):
        super().__init__(parent)
        self.setObjectName("RevokeDialog")
        self.setWindowTitle(f"Revoke consent {consent.id}")
        self.by = QLineEdit(getattr(person, "name", "") or "")
        self.role = QComboBox()
        self.role.addItems(ROLES)
        self.role.setCurrentText("talent")
        self.why = QLineEdit(placeholderText="campaign cancelled")
        form = QFormLayout(self)
        what = plain_label(consent.reads())
        what.setWordWrap(True)
        form.addRow(what)
        form.addRow("Revoked by", self.by)
        form.addRow("Role", self.role)
        form.addRow("Why", self.why)
        self.error = _error_label()
        form.addRow(self.error)
        form.addRow(_buttons(self, "Revoke"))
        self.setMinimumWidth(520)

    def values(self) -> dict:
        by, why = self.by.text().strip(), self.why.text().strip()
        if not by:
            raise ValueError("Say who revokes the consent.")
        if not why:
            raise ValueError("Say why: the reason stays in the record.")
        return {"person": by, "role": self.role.currentText(), "reason": why}


class BoardUseDialog(_FormDialog):
    """What a board's pictures are for: client, channels, territories."""

    def __init__(self, board_name: str, use=None, parent=None):
        super().__init__(parent)
        self.setObjectName("BoardUseDialog")
        self.setWindowTitle(f"Use of {board_name}")
        self.client = QLineEdit(getattr(use, "client", "") or "", placeholderText="Acme")
        self.channels = QLineEdit(", ".join(getattr(use, "channels", ()) or ()),
                                  placeholderText=", ".join(policy.CHANNELS))
        self.territories = QLineEdit(", ".join(getattr(use, "territories", ()) or ()),
                                     placeholderText="EU, US")
        form = QFormLayout(self)
        form.addRow("Client", self.client)
        form.addRow("Channels", self.channels)
        form.addRow("Territories", self.territories)
        self.error = _error_label()
        form.addRow(self.error)
        form.addRow(_buttons(self, "Set use"))
        self.setMinimumWidth(480)

    def values(self) -> dict:
        client = self.client.text().strip()
        try:
            if not client:
                raise policy.PolicyError("name the client the pictures are for")
            chans = policy.channels(self.channels.text())
            terrs = policy.territories(self.territories.text())
        except policy.PolicyError as exc:
            raise ValueError(_sentence(exc)) from None
        return {"client": client, "channels": list(chans), "territories": list(terrs)}
