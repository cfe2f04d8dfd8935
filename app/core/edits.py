"""Edits: one change to one term of a brief, and how it is applied.

Weights are signed in an Edit: a positive weight is the term's weight in the positive
prompt, 0.0 means absent, a negative weight -w means the term sits in the negative prompt
with weight w. So `delta` says how far a note pushed the term, whichever prompt it is in.

Rules (see docs/ARCHITECTURE.md, Decisions):
- weights stay within [MIN_WEIGHT, MAX_WEIGHT] in either prompt;
- a note moves a term by a step that grows with the intensity words (STEPS);
- a term a note brought in (`Term.added`) lives on a level scale: level > 0 is weight
  1.0 + level in the positive prompt, level < 0 is weight 0.8 + |level| in the negative
  prompt, level 0 is absent; so "more X" then "less X" returns to the original brief.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.core.brief import Brief, key
from app.core.phrases import kind
from app.core.slots import OPS, SLOTS
from app.core.term import Term

MIN_WEIGHT, MAX_WEIGHT = 0.5, 1.6
ADDED_BASE, NEGATIVE_BASE = 1.0, 0.8
# Intensity → step. "a touch" < "a bit / iets" < plain "more / meer" < "much / veel".
STEPS = {"tiny": 0.05, "slight": 0.1, "plain": 0.2, "strong": 0.35}
PLAIN = STEPS["plain"]


@dataclass(frozen=True)
class Edit:
    slot: str
    op: str
    term: str
    weight_before: float
    weight_after: float
    # The note's step: apply_edits re-derives the weights from it against the brief it is
    # given, so a note applied twice strengthens twice. None: apply weight_after as is.
    step: float | None = field(default=None, compare=False)
    replaced: tuple[str, ...] = field(default=(), compare=False)  # terms a `set` pushed out
    negate: bool = field(default=True, compare=False)  # remove → also into the negative
    added: bool = field(default=False, compare=False)  # the term is on the level scale after

    def __post_init__(self):
        if self.slot not in SLOTS:
            raise ValueError(f"unknown slot {self.slot!r}")
        if self.op not in OPS:
            raise ValueError(f"unknown operation {self.op!r}")

    @property
    def delta(self) -> float:
        return round(self.weight_after - self.weight_before, 4)

    def to_dict(self) -> dict:
        return {"slot": self.slot, "op": self.op, "term": self.term,
                "weight_before": self.weight_before, "weight_after": self.weight_after,
                "delta": self.delta}

    @classmethod
    def from_dict(cls, d: dict) -> Edit:
        before, after = float(d["weight_before"]), float(d["weight_after"])
        added = d["op"] in ("increase", "decrease") and before == 0 and after != 0
        return cls(d["slot"], d["op"], d["term"], before, after, added=added)

    def describe(self) -> str:
        """One line saying exactly what changed, e.g. 'expression: smiling 1.0 → 1.1'."""
        text = f"{self.slot}: {self.term} {_state(self.weight_before)} → {_state(self.weight_after)}"
        if self.replaced:
            text += f" (replaces {', '.join(self.replaced)})"
        return text


def _state(w: float) -> str:
    if w == 0:
        return "absent"
    text = f"{abs(w):.2f}".rstrip("0")
    text += "0" if text.endswith(".") else ""
    return text if w > 0 else f"negative {text}"


# ------------------------------------------------------------------ reading a brief


def weight_of(brief: Brief, slot: str, term: str) -> tuple[float, bool]:
    """(signed weight, added) of a term: positive prompt first, then the negative."""
    k = key(term)
    for t in brief.slots[slot]:
        if key(t.text) == k:
            return t.weight, t.added
    for t in brief.negative:
        if key(t.text) == k:
            return -t.weight, t.added
    return 0.0, False


def _clamp(w: float) -> float:
    return round(min(max(w, MIN_WEIGHT), MAX_WEIGHT), 2)


def shift(weight: float, added: bool, delta: float) -> tuple[float, bool]:
    """Move a signed weight by a signed step; returns (new signed weight, added)."""
    delta = round(delta, 2)
    if weight == 0 or added:
        if weight > 0:
            level = weight - ADDED_BASE
        elif weight < 0:
            level = -(-weight - NEGATIVE_BASE)
        else:
            level = 0.0
        level = round(level + delta, 2)
        if level > 0:
            return _clamp(ADDED_BASE + level), True
        if level < 0:
            return -_clamp(NEGATIVE_BASE - level), True
        return 0.0, False
    if weight > 0:
        return _clamp(weight + delta), False
    magnitude = round(-weight - delta, 2)
    if magnitude < MIN_WEIGHT:  # more of a term the prompt avoided: stop avoiding it
        return 0.0, False
    return -_clamp(magnitude), False


def plan(brief: Brief, slot: str, op: str, term: str, step: float = PLAIN,
         negate: bool = True) -> Edit:
    """The edit `op` on `term` makes to `brief`, with the weights it would have."""
    before, added = weight_of(brief, slot, term)
    replaced: tuple[str, ...] = ()
    if op in ("increase", "add") and before <= 0:
        replaced = _displaced(brief, slot, term)
    if op == "increase":
        after, added = shift(before, added, step)
    elif op == "decrease":
        after, added = shift(before, added, -step)
    elif op == "add":
        after, added = (_clamp(1.0 + step - PLAIN), False) if before <= 0 else shift(before, added, step)
    elif op == "remove":
        added = False
        if before < 0:  # already avoided: avoid it harder
            after = -_clamp(-before + step)
        else:
            after = -1.0 if negate else 0.0
    else:  # set
        added = False
        after = _clamp(1.0 + step - PLAIN)
        mine = kind(slot, term)
        replaced = tuple(t.text for t in brief.slots[slot] if key(t.text) != key(term)
                         and (mine is None or kind(slot, t.text) == mine))
    return Edit(slot, op, term, round(before, 4), round(after, 4), step, replaced, negate, added)


def _displaced(brief: Brief, slot: str, term: str) -> tuple[str, ...]:
    """Terms a new one pushes out though nobody said "instead": a smile replaces a neutral
    expression (the only exclusive kind today; other slots keep both)."""
    if slot != "expression" or kind(slot, term) == "neutral":
        return ()
    return tuple(t.text for t in brief.slots[slot] if kind(slot, t.text) == "neutral")


# ------------------------------------------------------------------ applying


def apply_edits(brief: Brief, edits: list[Edit]) -> Brief:
    """A new brief with the edits applied in order; `brief` is left as it was."""
    out = brief.copy()
    for edit in edits:
        if edit.step is not None:
            edit = plan(out, edit.slot, edit.op, edit.term, edit.step, edit.negate)
        _write(out, edit)
    return out


def _write(brief: Brief, edit: Edit) -> None:
    slot, k, w = edit.slot, key(edit.term), edit.weight_after
    if edit.op == "set":
        # Only what it replaces goes (a shot size replaces a shot size, not the angle); the
        # new term takes the place of the first term it replaces.
        gone = {key(t) for t in edit.replaced} | {k}
        spots = [i for i, sk in enumerate(brief.order) if sk[0] == slot and sk[1] in gone]
        first = spots[0] if spots else None
        brief.order = [sk for sk in brief.order if not (sk[0] == slot and sk[1] in gone)]
        if first is not None:
            brief.order.insert(first, (slot, k))
        terms = brief.slots[slot]
        at = next((i for i, t in enumerate(terms) if key(t.text) in gone), len(terms))
        kept = [t for t in terms if key(t.text) not in gone]
        at = min(at, len(kept))
        brief.slots[slot] = kept[:at] + ([Term(edit.term, w)] if w > 0 else []) + kept[at:]
        brief.negative = [t for t in brief.negative if key(t.text) != k]
        if first is None and w > 0:
            _place(brief, slot, k)
        return
    for text in edit.replaced:  # a smile takes the neutral expression's place
        rk = key(text)
        spot = next((i for i, sk in enumerate(brief.order) if sk == (slot, rk)), None)
        brief.slots[slot] = [t for t in brief.slots[slot] if key(t.text) != rk]
        if spot is not None:
            brief.order[spot] = (slot, k)
    added = edit.added
    pos = next((i for i, t in enumerate(brief.slots[slot]) if key(t.text) == k), None)
    neg = next((i for i, t in enumerate(brief.negative) if key(t.text) == k), None)
    text = edit.term
    if pos is not None:
        text = brief.slots[slot][pos].text
        del brief.slots[slot][pos]
    if neg is not None:
        text = brief.negative[neg].text
        del brief.negative[neg]
    if w > 0:
        brief.slots[slot].insert(pos if pos is not None else len(brief.slots[slot]), Term(text, w, added))
        if (slot, k) not in brief.order:
            _place(brief, slot, k)
    else:
        brief.order = [sk for sk in brief.order if sk != (slot, k)]
        if w < 0:
            brief.negative.insert(neg if neg is not None else len(brief.negative), Term(text, -w, added))


def _place(brief: Brief, slot: str, k: str) -> None:
    """Put a new term after its slot's last term, or before the first term of a later slot."""
    order = brief.order
    if not order:
        return  # no recorded order: render falls back to slot order
    last = max((i for i, sk in enumerate(order) if sk[0] == slot), default=None)
    if last is not None:
        order.insert(last + 1, (slot, k))
        return
    rank = SLOTS.index(slot)
    at = next((i for i, sk in enumerate(order) if SLOTS.index(sk[0]) > rank), len(order))
    order.insert(at, (slot, k))
