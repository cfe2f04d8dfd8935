"""What differs between the recipes of two to four shots (pure Python, no Qt).

Every shot is compared with the first (A): a field or term is highlighted in a column
when it is not the same as in A, and A's own cells are highlighted when any other shot
differs from them. Briefs are compared slot by slot through `Brief.from_dict`, terms by
their text (case-insensitive), so a weight change reads "smiling 1.0 → 1.2", not as one
term removed and another added.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from app.core.brief import Brief
from app.core.slots import SLOTS

FIELDS = (("model", "Model"), ("seed", "Seed"), ("steps", "Steps"), ("size", "Size"),
          ("scheduler", "Scheduler"), ("guidance", "Guidance"), ("strength", "Strength"))
NEGATIVE = "negative"

# term states
SAME, ADDED, CHANGED, REMOVED, DIFFERS = "same", "added", "changed", "removed", "differs"


@dataclass(frozen=True)
class TermCell:
    text: str
    weight: float
    state: str = SAME
    ref_weight: float | None = None  # A's weight, for CHANGED


@dataclass
class FieldRow:
    key: str
    label: str
    values: list[str]
    differs: list[bool]


@dataclass
class SlotRow:
    slot: str
    cells: list[list[TermCell]]  # per shot
    differs: list[bool] = field(default_factory=list)


@dataclass
class RecipeDiff:
    fields: list[FieldRow]
    slots: list[SlotRow]

    def differing_fields(self) -> set[str]:
        return {row.key for row in self.fields if any(row.differs)}

    def highlighted_terms(self, column: int) -> set[tuple[str, str, str]]:
        """(slot, term, state) of every highlighted term in a column."""
        return {(row.slot, cell.text, cell.state) for row in self.slots
                for cell in row.cells[column] if cell.state != SAME}


def field_value(shot, key: str) -> str:
    if key == "size":
        return f"{shot.width}×{shot.height}"
    value = getattr(shot, key, None)
    if value is None or value == "":
        return "—"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _terms(brief: Brief, slot: str):
    return brief.negative if slot == NEGATIVE else brief.slots.get(slot, [])


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def _same_weight(a: float, b: float) -> bool:
    return abs(a - b) < 1e-6


def _slot_row(slot: str, briefs: list[Brief]) -> SlotRow | None:
    per_shot = [list(_terms(b, slot)) for b in briefs]
    if not any(per_shot):
        return None
    ref = {_key(t.text): t for t in per_shot[0]}
    cells: list[list[TermCell]] = [[] for _ in briefs]
    differs_in_ref: set[str] = set()
    for i, terms in enumerate(per_shot[1:], start=1):
        seen = set()
        for term in terms:
            k = _key(term.text)
            seen.add(k)
            if k not in ref:
                cells[i].append(TermCell(term.text, term.weight, ADDED))
            elif not _same_weight(ref[k].weight, term.weight):
                cells[i].append(TermCell(term.text, term.weight, CHANGED, ref[k].weight))
                differs_in_ref.add(k)
            else:
                cells[i].append(TermCell(term.text, term.weight, SAME))
        for k, term in ref.items():
            if k not in seen:
                cells[i].append(TermCell(term.text, term.weight, REMOVED))
                differs_in_ref.add(k)
    for term in per_shot[0]:
        state = DIFFERS if _key(term.text) in differs_in_ref else SAME
        cells[0].append(TermCell(term.text, term.weight, state))
    differs = [any(c.state != SAME for c in column) for column in cells]
    return SlotRow(slot, cells, differs)


def diff_recipes(shots) -> RecipeDiff:
    """Compare the recipes of `shots` (two to four) with the first one."""
    fields = []
    for key, label in FIELDS:
        values = [field_value(s, key) for s in shots]
        differs = [v != values[0] for v in values]
        if any(differs[1:]):
            differs[0] = True
        if key == "strength" and all(v == "—" for v in values):
            continue  # not an image-to-image shot: nothing to show
        fields.append(FieldRow(key, label, values, differs))
    briefs = [Brief.from_dict(s.brief or {}) for s in shots]
    slots = [row for slot in (*SLOTS, NEGATIVE) if (row := _slot_row(slot, briefs))]
    return RecipeDiff(fields, slots)


# --- HTML for the compare view's recipe panel (QTextBrowser's rich-text subset) -------

COLORS = {ADDED: "#7fd18b", CHANGED: "#f0c060", REMOVED: "#e07a7a", DIFFERS: "#f0c060"}
CELL_HIGHLIGHT = "#3a3322"


def _term_html(cell: TermCell) -> str:
    text = html.escape(cell.text)
    weight = "" if _same_weight(cell.weight, 1.0) else f" {cell.weight:g}"
    if cell.state == SAME:
        return f"{text}{weight}"
    color = COLORS[cell.state]
    if cell.state == CHANGED:
        return (f"<span style='color:{color}; font-weight:600'>{text} "
                f"{cell.ref_weight:g} → {cell.weight:g}</span>")
    if cell.state == REMOVED:
        return f"<span style='color:{color}; text-decoration:line-through'>{text}{weight}</span>"
    prefix = "+ " if cell.state == ADDED else ""
    return f"<span style='color:{color}; font-weight:600'>{prefix}{text}{weight}</span>"


def diff_html(diff: RecipeDiff, headers: list[str]) -> str:
    """A table: one column per shot; the rows that differ first, then those that agree."""
    head = "".join(f"<th align='left'>{html.escape(h)}</th>" for h in headers)
    differing, same = [], []
    for row in diff.fields:
        cells = "".join(
            f"<td{_bg(d)}>{('<b>%s</b>' if d else '%s') % html.escape(v)}</td>"
            for v, d in zip(row.values, row.differs))
        (differing if any(row.differs) else same).append(
            f"<tr><td class='label'>{row.label}</td>{cells}</tr>")
    for row in diff.slots:
        cells = "".join(f"<td{_bg(d)}>{', '.join(_term_html(c) for c in column) or '—'}</td>"
                        for column, d in zip(row.cells, row.differs))
        label = "negative" if row.slot == NEGATIVE else row.slot
        (differing if any(row.differs) else same).append(
            f"<tr><td class='label'>{label}</td>{cells}</tr>")
    span = len(headers) + 1
    if not differing:
        differing = [f"<tr><td colspan='{span}' class='label'>The recipes are the same.</td></tr>"]
    if same:
        same.insert(0, f"<tr><td colspan='{span}' class='label'><br><i>Same in all</i></td></tr>")
    return ("<table cellspacing='0' cellpadding='4' width='100%'>"
            f"<tr><th width='12%'></th>{head}</tr>{''.join(differing)}{''.join(same)}</table>")


def _bg(differs: bool) -> str:
    return f" bgcolor='{CELL_HIGHLIGHT}'" if differs else ""
