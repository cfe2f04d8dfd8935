"""Before/after prompt text with what changed highlighted (HTML for a read-only QTextEdit).

Prompts are compared term by term (compel terms are comma-separated), so a changed weight
highlights the whole term `(smiling)1.1` rather than a stray digit.
"""

from __future__ import annotations

import difflib
import html
import re

REMOVED = "background:#4a2323;color:#f0b8b0;text-decoration:line-through;"
ADDED = "background:#233f2a;color:#b8f0c0;"
_SPLIT = re.compile(r"(,\s*)")


def _tokens(text: str) -> list[str]:
    return [t for t in _SPLIT.split(text or "") if t]


def _span(text: str, style: str | None) -> str:
    escaped = html.escape(text)
    return f'<span style="{style}">{escaped}</span>' if style else escaped


def diff_html(before: str, after: str) -> tuple[str, str]:
    """(before_html, after_html): removed terms marked in `before`, added ones in `after`."""
    a, b = _tokens(before), _tokens(after)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    left, right = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            left.append(_span("".join(a[i1:i2]), None))
            right.append(_span("".join(b[j1:j2]), None))
            continue
        if i2 > i1:
            left.append(_span("".join(a[i1:i2]), REMOVED))
        if j2 > j1:
            right.append(_span("".join(b[j1:j2]), ADDED))
    wrap = '<div style="font-family:monospace;white-space:pre-wrap;">{}</div>'
    return wrap.format("".join(left) or "<i>(empty)</i>"), wrap.format("".join(right) or "<i>(empty)</i>")
