"""The brief: the structured description of a shot, slot by slot, with weighted terms."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.core.prompt_syntax import BREAK, PromptError, conjunction, parse_a1111, parse_compel, write_compel
from app.core.slots import SLOTS
from app.core.term import Term

__all__ = ["Brief", "Term", "key", "split_terms", "split_words", "detect_syntax"]


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
            {s: [t.copy() for t in ts] for s, ts in self.slots.items()},
            [t.copy() for t in self.negative],
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
        """(positive, negative) prompts in compel syntax, terms separated by ", ", phrases
        of one comma term joined by their own words ("a woman in an oversized camel coat")."""
        return _join(t for _, t in self.ordered()), _join(self.negative)

    # ------------------------------------------------------------------ storage
    def to_dict(self) -> dict:
        return {
            "slots": {s: [_term_dict(t) for t in ts] for s, ts in self.slots.items() if ts},
            "negative": [_term_dict(t) for t in self.negative],
            "order": [[s, k] for s, k in self.order],
        }

    def reading(self) -> dict:
        """The object `atelier brief --json` prints (DESIGN.md): the slots that hold terms,
        each term's text and weight, and the negative prompt's terms."""
        def plain(t: Term) -> dict:
            return {"text": t.text, "weight": round(t.weight, 4)}

        slots = {s: [plain(t) for t in ts] for s, ts in self.slots.items() if ts}
        return {"slots": slots, "negative": [plain(t) for t in self.negative]}

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
        """Read a prompt (compel or AUTOMATIC1111 syntax): each comma term is split into
        phrases, each phrase goes to the slot of its head noun (app/core/phrases.py), what
        cannot be placed stays in `subject`. Weights are kept per phrase."""
        from app.core.lexicon import load_lexicon
        from app.core.phrases import read_term

        for text in (prompt, negative):
            found = conjunction(text) if syntax != "a1111" else None
            if found:
                raise PromptError(
                    f"this prompt combines prompts with compel's .{found}(), which a brief cannot "
                    "hold without changing what it means; write it as one prompt (the studio "
                    "keeps each phrase's weight), or render it outside Atelier")
        lex = load_lexicon()
        brief = cls.empty()
        for words in split_words(prompt, syntax):
            for slot, term in read_term(words, lex.classify_phrase):
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

    if re.search(r"[)\"](\d|\.\d|\+|-)|[^\s,()\\+-][+-]+(?=$|[\s,)])", text) or conjunction(text):
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


def split_words(prompt: str, syntax: str = "auto") -> list[list[tuple[str, float]]]:
    """A prompt as comma terms, each a list of (word, weight) (BREAK ends a term)."""
    if syntax == "auto":
        syntax = detect_syntax(prompt)
    if syntax not in ("compel", "a1111"):
        raise ValueError(f"unknown prompt syntax {syntax!r}: use compel, a1111 or auto")
    chunks = parse_compel(prompt) if syntax == "compel" else parse_a1111(prompt)
    terms: list[list[tuple[str, float]]] = [[]]
    for chunk in chunks:
        if chunk.text == BREAK and chunk.weight == -1.0:
            terms.append([])
            continue
        weight = round(chunk.weight, 4)
        for n, piece in enumerate(chunk.text.split(",")):
            if n:
                terms.append([])
            terms[-1] += [(w, weight) for w in piece.split()]
    return [t for t in terms if t]


def _join(terms) -> str:
    """Terms rendered and joined: ", " between comma terms, a phrase's own lead after the
    phrase it follows; a run of joined phrases of one weight is one weighted group."""
    groups: list[list[Term]] = []
    previous = None
    for t in terms:
        if groups and t.lead and previous is not None and key(previous.text) == t.follows:
            groups[-1].append(t)
        else:
            groups.append([t])
        previous = t
    out = []
    for group in groups:
        weights = {round(t.weight, 4) for t in group}
        if len(group) > 1 and len(weights) == 1 and 1.0 not in weights:
            text = group[0].text + "".join(t.lead + t.text for t in group[1:])
            out.append(_render_term(Term(text, group[0].weight)))
        else:
            out.append(_render_term(group[0]) + "".join(t.lead + _render_term(t) for t in group[1:]))
    return ", ".join(out)


def _render_term(t: Term) -> str:
    return write_compel([Term(t.text, round(t.weight, 4))])


def _term_dict(t: Term) -> dict:
    d: dict = {"text": t.text, "weight": t.weight}
    if t.added:
        d["added"] = True
    if t.lead:
        d["lead"], d["follows"] = t.lead, t.follows
    return d


def _term_from(x) -> Term:
    if isinstance(x, dict):
        return Term(str(x["text"]), float(x.get("weight", 1.0)), bool(x.get("added", False)),
                    str(x.get("lead", "")), str(x.get("follows", "")))
    text, weight = x  # [text, weight] pairs are accepted too
    return Term(str(text), float(weight))
