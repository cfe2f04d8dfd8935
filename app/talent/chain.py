"""Hash chains for the talent record: consents, revocations, board uses, talent events
and ledger lines, each table its own chain, built like the decision chain.

`hash = sha256(prev_hash + canonical JSON of the row's content columns)`, the first
`prev_hash` is 64 zeros, ids are consecutive, and triggers forbid UPDATE and DELETE.
`verify` recomputes every chain and checks that the triggers are the ones the migration
made, so a row edited, removed, inserted or forged outside Atelier is reported.
"""

from __future__ import annotations

import hashlib
import json

GENESIS = "0" * 64

# table -> (the content columns, in the order they are hashed; a word for one row)
CHAINS = {
    "talent_events": (("id", "talent_id", "talent", "event", "detail", "created_at"), "talent event"),
    "consents": (("id", "talent_id", "talent", "client", "channels", "territories", "valid_from",
                  "valid_until", "fee", "currency", "basis", "approval_required", "evidence",
                  "evidence_name", "created_at"), "consent"),
    "revocations": (("id", "consent_id", "person", "role", "reason", "created_at"), "revocation"),
    "board_uses": (("id", "board_id", "client", "channels", "territories", "created_at"), "board use"),
    "ledger": (("id", "talent_id", "talent", "consent_id", "shot_id", "board_id", "event", "channel",
                "fee", "currency", "adapter", "created_at"), "ledger line"),
}


def row_hash(prev_hash: str, table: str, row: dict) -> str:
    cols = CHAINS[table][0]
    content = json.dumps({k: row[k] for k in cols}, sort_keys=True, separators=(",", ":"),
                         ensure_ascii=False)
    return hashlib.sha256((prev_hash + content).encode("utf-8")).hexdigest()


def append(conn, table: str, row: dict) -> dict:
    """Insert `row` (content columns except id) at the end of the table's chain, inside the
    caller's transaction. Returns the row as stored (with id, prev_hash, hash)."""
    cols = CHAINS[table][0]
    last = conn.execute(f"SELECT id, hash FROM {table} ORDER BY id DESC LIMIT 1").fetchone()
    row = {**row, "id": (last[0] + 1) if last else 1, "prev_hash": last[1] if last else GENESIS}
    missing = [c for c in cols if c not in row]
    if missing:
        raise KeyError(f"{table}: missing {', '.join(missing)}")
    row["hash"] = row_hash(row["prev_hash"], table, row)
    names = list(cols) + ["prev_hash", "hash"]
    conn.execute(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                 [row[c] for c in names])
    return row


def _trigger_sql(table: str) -> dict:
    return {f"{table}_no_update": f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}\n"
                                  f"          BEGIN SELECT RAISE(ABORT, '{table} are append-only'); END",
            f"{table}_no_delete": f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}\n"
                                  f"          BEGIN SELECT RAISE(ABORT, '{table} are append-only'); END"}


def _norm(sql: str | None) -> str:
    return " ".join((sql or "").split())


def verify(conn) -> tuple[bool, str]:
    """(True, summary) or (False, the first bad record and why)."""
    counts = []
    for table, (cols, word) in CHAINS.items():
        prev, count = GENESIS, 0
        names = list(cols) + ["prev_hash", "hash"]
        for values in conn.execute(f"SELECT {', '.join(names)} FROM {table} ORDER BY id"):
            row = dict(zip(names, values))
            count += 1
            if any(isinstance(v, bytes) for v in values):
                return False, f"{word} {row['id']}: holds binary data where text belongs"
            if row["id"] != count:
                return False, (f"{word} {row['id']}: expected {word} {count} here; "
                               f"{word}s were removed or renumbered")
            if row["prev_hash"] != prev:
                return False, (f"{word} {row['id']}: does not follow the {word} before it; "
                               f"a {word} was removed, inserted or changed")
            if row_hash(prev, table, row) != row["hash"]:
                return False, f"{word} {row['id']}: its content was changed after it was recorded"
            prev = row["hash"]
        found = {name: sql for name, sql in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (table,))}
        for name, sql in _trigger_sql(table).items():
            if _norm(found.get(name)) != _norm(sql):
                return False, f"the {word}s' append-only trigger {name} was removed or replaced"
        counts.append(f"{count} {word}{'' if count == 1 else 's'}")
    return True, "the talent record is intact (" + ", ".join(counts) + ")"
