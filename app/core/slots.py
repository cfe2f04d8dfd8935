"""The closed vocabulary of a brief: its slots and the operations a note may apply."""

from __future__ import annotations

# The 14 slots of DESIGN.md, in the order a brief renders them.
SLOTS: tuple[str, ...] = (
    "subject", "garment", "expression", "gaze", "pose", "hair", "makeup", "accessories",
    "lighting", "background", "framing", "color", "mood", "quality",
)

OPS: tuple[str, ...] = ("increase", "add", "decrease", "remove", "set")

# The sign DESIGN.md gives each operation (+ more of something, − less, = replace).
SIGN: dict[str, str] = {"increase": "+", "add": "+", "decrease": "-", "remove": "-", "set": "="}
