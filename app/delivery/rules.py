"""Which shots may leave the studio: approved ones, and a twin's only within its consent.

The consent check belongs to the talent area (issue 13). Delivery asks it through one
hook, `consent_check(studio, shot, channel) -> consent id | None` (None: no twin in the
shot), which raises `ExportRefused` naming what is missing. Until the talent area provides
one (`set_consent_check`, or `app.talent.delivery.check_export` found at run time), a shot
that names a twin is refused: a consent that cannot be checked does not cover anything.
The same goes for the ledger: `ledger_record(studio, shot, consent, channel)`.
"""

from __future__ import annotations

import importlib


class ExportRefused(Exception):
    """A rule says no (exit 4): the message names the shot and what is missing."""


_consent_check = None
_ledger_record = None


def set_consent_check(fn) -> None:
    global _consent_check
    _consent_check = fn


def set_ledger_record(fn) -> None:
    global _ledger_record
    _ledger_record = fn


def _talent_hooks():
    """(check, record) from the talent area when it is there; else (None, None)."""
    if _consent_check is not None:
        return _consent_check, _ledger_record
    try:
        mod = importlib.import_module("app.talent.delivery")
    except ImportError:
        return None, None
    return getattr(mod, "check_export", None), getattr(mod, "record_export", None)


def twin_of(shot) -> str | None:
    """The talent whose twin the shot uses, or None."""
    for key in ("twin", "talent", "talent_id"):
        value = getattr(shot, key, None)
        if value:
            return str(value)
    try:
        recipe = shot.recipe()
    except AttributeError:
        recipe = {}
    for key in ("twin", "talent"):
        if recipe.get(key):
            return str(recipe[key])
    return None


def twin_name(studio, shot) -> str | None:
    """The name of the talent whose twin made the shot: the talent area's answer when it is
    there (its ledger knows), else what the shot itself says."""
    try:
        from app.talent import enforce
        from app.talent import repo as talent_repo
    except ImportError:
        return twin_of(shot)
    talent_id = enforce.twin_of_shot(studio, shot.id)
    if talent_id is None:
        return twin_of(shot)
    try:
        return talent_repo.get_talent(studio, talent_id).name
    except Exception:  # noqa: BLE001 - a forgotten or unreadable talent: say its number
        return f"talent {talent_id}"


def check_approved(shot, include_unapproved: bool) -> None:
    if include_unapproved or shot.status == "approved":
        return
    raise ExportRefused(f"shot {shot.id} is {shot.status}, not approved "
                        "(approve it, or export with --include-unapproved)")


def check_consent(studio, shot, channels: list[str]) -> str | None:
    """The consent id covering every channel of this export, None without a twin."""
    check, _ = _talent_hooks()
    twin = twin_of(shot)
    if check is None:
        if twin is None:
            return None
        raise ExportRefused(f"shot {shot.id} uses the twin of {twin}, and this Atelier cannot "
                            "check consent: not exported")
    from app.store.errors import RuleViolation

    consent = None
    for channel in channels:
        try:
            consent = check(studio, shot, channel) or consent
        except RuleViolation as exc:  # the talent area's ConsentRefused
            raise ExportRefused(str(exc)) from None
    return consent


def record_ledger(studio, shot, consent, channel) -> None:
    _, record = _talent_hooks()
    if record is not None and consent is not None:
        record(studio, shot, consent, channel)
