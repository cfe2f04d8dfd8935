"""The edits a note would make, one per row: keep it (checkbox), adjust its weight, or drop it."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QDoubleSpinBox, QHeaderView,
                               QTableWidget, QTableWidgetItem, QWidget, QHBoxLayout)

from app.core.edits import Edit
from app.ui.text import tip

COLUMNS = ("", "Slot", "Op", "Term", "Before", "After")
OP_SIGNS = {"increase": "+", "add": "+", "decrease": "−", "remove": "−", "set": "="}


def _centered(widget: QWidget) -> QWidget:
    holder = QWidget()
    layout = QHBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setAlignment(Qt.AlignCenter)
    layout.addWidget(widget)
    return holder


def weight_text(weight: float) -> str:
    """A signed edit weight as a person reads it: absent, a weight, or a negative weight."""
    if weight == 0:
        return "absent"
    return f"{weight:.2f}" if weight > 0 else f"{-weight:.2f} neg"


class EditsTable(QTableWidget):
    """`set_edits(edits)`; `chosen()` gives the kept edits with the weights as adjusted."""

    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(0, len(COLUMNS), parent)
        self.setObjectName("EditsTable")
        self.setHorizontalHeaderLabels(COLUMNS)
        self.verticalHeader().setVisible(False)
        self.setSelectionMode(QAbstractItemView.NoSelection)
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setFocusPolicy(Qt.NoFocus)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.Stretch)
        # The weight box's own size hint (style sheet padding) took the Term column's room.
        header.setSectionResizeMode(5, QHeaderView.Fixed)
        self.setColumnWidth(5, self.fontMetrics().horizontalAdvance("0.00 neg") + 30)
        header.setMinimumSectionSize(28)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.ElideMiddle)
        self._edits: list[Edit] = []
        self._checks: list[QCheckBox] = []
        self._spins: list[QDoubleSpinBox] = []

    def set_edits(self, edits: list[Edit]) -> None:
        self._edits = list(edits)
        self._checks, self._spins = [], []
        self.setRowCount(len(self._edits))
        for row, edit in enumerate(self._edits):
            check = QCheckBox()
            check.setChecked(True)
            check.setToolTip("Untick to drop this edit")
            check.toggled.connect(self._on_change)
            self.setCellWidget(row, 0, _centered(check))
            # The sign only (the word is in the tooltip and the line above the table): the
            # word took the Term column's room in a 400 px panel.
            op = OP_SIGNS.get(edit.op, edit.op)
            for col, text in ((1, edit.slot), (2, op), (3, edit.term),
                              (4, weight_text(edit.weight_before))):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemIsEnabled)
                item.setToolTip(tip(f"{edit.slot}: {edit.op} “{edit.term}”"))
                if col == 2:
                    item.setTextAlignment(Qt.AlignCenter)
                self.setItem(row, col, item)
            spin = QDoubleSpinBox()
            spin.setRange(0.0, 3.0)
            spin.setSingleStep(0.05)
            spin.setDecimals(2)
            # Edit weights are signed (negative: in the negative prompt); the box shows
            # the weight and says where it goes, and keeps that side when adjusted.
            spin.setValue(abs(edit.weight_after))
            if edit.weight_after < 0:
                spin.setSuffix(" neg")
                spin.setToolTip("Weight in the negative prompt after the edit")
            else:
                spin.setToolTip("Weight after the edit (0: taken out of the prompt)")
            spin.valueChanged.connect(self._on_change)
            spin.setMinimumWidth(0)
            self.setCellWidget(row, 5, spin)
            self._checks.append(check)
            self._spins.append(spin)
        self.resizeRowsToContents()

    def _on_change(self, *_):
        self.changed.emit()

    def edits(self) -> list[Edit]:
        return list(self._edits)

    def chosen(self) -> list[Edit]:
        out = []
        for edit, check, spin in zip(self._edits, self._checks, self._spins):
            if not check.isChecked():
                continue
            after = round(spin.value(), 2) * (-1 if edit.weight_after < 0 else 1)
            if abs(after - round(edit.weight_after, 2)) < 1e-9:
                out.append(edit)  # untouched: keep the note's own edit (its step, its extras)
            else:  # adjusted by hand: the weight as set, not re-derived from the note's step
                out.append(replace(edit, weight_after=after, step=None))
        return out

    def set_kept(self, row: int, kept: bool) -> None:
        self._checks[row].setChecked(kept)

    def set_weight(self, row: int, weight: float) -> None:
        self._spins[row].setValue(abs(weight))
