"""Talent use cases the window shares with the command line: what a consent's state is
today, whether a twin may be used on a board, and the writes the Talent panel asks for.

Plain Python over `app.talent`; the window runs the writes on its writer thread."""

from __future__ import annotations

from datetime import date, timedelta

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


PERIODS = ("all time", "this month", "last month", "this year", "last year")


def period_dates(period: str, on: date | None = None) -> tuple[str | None, str | None]:
    """'this month' etc. -> (first day, last day) as YYYY-MM-DD, inclusive; (None, None) for all time."""
    day = on or enforce.today()
    if period == "all time":
        return None, None
    if period == "this month":
        start = day.replace(day=1)
    elif period == "last month":
        start = (day.replace(day=1) - timedelta(days=1)).replace(day=1)
    elif period == "this year":
        return day.replace(month=1, day=1).isoformat(), day.replace(month=12, day=31).isoformat()
    elif period == "last year":
        return date(day.year - 1, 1, 1).isoformat(), date(day.year - 1, 12, 31).isoformat()
    else:
        raise ValueError(f"unknown period {period!r}; one of: {', '.join(PERIODS)}")
    end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return start.isoformat(), end.isoformat()


def usage(studio, talent_name: str, period: str = "all time"):
    """(ledger lines, {currency: total}) of one talent in the period."""
    start, end = period_dates(period)
    found = ledger.lines(studio, talent_name, start, end)
    return found, ledger.totals(found).get(talent_name, {})


def board_likeness(studio, board_id: int, known=None, cancelled=lambda: False) -> dict:
    """Likeness of each twin shot on the board to its talent's reference faces:
    shot id -> likeness.Result (`known` results are kept, not measured again). Slow (dlib,
    about a third of a second a picture): the window runs it off the GUI thread.
    Raises likeness.LikenessUnavailable without the face model."""
    from app.store.repo import get_shot
    from app.talent import likeness

    known = dict(known or {})
    shots = enforce.twin_shots(studio, board_id)
    wanted = [s for s in shots if s not in known]
    if not wanted:
        return {s: known[s] for s in shots}
    model = likeness.FaceModel.shared()
    refs_of: dict[int, list] = {}
    for shot_id in wanted:
        if cancelled():
            break
        talent_id = shots[shot_id]
        if talent_id not in refs_of:
            refs_of[talent_id] = likeness.reference_descriptors(studio, repo.get_talent(studio, talent_id), model)
        refs = refs_of[talent_id]
        try:
            image = likeness._open(studio.images.path(get_shot(studio, shot_id).image))
        except OSError:
            continue  # a missing picture has no likeness; verify and tidy report it
        if not refs:
            known[shot_id] = likeness.Result(False, None, likeness.THRESHOLD, None, 0)
            continue
        known[shot_id] = likeness.compare(image, refs, model)
    return {s: known[s] for s in shots if s in known}
