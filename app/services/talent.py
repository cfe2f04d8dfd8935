"""Talent use cases the window shares with the command line: what a consent's state is
today, whether a twin may be used on a board, and the writes the Talent panel asks for.

Plain Python over `app.talent`; the window runs the writes on its writer thread."""

from __future__ import annotations

from datetime import date

from app.talent import enforce, ledger, repo


def consent_state(consent, on: date | None = None) -> str:
    """'in force', 'revoked', 'expired' or 'not yet in force' on the day (today by default)."""
    day = (on or enforce.today()).isoformat()
    if consent.revoked:
        return "revoked"
    if day > consent.valid_until:
        return "expired"
    if day < consent.valid_from:
        return "not yet in force"
    return "in force"


def twin_refusal(studio, board_id: int, talent) -> str | None:
    """Why a render with this twin on this board would be refused today, or None."""
    try:
        enforce.authorize(studio, board_id, talent, "render")
    except enforce.ConsentRefused as exc:
        return str(exc)
    return None


def usable_talents(studio) -> list:
    """Talents that have not been forgotten, by name."""
    return [t for t in repo.list_talents(studio) if not t.forgotten_at]


def usage(studio, talent_name: str):
    """(ledger lines, {currency: total}) of one talent."""
    found = ledger.lines(studio, talent_name)
    return found, ledger.totals(found).get(talent_name, {})
