"""User text in the window is plain text, never rich text.

QLabel, tooltips and QMessageBox guess ("Qt::AutoText") whether a string is HTML: a note such
as `<img src=/etc/passwd>` would load a local file, and a reason could draw a fake verdict.
Labels that may hold user text are made with `plain_label` (or passed through `plain`);
tooltips go through `tip`, which escapes and forces the rich-text engine to show the
escaped text literally."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel


def plain(label: QLabel) -> QLabel:
    label.setTextFormat(Qt.PlainText)
    return label


def plain_label(text: str = "", parent=None) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.PlainText)
    label.setText(text)
    return label


def tip(text: str | None) -> str:
    """A tooltip that shows `text` exactly (line breaks kept), whatever it contains."""
    if not text:
        return ""
    body = html.escape(text).replace("\n", "<br>")
    return f"<qt>{body}</qt>"


def message_box(parent, kind: str, title: str, text: str) -> bool:
    """QMessageBox's static question/warning/critical/information with `text` shown exactly
    (file names, host names, people's names are escaped). True for Yes (questions)."""
    from PySide6.QtWidgets import QMessageBox

    shown = tip(text)
    if kind == "question":
        return QMessageBox.question(parent, title, shown) == QMessageBox.Yes
    getattr(QMessageBox, kind)(parent, title, shown)
    return True
