"""The brief: the structured description of a shot, slot by slot, with weighted terms."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.core.prompt_syntax import BREAK, parse_a1111, parse_compel, write_compel
from app.core.slots import SLOTS
from app.core.term import Term

__all__ = ["Brief", "Term", "key", "split_terms", "detect_syntax"]


def key(text: str) -> str:
    """How two term texts are compared: case and surrounding space do not matter."""
    return " ".join(text.casefold().split())


@dataclass
class Brief:
    slots: dict[str, list[Term]]
    negative: list[Term] = field(default_factory=list)
    # Render order as (slot, key(text)): a prompt read with from_prompt renders in its own
    # order, so an edit changes only the terms it names (same prompt → same picture).
    order: list[tuple[str, str]] = field(default_factory=list, compare=False, repr=False)

    def __post_init__(self):
        for slot in self.slots:
            if slot not in SLOTS:
                raise ValueError(f"unknown slot {slot!r}; slots are: {', '.join(SLOTS)}")
        self.slots = {s: list(self.slots.get(s, [])) for s in SLOTS}

    @classmethod
    def empty(cls) -> Brief:
        return cls({s: [] for s in SLOTS}, [])

    def copy(self) -> Brief:
        return Brief(
            {s: [Term(t.text, t.weight, t.added) for t in ts] for s, ts in self.slots.items()},
            [Term(t.text, t.weight, t.added) for t in self.negative],
            list(self.order),
        )

    # ------------------------------------------------------------------ rendering
    def ordered(self) -> list[tuple[str, Term]]:
        """All positive terms as (slot, term), in render order."""
        index = {(s, key(t.text)): t for s, ts in self.slots.items() for t in ts}
        out, seen = [], set()
        for slot_key in self.order:
            if slot_key in index and slot_key not in seen:
                seen.add(slot_key)
                out.append((slot_key[0], index[slot_key]))
        for s in SLOTS:
            for t in self.slots[s]:
                if (s, key(t.text)) not in seen:
                    seen.add((s, key(t.text)))
                    out.append((s, t))
        return out

    def render(self) -> tuple[str, str]:
        """(positive, negative) prompts in compel syntax, terms separated by ", "."""
        positive = ", ".join(_render_term(t) for _, t in self.ordered())
        negative = ", ".join(_render_term(t) for t in self.negative)
        return positive, negative

    # ------------------------------------------------------------------ storage
    def to_dict(self) -> dict:
        return {
            "slots": {s: [_term_dict(t) for t in ts] for s, ts in self.slots.items() if ts},
            "negative": [_term_dict(t) for t in self.negative],
            "order": [[s, k] for s, k in self.order],
        }

    @classmethod
    def from_dict(cls, d: dict) -> Brief:
        if not isinstance(d, dict):
            raise ValueError("a brief is a JSON object")
        slots = {s: [_term_from(x) for x in ts] for s, ts in (d.get("slots") or {}).items()}
        negative = [_term_from(x) for x in d.get("negative") or []]
        order = [(str(s), str(k)) for s, k in d.get("order") or []]
        return cls(slots, negative, order)

    @classmethod
    def from_prompt(cls, prompt: str, negative: str = "", syntax: str = "auto") -> Brief:
        """Read a prompt (compel or AUTOMATIC1111 syntax); the lexicon assigns each
        comma-separated term a slot, anything it does not recognise goes to `subject`."""
        from app.core.lexicon import load_lexicon

        lex = load_lexicon()
        brief = cls.empty()
        for term in split_terms(prompt, syntax):
            slot = lex.classify(term.text) or "subject"
            if all(key(t.text) != key(term.text) for t in brief.slots[slot]):
                brief.slots[slot].append(term)
                brief.order.append((slot, key(term.text)))
        for term in split_terms(negative, syntax):
            if all(key(t.text) != key(term.text) for t in brief.negative):
                brief.negative.append(term)
        return brief


def detect_syntax(text: str) -> str:
    """'compel' when compel's weights appear, 'a1111' for A1111 brackets, else 'compel'."""
    import re

    if re.search(r"\)(\d|\.\d|\+|-)|[^\s,()\\+-][+-]+(?=$|[\s,)])", text):
        return "compel"
    if re.search(r"[(\[]", text.replace("\\(", "").replace("\\[", "")):
        return "a1111"
    return "compel"


def split_terms(prompt: str, syntax: str = "auto") -> list[Term]:
    """A prompt as comma-separated weighted terms (text trimmed, BREAK dropped)."""
    if syntax == "auto":
        syntax = detect_syntax(prompt)
    if syntax not in ("compel", "a1111"):
        raise ValueError(f"unknown prompt syntax {syntax!r}: use compel, a1111 or auto")
    chunks = parse_compel(prompt) if syntax == "compel" else parse_a1111(prompt)
    terms: list[Term] = []
    for chunk in chunks:
        if chunk.text == BREAK and chunk.weight == -1.0:
            continue
        weight = round(chunk.weight, 4)
        for piece in chunk.text.split(","):
            text = " ".join(piece.split())
            if text:
                terms.append(Term(text, weight))
    return terms


def _render_term(t: Term) -> str:
    return write_compel([Term(t.text, round(t.weight, 4))])


def _term_dict(t: Term) -> dict:
    d = {"text": t.text, "weight": t.weight}
    if t.added:
        d["added"] = True
    return d


def _term_from(x) -> Term:
    if isinstance(x, dict):
        return Term(str(x["text"]), float(x.get("weight", 1.0)), bool(x.get("added", False)))
    text, weight = x  # [text, weight] pairs are accepted too
    return Term(str(text), float(weight))
