"""Consent enforcement, in one place for the window and the command line.

Every render with a twin goes through `app.engine.runner.Runner`, which calls
`for_job` before any model is loaded (refused: `ConsentRefused`, nothing rendered) and
`recorder` to write the ledger lines in the same transaction as the shots (the consent is
checked again there, so one revoked during the render stores nothing). An export asks
`authorize(..., event="export", channel=...)` and records with `record`.
"""

from __future__ import annotations

from datetime import date

from app.store.errors import RuleViolation
from app.talent import chain, policy
from app.talent.records import Grant


class ConsentRefused(RuleViolation):
    """A twin used without a consent that covers the use (exit 4)."""


def today() -> date:
    return date.today()


def _talent_in(conn, talent):
    from app.talent.repo import _talent

    if isinstance(talent, int) or (isinstance(talent, str) and talent.isdigit()):
        row = conn.execute("SELECT id FROM talents WHERE id = ?", (int(talent),)).fetchone()
    else:
        row = conn.execute("SELECT id FROM talents WHERE name = ?", (str(talent).strip(),)).fetchone()
    if row is None:
        from app.store.errors import NotFound

        raise NotFound(f"there is no talent {talent!r}; add one with `atelier talent add`")
    return _talent(conn, row[0])


def _check(conn, board_id: int, talent, event: str, channel: str | None, on: date) -> Grant:
    from app.talent.repo import _consent, board_use_in

    t = _talent_in(conn, talent)
    board = conn.execute("SELECT name FROM boards WHERE id = ?", (board_id,)).fetchone()
    board_name = board[0] if board else str(board_id)
    doing = "rendering" if event == "render" else "exporting"
    if t.forgotten_at:
        raise ConsentRefused(f"{doing} with {t.name}'s twin is refused: {t.name} was forgotten on "
                             f"{t.forgotten_at[:10]} at their request")
    use = board_use_in(conn, board_id)
    if use is None:
        raise ConsentRefused(f"{doing} with {t.name}'s twin is refused: board {board_name!r} declares no use; "
                             "set its client, channels and territories with "
                             f"`atelier board use {board_name!r} --client … --channels … --territories …`")
    if channel is not None:
        channel = policy.channels(channel)[0]
    consents = [_consent(conn, r[0]) for r in conn.execute(
        "SELECT id FROM consents WHERE talent_id = ? ORDER BY id", (t.id,))]
    terms = [policy.Terms(c.id, c.client, c.channels, c.territories, c.valid_from, c.valid_until,
                          c.revocation.describe() if c.revocation else None) for c in consents]
    chosen, refusals = policy.choose(terms, use, on, channel)
    wanted = policy.Use(use.client, (channel,), use.territories) if channel else use
    if chosen is None:
        head = (f"{doing} with {t.name}'s twin on board {board_name!r} is refused: no consent covers "
                f"{wanted.describe()} on {on.isoformat()}")
        if not refusals:
            raise ConsentRefused(f"{head}; {t.name} has no consent (record one with `atelier consent grant`)")
        why = "; ".join(f"consent {terms.id} ({terms.client}, {terms.valid_from} to {terms.valid_until}) "
                        + ", ".join(found) for terms, found in refusals)
        raise ConsentRefused(f"{head}: {why}")
    consent = next(c for c in consents if c.id == chosen.id)
    return Grant(talent=t, consent=consent, board_id=board_id, event=event,
                 channel=channel or ",".join(use.channels), use=wanted)


def authorize(studio, board_id: int, talent, event: str = "render", channel: str | None = None,
              on: date | None = None) -> Grant:
    """The consent this use relies on, or ConsentRefused naming what is missing."""
    with studio.reading() as conn:
        return _check(conn, board_id, talent, event, channel, on or today())


def twin_of_shot_in(conn, shot_id: int) -> int | None:
    """The talent whose twin made this shot (from its render line in the ledger)."""
    row = conn.execute("SELECT talent_id FROM ledger WHERE shot_id = ? AND event = 'render' "
                       "ORDER BY id LIMIT 1", (shot_id,)).fetchone()
    return row[0] if row else None


def twin_of_shot(studio, shot_id: int) -> int | None:
    with studio.reading() as conn:
        return twin_of_shot_in(conn, shot_id)


def twin_shots(studio, board_id: int) -> dict[int, int]:
    """The board's twin shots: shot id -> talent id (their render lines, oldest first)."""
    with studio.reading() as conn:
        return {shot: talent for shot, talent in conn.execute(
            "SELECT shot_id, talent_id FROM ledger WHERE board_id = ? AND event = 'render' ORDER BY id",
            (board_id,))}


def for_job(studio, job) -> Grant | None:
    """The grant a render job needs: its own twin, or (for a child) the parent's twin;
    None when no twin is involved. Raises ConsentRefused before any work."""
    twin = getattr(job, "twin", None)
    if twin is None and job.parent_id is not None:
        twin = twin_of_shot(studio, job.parent_id)
    if twin is None:
        return None
    return authorize(studio, job.board_id, twin, "render")


def prompt_with_trigger(prompt: str, grant: Grant | None) -> str:
    """The twin's trigger word leads the prompt (added when the prompt lacks it)."""
    word = grant.talent.trigger_word if grant else None
    if not word or word.casefold() in prompt.casefold():
        return prompt
    return f"{word}, {prompt}" if prompt else word


def record(conn, grant: Grant, shot_ids, on: date | None = None) -> list[dict]:
    """Append one ledger line per shot, inside the caller's transaction, after checking
    the consent again (a revocation that arrived meanwhile refuses, and rolls back)."""
    from app.store.decisions import now

    again = _check(conn, grant.board_id, grant.talent.id, grant.event,
                   None if grant.event == "render" else grant.channel, on or today())
    c = again.consent
    fee = policy.due(grant.event, c.basis, c.fee, c.currency)
    return [chain.append(conn, "ledger", {
        "talent_id": again.talent.id, "talent": again.talent.name, "consent_id": c.id, "shot_id": sid,
        "board_id": grant.board_id, "event": grant.event, "channel": again.channel, "fee": fee,
        "currency": c.currency, "adapter": again.talent.adapter, "created_at": now()})
        for sid in shot_ids]


def recorder(grant: Grant | None):
    """For `add_shots(after=…)`: writes the render lines of the new shots, or None."""
    if grant is None:
        return None
    return lambda conn, shots: record(conn, grant, [s.id for s in shots])


def marks(studio, board_id: int, on: date | None = None) -> dict[int, str]:
    """Twin shots on the board that could not be used again today: shot id -> why
    (the consent revoked or expired, the board's use no longer covered)."""
    on = on or today()
    out, verdicts = {}, {}
    with studio.reading() as conn:
        for shot_id, talent_id in conn.execute(
                "SELECT shot_id, talent_id FROM ledger WHERE board_id = ? AND event = 'render'", (board_id,)):
            if talent_id not in verdicts:
                try:
                    _check(conn, board_id, talent_id, "render", None, on)
                    verdicts[talent_id] = None
                except ConsentRefused as exc:
                    verdicts[talent_id] = str(exc)
            if verdicts[talent_id]:
                out[shot_id] = verdicts[talent_id]
    return out
