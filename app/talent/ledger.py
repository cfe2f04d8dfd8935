"""The usage ledger read back: lines per talent and period, totals per currency, CSV."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from app.store.errors import InvalidInput
from app.talent import policy
from app.talent.records import LedgerLine

CSV_FIELDS = ("time", "talent", "agency", "consent", "shot", "board", "event", "channel", "fee", "currency")


def lines(studio, talent=None, date_from=None, date_until=None, agency=None) -> list[LedgerLine]:
    """Ledger lines oldest first; dates are inclusive YYYY-MM-DD (UTC day of the line)."""
    where, params = ["1"], []
    try:
        if date_from is not None:
            where.append("substr(l.created_at, 1, 10) >= ?")
            params.append(policy.iso_date(date_from, "--from"))
        if date_until is not None:
            where.append("substr(l.created_at, 1, 10) <= ?")
            params.append(policy.iso_date(date_until, "--until"))
    except policy.PolicyError as exc:
        raise InvalidInput(str(exc)) from None
    if talent is not None:
        from app.talent.repo import get_talent

        where.append("l.talent_id = ?")
        params.append(get_talent(studio, talent).id)
    if agency is not None:
        where.append("t.agency = ? COLLATE NOCASE")
        params.append(str(agency).strip())
    with studio.reading() as conn:
        rows = conn.execute(
            "SELECT l.id, l.created_at, l.talent, t.agency, l.consent_id, l.shot_id, l.board_id, l.event, "
            "l.channel, l.fee, l.currency, l.adapter FROM ledger l JOIN talents t ON t.id = l.talent_id "
            f"WHERE {' AND '.join(where)} ORDER BY l.id", params).fetchall()
    return [LedgerLine(*r) for r in rows]


def totals(found) -> dict[str, dict[str, str]]:
    """{talent: {currency: amount as a decimal string}}."""
    sums: dict[str, dict[str, Decimal]] = {}
    for line in found:
        per = sums.setdefault(line.talent, {})
        per[line.currency] = per.get(line.currency, Decimal(0)) + Decimal(line.fee)
    return {t: {c: policy.fee(v, c) for c, v in per.items()} for t, per in sums.items()}


def to_json(found) -> dict:
    return {"lines": [line.to_dict() for line in found],
            "totals": {t: {c: float(v) for c, v in per.items()} for t, per in totals(found).items()}}


def to_csv(found) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for line in found:
        writer.writerow([_cell(v) for v in (line.time, line.talent, line.agency, line.consent, line.shot,
                                            line.board, line.event, line.channel, line.fee, line.currency)])
    return out.getvalue()


def _cell(value):
    """A spreadsheet must not run a name as a formula (=, +, -, @ first)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
