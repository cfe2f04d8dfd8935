"""What a file says about itself (the same reading as `atelier verify`), in plain text."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout


class VerifyDialog(QDialog):
    def __init__(self, files, studio=None, parent=None):
        super().__init__(parent)
        self.setObjectName("VerifyDialog")
        self.setWindowTitle("Verify")
        self.resize(640, 420)
        from app.commands.verify import describe
        from app.delivery.verify import verify_bytes

        self.findings = []
        parts = []
        for f in files:
            path = Path(f)
            try:
                finding = verify_bytes(path.read_bytes(), studio)
            except OSError as exc:
                parts.append(f"{path.name}\ncannot read it: {exc.strerror or exc}")
                self.findings.append(None)
                continue
            self.findings.append(finding)
            parts.append(f"{path.name}\n{describe(finding)}")
        ok = [f for f in self.findings if f is not None and f.ok]
        self.summary = QLabel(f"{len(ok)} of {len(files)} file(s) labelled as AI-made, nothing invalid")
        self.summary.setTextFormat(Qt.PlainText)
        self.text = QPlainTextEdit("\n\n".join(parts))
        self.text.setObjectName("VerifyText")
        self.text.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
