"""New shots on the current board from a prompt: the window's form of `atelier generate`."""

from __future__ import annotations

import random

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
                               QLabel, QPlainTextEdit, QSpinBox, QToolButton)

from app.core.brief import Brief
from app.engine.jobs import RenderJob
from app.ui.text import plain_label

MODEL_DEFAULT = "model default"
SIZES = (MODEL_DEFAULT, "512×512", "512×768", "768×512", "768×1024", "1024×1024", "256×256", "64×64")


def parse_size(text: str) -> tuple[int, int]:
    """'512×768' or '512x768' -> (512, 768); ValueError with a plain message otherwise."""
    parts = text.lower().replace("×", "x").split("x")
    try:
        width, height = (int(p.strip()) for p in parts)
    except ValueError:
        raise ValueError(f"size {text!r} is not WIDTHxHEIGHT, e.g. 512x768") from None
    if not (8 <= width <= 4096 and 8 <= height <= 4096) or width % 8 or height % 8:
        raise ValueError(f"size {text!r}: width and height are multiples of 8, 8 to 4096")
    return width, height


NO_TWIN = "no twin"


class GenerateDialog(QDialog):
    def __init__(self, board_id: int, models: list, parent=None, twins=(), check_twin=None):
        """`twins`: talent names to offer; `check_twin(name)` says why a twin may not be used
        on this board today (None when its consent covers the board)."""
        super().__init__(parent)
        self.setObjectName("GenerateDialog")
        self.setWindowTitle("New shots")
        self.board_id = board_id
        self.prompt = QPlainTextEdit()
        self.prompt.setPlaceholderText("a model in a red wool coat, soft window light, plain studio background")
        self.prompt.setFixedHeight(80)
        self.negative = QPlainTextEdit()
        self.negative.setPlaceholderText("blurry, extra fingers")
        self.negative.setFixedHeight(48)
        self.seed = QSpinBox(minimum=0, maximum=2**31 - 1, value=random.randrange(2**31))
        dice = QToolButton(text="New", toolTip="A new random seed")
        dice.clicked.connect(lambda: self.seed.setValue(random.randrange(2**31)))
        seed_row = QHBoxLayout()
        seed_row.addWidget(self.seed, 1)
        seed_row.addWidget(dice)
        # 0 / "model default": the engine picks the model family's own steps and size.
        self.steps = QSpinBox(minimum=0, maximum=150, value=0)
        self.steps.setSpecialValueText(MODEL_DEFAULT)
        self.size = QComboBox(editable=True)
        self.size.addItems(SIZES)
        self.count = QSpinBox(minimum=1, maximum=16, value=4)
        self.model = QComboBox()
        for info in models:
            label = info.name if info.runnable else f"{info.name} (cannot run: {info.reason})"
            self.model.addItem(label, info.name)
        self.twin = QComboBox()
        self.twin.setObjectName("TwinChoice")
        self.twin.addItem(NO_TWIN, "")
        for name in twins:
            self.twin.addItem(name, name)
        self.twin.setEnabled(bool(twins))
        self.twin.setToolTip("A real model's digital twin, used only within their consent")
        self._check_twin = check_twin
        self.twin_status = plain_label()
        self.twin_status.setObjectName("TwinStatus")
        self.twin_status.setWordWrap(True)
        self.twin.currentIndexChanged.connect(self._twin_changed)
        self.error = QLabel("")
        self.error.setObjectName("MessageLabel")
        form = QFormLayout()
        form.addRow("Prompt", self.prompt)
        form.addRow("Negative", self.negative)
        form.addRow("Seed", seed_row)
        form.addRow("Steps", self.steps)
        form.addRow("Size", self.size)
        form.addRow("Count", self.count)
        form.addRow("Model", self.model)
        form.addRow("Twin", self.twin)
        form.addRow(self.twin_status)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("Render")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(self.error)
        form.addRow(buttons)
        self.setLayout(form)
        self.job = None

    def twin_refusal(self) -> str | None:
        name = self.twin.currentData()
        if not name or self._check_twin is None:
            return None
        return self._check_twin(name)

    def _twin_changed(self, *_):
        name = self.twin.currentData()
        why = self.twin_refusal()
        if not name:
            self.twin_status.setText("")
        elif why:
            self.twin_status.setText(f"Cannot render with {name}'s twin here: {why}")
        else:
            self.twin_status.setText(f"{name}'s consent covers this board; each render is recorded in the ledger.")

    def _accept(self) -> None:
        why = self.twin_refusal()
        if why:
            self.error.setText(f"Nothing rendered: {why}")
            return
        try:
            self.job = self.build_job()
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        self.accept()

    def build_job(self) -> RenderJob:
        prompt = self.prompt.toPlainText().strip()
        if not prompt:
            raise ValueError("Write a prompt: what should the picture show?")
        size = self.size.currentText().strip()
        width, height = (None, None) if size in ("", MODEL_DEFAULT) else parse_size(size)
        brief = Brief.from_prompt(prompt, self.negative.toPlainText().strip())
        job = RenderJob(board_id=self.board_id, brief=brief.to_dict(), seed=self.seed.value(),
                        steps=self.steps.value() or None, width=width, height=height,
                        count=self.count.value(), model=self.model.currentData() or "demo",
                        twin=self.twin.currentData() or None)
        job.validate()  # the engine's own limits, said here rather than as a failed job
        return job
