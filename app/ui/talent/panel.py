"""The Talent panel: each talent's reference photos, twin, consents (read as the
agreements they record, with their state today) and usage with totals per currency.

Reads go through `app.talent` on the window's connection; writes (a new talent, a
consent, a revocation, forgetting) go to the window's writer thread, and the panel
re-reads when they are done. Names and reasons are people's text: plain text only."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel,
                               QListWidget, QListWidgetItem, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from app.services import talent as talent_service
from app.talent import repo as talent_repo
from app.ui.text import message_box, plain_label, tip

STATE_MARK = {"in force": "●", "revoked": "✕", "expired": "○", "not yet in force": "◌"}
PHOTO_SIDE = 72
MAX_PHOTOS = 6


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("SectionHeading")
    return label


class TalentPanel(QWidget):
    message = Signal(str)
    changed = Signal()  # a talent or consent changed: boards re-check their twin shots

    def __init__(self, host, parent=None):
        super().__init__(parent)
        self.setObjectName("TalentPanel")
        self.host = host  # the window: .studio, .writes, .person
        self.talents: list = []
        self.consents: list = []

        self.list = QListWidget()
        self.list.setObjectName("TalentList")
        self.list.setMaximumHeight(96)
        self.list.setMinimumHeight(60)
        self.list.currentRowChanged.connect(self._show_current)
        self.add_button = QPushButton("New talent…")
        self.add_button.clicked.connect(lambda _c=False: self.add_talent())
        self.forget_button = QPushButton("Forget…")
        self.forget_button.setToolTip("Erase the talent's photos and adapter; the record of use stays")
        self.forget_button.clicked.connect(lambda _c=False: self.forget_talent())
        top = QHBoxLayout()
        top.addWidget(self.add_button)
        top.addStretch(1)
        top.addWidget(self.forget_button)

        self.name_label = plain_label()
        self.name_label.setObjectName("TalentName")
        font = self.name_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.name_label.setFont(font)
        self.twin_label = plain_label()
        self.twin_label.setWordWrap(True)
        self.photos = QHBoxLayout()
        self.photos.setSpacing(4)
        photo_row = QWidget()
        photo_row.setLayout(self.photos)
        photo_row.setMinimumHeight(PHOTO_SIDE + 4)

        self.consent_list = QListWidget()
        self.consent_list.setObjectName("ConsentList")
        self.consent_list.setWordWrap(True)
        self.consent_list.setTextElideMode(Qt.ElideNone)
        self.consent_list.setSelectionMode(QAbstractItemView.SingleSelection)
        self.consent_list.currentRowChanged.connect(self._update_buttons)
        self.consent_list.setMinimumHeight(110)
        self.consent_list.setSpacing(4)
        self.consent_list.setAlternatingRowColors(True)
        self.grant_button = QPushButton("Grant consent…")
        self.grant_button.clicked.connect(lambda _c=False: self.grant_consent())
        self.revoke_button = QPushButton("Revoke…")
        self.revoke_button.clicked.connect(lambda _c=False: self.revoke_consent())
        consent_buttons = QHBoxLayout()
        consent_buttons.addWidget(self.grant_button)
        consent_buttons.addWidget(self.revoke_button)
        consent_buttons.addStretch(1)

        self.period = QComboBox()
        self.period.setObjectName("UsagePeriod")
        self.period.addItems(talent_service.PERIODS)
        self.period.currentIndexChanged.connect(self._show_current)
        self.usage = QTableWidget(0, 5)
        self.usage.setObjectName("UsageTable")
        self.usage.setHorizontalHeaderLabels(["Date", "Use", "Shot", "Channel", "Fee"])
        self.usage.verticalHeader().setVisible(False)
        self.usage.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.usage.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.usage.horizontalHeader().setStretchLastSection(True)
        self.usage.setMinimumHeight(100)
        self.totals_label = plain_label()
        self.totals_label.setObjectName("UsageTotals")
        self.statement_button = QPushButton("Statement…")
        self.statement_button.setToolTip("A PDF of the agency's usage an agency can invoice from")
        self.statement_button.clicked.connect(lambda _c=False: self.write_statement())
        usage_row = QHBoxLayout()
        usage_row.addWidget(self.totals_label, 1)
        usage_row.addWidget(self.statement_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addLayout(top)
        layout.addWidget(self.name_label)
        layout.addWidget(self.twin_label)
        layout.addWidget(photo_row)
        layout.addWidget(_heading("Consents"))
        layout.addWidget(self.consent_list, 2)
        layout.addLayout(consent_buttons)
        usage_head = QHBoxLayout()
        usage_head.addWidget(_heading("Usage"))
        usage_head.addStretch(1)
        usage_head.addWidget(self.period)
        layout.addLayout(usage_head)
        layout.addWidget(self.usage, 2)
        layout.addLayout(usage_row)
        self.refresh()

    # -- reading -----------------------------------------------------------------------
    @property
    def studio(self):
        return getattr(self.host, "studio", None)

    @property
    def writable(self) -> bool:
        return self.studio is not None and getattr(self.host, "writes", None) is not None

    def refresh(self, select: str | None = None) -> None:
        """Re-read the talents (keeping the current one, or choosing `select`)."""
        keep = select or (self.current_talent().name if self.current_talent() else None)
        self.talents = talent_service.usable_talents(self.studio) if self.studio is not None else []
        self.list.blockSignals(True)
        self.list.clear()
        for t in self.talents:
            item = QListWidgetItem(f"{t.name} — {t.agency}")
            item.setToolTip(tip(f"{t.name} ({t.agency})"))
            self.list.addItem(item)
        self.list.blockSignals(False)
        names = [t.name for t in self.talents]
        self.list.setCurrentRow(names.index(keep) if keep in names else (0 if names else -1))
        self._show_current()

    def current_talent(self):
        row = self.list.currentRow()
        return self.talents[row] if 0 <= row < len(self.talents) else None

    def current_consent(self):
        row = self.consent_list.currentRow()
        return self.consents[row] if 0 <= row < len(self.consents) else None

    def _show_current(self, *_):
        t = self.current_talent()
        while self.photos.count():
            item = self.photos.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.consent_list.clear()
        self.consents = []
        self.usage.setRowCount(0)
        if t is None:
            self.name_label.setText("No talent yet." if self.studio is not None else "No studio open.")
            self.twin_label.setText("A talent is a real model whose digital twin (an adapter and its "
                                    "trigger word) is used only within a written consent.")
            self.totals_label.setText("")
            self._update_buttons()
            return
        self.name_label.setText(f"{t.name} · {t.agency}")
        if t.adapter_name:
            self.twin_label.setText(f"Twin: {t.adapter_name} (sha256 {t.adapter[:12]}…)"
                                    + (f", trigger word “{t.trigger_word}”" if t.trigger_word else ""))
        else:
            self.twin_label.setText("No twin adapter: renders use the prompt only.")
        for photo in t.photos[:MAX_PHOTOS]:
            label = QLabel()
            label.setFixedSize(PHOTO_SIDE, PHOTO_SIDE)
            label.setAlignment(Qt.AlignCenter)
            pixmap = QPixmap(str(talent_repo.photo_path(self.studio, photo)))
            if pixmap.isNull():
                label.setText("?")
            else:
                label.setPixmap(pixmap.scaled(PHOTO_SIDE, PHOTO_SIDE, Qt.KeepAspectRatio, Qt.SmoothTransformation))
            self.photos.addWidget(label)
        if len(t.photos) > MAX_PHOTOS:
            self.photos.addWidget(plain_label(f"+{len(t.photos) - MAX_PHOTOS}"))
        self.photos.addStretch(1)

        self.consents = talent_repo.consents(self.studio, t.name)
        for c in self.consents:
            state = talent_service.consent_state(c)
            item = QListWidgetItem(f"{STATE_MARK[state]} Consent {c.id}, {state}: {c.reads()}")
            item.setData(Qt.UserRole, state)
            if state != "in force":
                item.setForeground(Qt.gray)
            self.consent_list.addItem(item)
        if not self.consents:
            self.consent_list.addItem(QListWidgetItem("No consent yet: the twin cannot be used."))
        period = self.period.currentText()
        lines, totals = talent_service.usage(self.studio, t.name, period)
        self.usage.setRowCount(len(lines))
        for r, line in enumerate(lines):
            for c, value in enumerate((line.time[:10], line.event, f"#{line.shot}", line.channel,
                                       f"{line.fee} {line.currency}")):
                self.usage.setItem(r, c, QTableWidgetItem(value))
        self.totals_label.setText(("Total: " + ", ".join(f"{v} {c}" for c, v in totals.items()))
                                  if totals else f"No use recorded ({period}).")
        self._update_buttons()

    def _update_buttons(self, *_):
        t, c = self.current_talent(), self.current_consent()
        self.add_button.setEnabled(self.writable)
        self.forget_button.setEnabled(self.writable and t is not None)
        self.grant_button.setEnabled(self.writable and t is not None)
        self.revoke_button.setEnabled(self.writable and c is not None and not c.revoked)
        self.statement_button.setEnabled(self.studio is not None and t is not None)

    # -- writing -----------------------------------------------------------------------
    def _write(self, action, done_text, select=None) -> None:
        def done(_result, error):
            if error is not None:
                message_box(self, "warning", "Talent", str(error))
                return
            self.refresh(select)
            self.message.emit(done_text)
            self.changed.emit()

        self.host.writes.submit(action, done)

    def add_talent(self) -> None:
        from app.ui.talent.dialogs import TalentDialog

        if not self.writable:
            return
        dialog = TalentDialog(self)
        if not dialog.exec() or dialog.result_values is None:
            return
        v = dialog.result_values
        self._write(lambda s: talent_repo.add_talent(s, v["name"], v["agency"], v["references"],
                                                     v["adapter"], v["trigger"]),
                    f"Added {v['name']}.", select=v["name"])

    def grant_consent(self) -> None:
        from app.ui.talent.dialogs import ConsentDialog

        t = self.current_talent()
        if t is None or not self.writable:
            return
        dialog = ConsentDialog(t.name, self)
        if not dialog.exec() or dialog.result_values is None:
            return
        v = dialog.result_values
        self._write(lambda s: talent_repo.grant_consent(
            s, t.name, v["client"], v["channels"], v["territories"], v["valid_from"], v["valid_until"],
            v["fee"], v["currency"], v["basis"], v["approval_required"], v["evidence"]),
            f"Consent granted for {t.name}.", select=t.name)

    def revoke_consent(self) -> None:
        from app.ui.talent.dialogs import RevokeDialog

        c = self.current_consent()
        if c is None or c.revoked or not self.writable:
            return
        dialog = RevokeDialog(c, getattr(self.host, "person", None), self)
        if not dialog.exec() or dialog.result_values is None:
            return
        v = dialog.result_values
        self._write(lambda s: talent_repo.revoke_consent(s, c.id, v["person"], v["role"], v["reason"]),
                    f"Consent {c.id} revoked: {c.talent}'s shots under it are marked.", select=c.talent)

    def forget_talent(self) -> None:
        t = self.current_talent()
        if t is None or not self.writable:
            return
        if not message_box(self, "question", "Forget talent",
                           f"Erase {t.name}'s reference photos and twin adapter from this studio?\n\n"
                           "Their consents, the usage ledger and the record of this erasure stay. "
                           "This cannot be undone."):
            return
        self._write(lambda s: talent_repo.forget_talent(s, t.name), f"{t.name}'s photos and adapter erased.")

    def write_statement(self) -> None:
        from app.delivery.pdf import PdfError
        from app.store.errors import StoreError
        from app.talent import statement

        t = self.current_talent()
        if t is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, "Usage statement", f"{t.agency} statement.pdf",
                                              "PDF (*.pdf)")
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        try:
            start, end = talent_service.period_dates(self.period.currentText())
            result = statement.write(self.studio, t.agency, path, start, end)
        except (PdfError, StoreError) as exc:
            message_box(self, "warning", "Usage statement", str(exc))
            return
        self.message.emit(f"Statement for {result['agency']} written: {result['lines']} lines, {path}")
