"""The window's colours, in one place, with the contrast each pairing must keep.

Colours are hex strings (usable in style sheets); `qcolor(name)` gives a QColor. The board's
cells are dark: text and marks on them keep WCAG contrast (4.5:1 for text such as the shot
number, 3:1 for graphical marks such as empty stars), checked by `tests/ui/test_theme.py`.
"""

from __future__ import annotations

CELL_BG = "#1f1f1f"
SELECTED_BG = "#2e2a24"
EMPTY_BG = "#262626"
ACCENT = "#c9a36a"          # selection frame, filled stars
STAR_EMPTY = "#7d7d7d"      # an empty star: readable as "not rated", not as a rating
ID_TEXT = "#a6a6a6"         # the shot number under a cell
MUTED_TEXT = "#9a9a9a"      # secondary text in panels
PLACEHOLDER = "#8a8a8a"
ERROR_TEXT = "#e08070"
BADGE_TEXT = "#f4f4f4"
HOVER_FRAME = "#4a4a4a"

# status -> badge colour (the words are in app/ui/labels.py)
BADGE = {
    "new": "#56636f",
    "approved": "#3f7a4b",
    "rejected": "#a03f39",
    "hold": "#8c6a22",
    "changes-requested": "#6c4f99",
    "consent-lapsed": "#c0392b",  # a twin shot its consent no longer covers
    "likeness-same": "#3f7a4b",  # a twin shot's face is the talent's (distance < 0.6)
    "likeness-other": "#9a5209",  # it is not: the seeds' hard problem, flagged
    "likeness-none": "#56636f",  # no face found
}


def _channel(c: float) -> float:
    c /= 255.0
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    h = colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def qcolor(colour: str):
    from PySide6.QtGui import QColor

    return QColor(colour)
