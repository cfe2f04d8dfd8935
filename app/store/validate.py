"""Checks on what people type, before anything is written (InvalidInput otherwise)."""

from __future__ import annotations

import unicodedata

from app.store.errors import InvalidInput
from app.store.records import ROLES

MAX_NAME = 200
MAX_ID = 2**63  # SQLite's integers: a larger id names nothing and cannot even be looked up
MAX_TEXT = 2000  # a note or a reason: a paragraph, not a document

# What people type -> what is stored (the status a decision gives its shot or board).
VERDICTS = {
    "approve": "approved", "approved": "approved",
    "reject": "rejected", "rejected": "rejected",
    "hold": "hold",
    "changes": "changes-requested", "changes-requested": "changes-requested",
    "request-changes": "changes-requested",
}


def text(value, what: str, *, max_len: int = MAX_NAME, multiline: bool = False,
         optional: bool = False) -> str | None:
    """A clean, non-empty string (or None when optional and empty)."""
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be text")
    if any(0xD800 <= ord(c) <= 0xDFFF for c in value):
        raise InvalidInput(f"{what} is not valid UTF-8 text")
    value = value.strip()
    if not value:
        if optional:
            return None
        raise InvalidInput(f"{what} is empty")
    if len(value) > max_len:
        raise InvalidInput(f"{what} is too long ({len(value)} characters; at most {max_len})")
    allowed = "\n\t" if multiline else ""
    if any(unicodedata.category(c) == "Cc" and c not in allowed for c in value):
        raise InvalidInput(f"{what} contains control characters")
    return value


def name(value, what: str = "name") -> str:
    return text(value, what, max_len=MAX_NAME)


def long_text(value, what: str, optional: bool = False) -> str | None:
    return text(value, what, max_len=MAX_TEXT, multiline=True, optional=optional)


def role(value) -> str:
    raw = text(value, "role", max_len=40)
    norm = raw.lower().replace("_", "-").replace(" ", "-")
    if norm not in ROLES:
        raise InvalidInput(f"unknown role {raw!r}; use one of: {', '.join(ROLES)}")
    return norm


def verdict(value) -> str:
    raw = text(value, "verdict", max_len=40)
    stored = VERDICTS.get(raw.lower())
    if stored is None:
        raise InvalidInput(f"unknown verdict {raw!r}; use one of: approve, reject, hold, changes")
    return stored


def ident(value, what: str) -> int:
    """A positive integer id; accepts ints and decimal strings ('12', '#12')."""
    if isinstance(value, bool):
        raise InvalidInput(f"{what} must be a number")
    if isinstance(value, int):
        n = value
    else:
        raw = text(value, what, max_len=20).lstrip("#")
        if not raw.isascii() or not raw.isdigit():
            raise InvalidInput(f"{what} must be a number, not {raw!r}")
        n = int(raw)
    if n <= 0:
        raise InvalidInput(f"{what} must be a positive number")
    if n >= MAX_ID:
        raise InvalidInput(f"{what} is too large (ids are below 2^63)")
    return n
