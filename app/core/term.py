"""A weighted term: the unit of a brief and of a parsed prompt."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Term:
    text: str
    weight: float = 1.0
    # True when a note brought the term in ("smile more" on a brief without smiling):
    # such a term leaves again when the opposite note brings its level back to zero.
    added: bool = field(default=False, compare=False, repr=False)
