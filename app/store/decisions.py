"""Decisions: appended, hash-chained, and the status they give shots and boards.

Each row's `hash` is sha256(prev_hash + canonical JSON of the row's content), and
`prev_hash` is the hash of the row before it (GENESIS for the first). Triggers forbid
UPDATE and DELETE; the chain makes tampering that bypasses them (dropping the triggers,
editing the file) detectable by `verify_chain`.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone

from app.store import validate
from app.store.errors import InvalidInput, NotFound, RuleViolation
from app.store.records import Decision

GENESIS = "0" * 64
_COLS = "id, shot_id, board_id, verdict, person, role, reason, created_at, prev_hash, hash"
_CONTENT = ("id", "shot_id", "board_id", "verdict", "person", "role", "reason", "created_at")


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def chain_hash(prev_hash: str, row: dict) -> str:
    content = json.dumps({k: row[k] for k in _CONTENT}, sort_keys=True,
                         separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev_hash + content).encode("utf-8")).hexdigest()


def person_id(conn, person: str, role: str) -> int:
    conn.execute("INSERT OR IGNORE INTO people (name, role) VALUES (?, ?)", (person, role))
    return conn.execute("SELECT id FROM people WHERE name = ? AND role = ?", (person, role)).fetchone()[0]


def decide(studio, verdict, person, role, reason=None, shot_id=None, board_id=None) -> Decision:
    """Append a decision on a shot or a whole board; it becomes that shot's/board's status.

    Only an art director may approve or reject a whole board (RuleViolation)."""
    verdict = validate.verdict(verdict)
    person = validate.name(person, "person")
    role = validate.role(role)
    reason = validate.long_text(reason, "reason", optional=True)
    if (shot_id is None) == (board_id is None):
        raise InvalidInput("a decision is about one shot or one board")
    shot_id = None if shot_id is None else validate.ident(shot_id, "shot id")
    board_id = None if board_id is None else validate.ident(board_id, "board id")
    if board_id is not None and verdict in ("approved", "rejected") and role != "art-director":
        word = "approve" if verdict == "approved" else "reject"
        raise RuleViolation(f"only an art director may {word} a whole board "
                            f"({person} is in the {role} role)")
    with studio.transaction() as conn:
        if shot_id is not None and not conn.execute("SELECT 1 FROM shots WHERE id = ?", (shot_id,)).fetchone():
            raise NotFound(f"there is no shot {shot_id}")
        if board_id is not None and not conn.execute("SELECT 1 FROM boards WHERE id = ?", (board_id,)).fetchone():
            raise NotFound(f"there is no board {board_id}")
        person_id(conn, person, role)
        last = conn.execute("SELECT id, hash FROM decisions ORDER BY id DESC LIMIT 1").fetchone()
        row = {"id": (last[0] + 1) if last else 1, "shot_id": shot_id, "board_id": board_id,
               "verdict": verdict, "person": person, "role": role, "reason": reason,
               "created_at": now(), "prev_hash": last[1] if last else GENESIS}
        row["hash"] = chain_hash(row["prev_hash"], row)
        conn.execute(f"INSERT INTO decisions ({_COLS}) VALUES ({', '.join('?' * 10)})",
                     tuple(row[k] for k in _COLS.split(", ")))
        if shot_id is not None:
            conn.execute("UPDATE shots SET status = ? WHERE id = ?", (verdict, shot_id))
        else:
            conn.execute("UPDATE boards SET status = ? WHERE id = ?", (verdict, board_id))
    return Decision(**row)


def decisions(studio, shot_id=None, board_id=None) -> list[Decision]:
    """Decisions on a shot; on a board (the board's own and its shots'); or all. Oldest first."""
    with studio.reading() as conn:
        if shot_id is not None:
            shot_id = validate.ident(shot_id, "shot id")
            if not conn.execute("SELECT 1 FROM shots WHERE id = ?", (shot_id,)).fetchone():
                raise NotFound(f"there is no shot {shot_id}")
            rows = conn.execute(f"SELECT {_COLS} FROM decisions WHERE shot_id = ? ORDER BY id", (shot_id,))
        elif board_id is not None:
            board_id = validate.ident(board_id, "board id")
            if not conn.execute("SELECT 1 FROM boards WHERE id = ?", (board_id,)).fetchone():
                raise NotFound(f"there is no board {board_id}")
            rows = conn.execute(
                f"SELECT {_COLS} FROM decisions WHERE board_id = ?1 UNION ALL "
                f"SELECT {_COLS} FROM decisions WHERE shot_id IN "
                "(SELECT id FROM shots WHERE board_id = ?1) ORDER BY id", (board_id,))
        else:
            rows = conn.execute(f"SELECT {_COLS} FROM decisions ORDER BY id")
        return [Decision(*r) for r in rows.fetchall()]


def verify_chain(studio) -> tuple[bool, str]:
    """Recompute the chain. (True, summary) or (False, the first bad row and why)."""
    prev, count = GENESIS, 0
    names = _COLS.split(", ")
    with studio.reading() as conn:
        for values in conn.execute(f"SELECT {_COLS} FROM decisions ORDER BY id"):
            row = dict(zip(names, values))
            count += 1
            if row["id"] != count:
                return False, (f"decision {row['id']}: expected decision {count} here; "
                               "decisions were removed or renumbered")
            if row["prev_hash"] != prev:
                return False, (f"decision {row['id']}: does not follow the decision before it; "
                               "a decision was removed, inserted or changed")
            if chain_hash(prev, row) != row["hash"]:
                return False, (f"decision {row['id']}: its content was changed after it was "
                               f"recorded ({row['verdict']} by {row['person']})")
            prev = row["hash"]
        bad = conn.execute(
            "SELECT s.id, s.status, (SELECT d.verdict FROM decisions d WHERE d.shot_id = s.id "
            "ORDER BY d.id DESC LIMIT 1) AS latest FROM shots s "
            "WHERE s.status IS NOT coalesce(latest, 'new') LIMIT 1").fetchone()
        if bad:
            return False, (f"shot {bad[0]}: its status {bad[1]!r} is not its latest decision "
                           f"({bad[2] or 'none'}); the last decisions may have been removed")
        triggers = {r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'decisions'")}
    if not {"decisions_no_update", "decisions_no_delete"} <= triggers:
        return False, f"the chain of {count} decisions is intact, but its append-only triggers were removed"
    return True, f"the chain of {count} decision{'' if count == 1 else 's'} is intact"
