"""The notes that lead from one shot to another, read through the store's lineage API.

Shots form a tree (each child points at its parent and at the note that made it). Between
two shots A and B the path goes up from A to their closest common ancestor and down to B;
when A is B's ancestor it is simply the notes from A down to B. Used by the compare view
("how did we get from A to B") and the history panel.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from app.store import repo


@dataclass(frozen=True)
class Step:
    shot: object  # Shot reached by this step
    note: object | None  # Note that made `shot` from its parent; None when none was kept


@dataclass(frozen=True)
class NotePath:
    a: object
    b: object
    common: object | None  # closest common ancestor (may be a or b itself); None: unrelated
    to_a: list  # Steps from `common` down to a
    to_b: list  # Steps from `common` down to b

    @property
    def related(self) -> bool:
        return self.common is not None


def chain(studio, shot_id: int) -> tuple[list, dict]:
    """(shots from the first shot down to this one, notes by id along that chain)."""
    lin = repo.lineage(studio, shot_id, max_descendants=0)
    return lin.ancestors + [lin.shot], {n.id: n for n in lin.notes}


def _steps(shots: list, notes: dict) -> list[Step]:
    return [Step(s, notes.get(s.note_id) if s.note_id is not None else None) for s in shots]


def note_path(studio, a_id: int, b_id: int) -> NotePath:
    chain_a, notes_a = chain(studio, a_id)
    chain_b, notes_b = chain(studio, b_id)
    notes = {**notes_a, **notes_b}
    common_len = 0
    for sa, sb in zip(chain_a, chain_b):
        if sa.id != sb.id:
            break
        common_len += 1
    a, b = chain_a[-1], chain_b[-1]
    if not common_len:
        return NotePath(a, b, None, [], [])
    return NotePath(a, b, chain_a[common_len - 1], _steps(chain_a[common_len:], notes),
                    _steps(chain_b[common_len:], notes))


def note_text(note) -> str:
    return f"“{note.text}” — {note.author} ({note.role})"


def edit_text(e) -> str:
    """One edit in words: "expression: smiling 1 → 1.1", "background: set to plain white"."""
    op = getattr(e, "op", None)
    if op == "set":
        return f"{e.slot}: set to {e.term}"
    if e.weight_after < 0:  # signed weights: the term went to the negative prompt
        return f"{e.slot}: − {e.term} (negative {-e.weight_after:g})"
    if e.weight_before == 0.0:
        weight = "" if e.weight_after == 1.0 else f" {e.weight_after:g}"
        return f"{e.slot}: + {e.term}{weight}"
    if e.weight_after == 0.0:
        return f"{e.slot}: − {e.term}"
    before = f"negative {-e.weight_before:g}" if e.weight_before < 0 else f"{e.weight_before:g}"
    return f"{e.slot}: {e.term} {before} → {e.weight_after:g}"


def edits_text(note) -> str:
    return "; ".join(edit_text(e) for e in note.edits)


def _steps_html(steps: list, label) -> str:
    out = []
    for step in steps:
        if step.note is None:
            out.append(f"<li>→ {label(step.shot)} <i>(a variant, no note)</i></li>")
            continue
        edits = edits_text(step.note)
        edits = f"<br><span style='color:#9aa'>{html.escape(edits)}</span>" if edits else ""
        out.append(f"<li><b>{html.escape(note_text(step.note))}</b>{edits}"
                   f"<br>→ {label(step.shot)}</li>")
    return "<ul style='margin-left:-20px'>" + "".join(out) + "</ul>"


def path_html(path: NotePath, names: dict[int, str]) -> str:
    """How B came from A, in words. `names` maps shot ids to "A", "B" where known."""
    def label(shot) -> str:
        name = names.get(shot.id)
        return f"<b>{name}</b> (#{shot.id})" if name else f"#{shot.id}"

    a, b = label(path.a), label(path.b)
    if not path.related:
        return f"<p>{a} and {b} do not share a first shot: no note leads from one to the other.</p>"
    if path.a.id == path.b.id:
        return f"<p>{a} and {b} are the same shot.</p>"
    if not path.to_a:  # A is an ancestor of B
        return f"<p>From {a} to {b}:</p>" + _steps_html(path.to_b, label)
    if not path.to_b:  # B is an ancestor of A
        return f"<p>From {b} to {a}:</p>" + _steps_html(path.to_a, label)
    common = label(path.common)
    return (f"<p>{a} and {b} both come from {common}.</p><p>From {common} to {a}:</p>"
            + _steps_html(path.to_a, label) + f"<p>From {common} to {b}:</p>"
            + _steps_html(path.to_b, label))
