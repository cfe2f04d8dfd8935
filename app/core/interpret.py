"""interpret(note, brief) → Interpretation: what a direction note does to a brief.

Policy (docs/ARCHITECTURE.md, Decisions): the studio never guesses. A note is understood
only when every clause of it is; otherwise it yields no edit at all and a message that
says which part was not understood, echoes the unknown words and shows notes that work.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.core.brief import Brief, key
from app.core.edits import Edit, apply_edits, plan, weight_of
from app.core.grammar import Clause, Direction, analyse
from app.core.lexicon import Entry, Lexicon, load_lexicon, tokenize

EXAMPLES = {
    "en": "'smile more', 'a bit softer light', 'no jewelry', 'plain white background', "
          "'hair up in a bun', 'full body shot', 'smile more and less makeup'",
    "nl": "'lach iets meer', 'zachter licht', 'geen sieraden', 'witte achtergrond', "
          "'haar in een knot', 'volledig lichaam in beeld', 'lach meer, minder make-up'",
}


class EmptyNote(ValueError):
    """The note is empty or blank: there is nothing to interpret."""


@dataclass
class Interpretation:
    note: str
    language: str
    understood: bool
    edits: list[Edit] = field(default_factory=list)
    message: str = ""

    def apply(self, brief: Brief) -> Brief:
        return apply_edits(brief, self.edits)

    def to_json(self, before: Brief, after: Brief) -> dict:
        """The object `atelier interpret --json` prints (DESIGN.md)."""
        pos_before, neg_before = before.render()
        pos_after, neg_after = after.render()
        return {
            "note": self.note,
            "language": self.language,
            "understood": self.understood,
            "edits": [e.to_dict() for e in self.edits],
            "prompt": {"before": pos_before, "after": pos_after},
            "negative": {"before": neg_before, "after": neg_after},
            "message": self.message,
        }


def interpret(note: str, brief: Brief | None = None) -> Interpretation:
    if not isinstance(note, str) or not "".join(ch for ch in note if ch.isprintable()).strip():
        raise EmptyNote("the note is empty: write a direction such as 'smile more'")
    lex = load_lexicon()
    language = lex.detect_language(lex.split_compounds(tokenize(note)))
    clauses = analyse(note, lex)
    relevant = [c for c in clauses if c.directions or c.unknown or c.markers]
    failed = [c for c in relevant if not c.understood]
    if failed or not relevant:
        return Interpretation(note, language, False, [], _not_understood(note, relevant, failed, language))
    current = brief if brief is not None else Brief.empty()
    edits: list[Edit] = []
    for c in relevant:
        for d in c.directions:
            edit = _edit(lex, current, d)
            edits.append(edit)
            current = apply_edits(current, [edit])
    ignored = sorted({w for c in relevant for w in c.unknown})
    message = "; ".join(e.describe() for e in edits) or "Nothing to change: the note keeps things as they are."
    if ignored:
        message += f" (ignored: {', '.join(ignored)})"
    return Interpretation(note, language, True, edits, message)


def _edit(lex: Lexicon, brief: Brief, d: Direction) -> Edit:
    entry, op = d.entry, d.op
    term = d.term or _in_brief(lex, brief, entry.slot, entry) or entry.term
    if op == "increase" and weight_of(brief, entry.slot, term)[0] == 0 and entry.opposite:
        # "warmer" on a brief that asks for cool light: take back the cool light first
        opposite = lex.entries.get((entry.slot, entry.opposite))
        found = opposite and _in_brief(lex, brief, entry.slot, opposite)
        if found and weight_of(brief, entry.slot, found)[0] > 0:
            return plan(brief, entry.slot, "decrease", found, d.step, entry.negate)
    return plan(brief, entry.slot, op, term, d.step, entry.negate)


def _in_brief(lex: Lexicon, brief: Brief, slot: str, entry: Entry) -> str | None:
    """The brief's own wording of an entry's term ("big smile" for smiling), if present."""
    k = key(entry.term)
    candidates = list(brief.slots[slot]) + list(brief.negative)
    for t in candidates:
        if key(t.text) == k:
            return t.text
    for t in candidates:
        found = lex.mentions(t.text)
        if found and found[0] is entry:
            return t.text
    return None


def _not_understood(note: str, relevant: list[Clause], failed: list[Clause], language: str) -> str:
    unknown = sorted({w for c in failed for w in c.unknown})
    ok = [c.text for c in relevant if c not in failed]
    bad = [c.text for c in failed] or [" ".join(note.split())]
    if ok:
        parts = [f"Understood \"{_short('; '.join(ok))}\" but not \"{_short('; '.join(bad))}\"."]
    else:
        parts = [f"Not understood: \"{_short('; '.join(bad))}\"."]
    if unknown:
        more = f" and {len(unknown) - 12} more" if len(unknown) > 12 else ""
        parts.append(f"Words I don't know: {', '.join(unknown[:12])}{more}.")
    else:
        parts.append("It does not say what to change and how (for example hair, light or "
                     "background, and more, less, no or a new value).")
    parts.append("Nothing was changed. Name what to change and how, for example: "
                 f"{EXAMPLES[language]}.")
    return " ".join(parts)


def _short(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
