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
    # A phrase read from inside a comma term ("a woman in an oversized camel coat"): the
    # words that joined it to the phrase before it (" in an "), and that phrase's key.
    # Rendered right after that phrase, the term is joined by `lead` instead of ", ".
    lead: str = field(default="", compare=False, repr=False)
    follows: str = field(default="", compare=False, repr=False)

    def copy(self) -> Term:
        return Term(self.text, self.weight, self.added, self.lead, self.follows)
