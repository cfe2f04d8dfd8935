"""Errors raised by the store; each carries a message a person can act on."""

from __future__ import annotations


class StoreError(Exception):
    """Base class: anything the history database or the image store refuses or fails."""


class NotFound(StoreError):
    """An id or name that names nothing (unknown board, shot, note)."""


class InvalidInput(StoreError):
    """Input the store will not keep: empty names, unknown verdicts or roles, oversize text."""


class RuleViolation(StoreError):
    """A rule of the studio forbids this (e.g. only an art director approves a board)."""


class StudioLocked(StoreError):
    """Another window holds this studio. `owner` is {pid, host, since} of that instance."""

    def __init__(self, message: str, owner: dict | None = None):
        super().__init__(message)
        self.owner = owner or {}


class StudioDamaged(StoreError):
    """The database failed its integrity check. It was left untouched; `backup` is the
    newest backup that passes the check (or None)."""

    def __init__(self, message: str, backup=None):
        super().__init__(message)
        self.backup = backup


class DiskFull(StoreError):
    """The disk (or the user's quota) holding the studio is full. Nothing was changed and
    nothing is damaged: the same action works again once space is freed."""


class StudioMissing(StudioDamaged):
    """`atelier.db` is missing or empty although the studio holds pictures, backups or a
    damaged-* folder: opening it would silently start an empty studio, so it is refused.
    `backup` is the newest good backup (or None)."""
