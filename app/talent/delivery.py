"""The hooks delivery asks for (app/delivery/rules.py): may a shot be exported to a
channel, and the ledger line of an export. Both go through app/talent/enforce.py."""

from __future__ import annotations

from app.talent import enforce


class ExportNeedsApproval(enforce.ConsentRefused):
    """The consent asks for the talent's approval of each picture before publishing."""


def check_export(studio, shot, channel: str) -> int | None:
    """The consent id an export of this shot to `channel` relies on; None when the shot has
    no twin. Raises ConsentRefused (exit 4) naming what is missing."""
    talent_id = enforce.twin_of_shot(studio, shot.id)
    if talent_id is None:
        return None
    try:
        grant = enforce.authorize(studio, shot.board_id, talent_id, "export", channel)
    except enforce.ConsentRefused as exc:
        raise enforce.ConsentRefused(f"shot {shot.id}: {exc}") from None
    if grant.consent.approval_required and not talent_approved(studio, shot.id, grant.talent.name):
        raise ExportNeedsApproval(
            f"shot {shot.id}: consent {grant.consent.id} asks for {grant.talent.name}'s approval of each "
            f"picture before it is published, and {grant.talent.name} has not approved this one "
            f"(`atelier decide {shot.id} approve --by NAME --role talent`)")
    return grant.consent.id


def talent_approved(studio, shot_id: int, talent: str) -> bool:
    """Whether the latest decision in the `talent` role on this shot is an approval."""
    with studio.reading() as conn:
        row = conn.execute("SELECT verdict FROM decisions WHERE shot_id = ? AND role = 'talent' "
                           "ORDER BY id DESC LIMIT 1", (shot_id,)).fetchone()
    return bool(row and row[0] == "approved")


def record_export(studio, shot, consent, channel: str) -> None:
    """One ledger line for one exported file to one channel (the consent checked again)."""
    talent_id = enforce.twin_of_shot(studio, shot.id)
    if talent_id is None or consent is None:
        return
    grant = enforce.authorize(studio, shot.board_id, talent_id, "export", channel)
    with studio.transaction() as conn:
        enforce.record(conn, grant, [shot.id])
