"""New shots on the current board from a prompt: the window's form of `atelier generate`."""

from __future__ import annotations

import random

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
                               QLabel, QPlainTextEdit, QSpinBox, QToolButton)

from app.core.brief import Brief
from app.engine.jobs import RenderJob

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


class GenerateDialog(QDialog):
    def __init__(self, board_id: int, models: list, parent=None):
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
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("Render")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(self.error)
        form.addRow(buttons)
        self.setLayout(form)
        self.job = None

    def _accept(self) -> None:
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
                        count=self.count.value(), model=self.model.currentData() or "demo")
        job.validate()  # the engine's own limits, said here rather than as a failed job
        return job
