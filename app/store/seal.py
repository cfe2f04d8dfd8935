"""The sealed record: every row a person relies on, in one keyed hash chain.

Triggers (migration v4) add an entry to the `record` table for every row inserted into or
deleted from the record's tables (`migrations.RECORD_KINDS`: boards, shots with their image
hash and recipe, notes with their author, edits, decisions, talents and their photos,
talent events, consents, revocations, board uses, ledger lines). Before each COMMIT,
`Studio.transaction` seals the entries that transaction made:

    digest = sha256(canonical JSON of the row's sealed columns)        (None for a removal)
    mac    = HMAC-SHA256(key, prev mac + canonical JSON of (id, kind, ref, op, digest,
                                                         detail, created_at))

The key lives outside the studio (app/store/keys.py), so whoever can only write the studio
cannot seal anything: a row changed, added or removed with a sqlite3 shell, a chain
recomputed with another key, a trigger dropped or replaced, an entry left unsealed — each
is reported by `verify`, naming the first bad record. The head (count and last mac) is also
kept outside the database (the config folder, and each backup's name), so a record cut
short, an old backup put in place of the current database, or another studio's database in
this folder is reported too.

Not sealed (they change by design): a shot's rating; a shot's and a board's status, which
`verify` checks against their latest decision instead; a talent's `forgotten_at`, whose
event is sealed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from app.store import keys, migrations
from app.store.errors import StoreError

GENESIS = "0" * 64

# kind -> the SELECT of its sealed content, by id; `{w}` is the WHERE clause. Never change a
# shipped kind's columns (old seals would no longer match): add a new kind instead.
CONTENT = {
    "board": "SELECT id, name, created_at FROM boards {w}",
    "shot": ("SELECT id, board_id, parent_id, note_id, brief, prompt, negative, model, model_hash, "
             "seed, steps, guidance, width, height, scheduler, strength, image, created_at FROM shots {w}"),
    "note": ("SELECT n.id, n.shot_id, n.text, n.language, n.person_id, p.name, p.role, n.created_at "
             "FROM notes n LEFT JOIN people p ON p.id = n.person_id {w}"),
    "edit": "SELECT id, note_id, slot, op, term, weight_before, weight_after FROM edits {w}",
    "decision": ("SELECT id, shot_id, board_id, verdict, person, role, reason, created_at, prev_hash, "
                 "hash FROM decisions {w}"),
    "talent": "SELECT id, name, agency, adapter, adapter_name, trigger_word, created_at FROM talents {w}",
    "talent_photo": "SELECT id, talent_id, hash, ext, added_at FROM talent_photos {w}",
    "talent_event": ("SELECT id, talent_id, talent, event, detail, created_at, prev_hash, hash "
                     "FROM talent_events {w}"),
    "consent": ("SELECT id, talent_id, talent, client, channels, territories, valid_from, valid_until, "
                "fee, currency, basis, approval_required, evidence, evidence_name, created_at, "
                "prev_hash, hash FROM consents {w}"),
    "revocation": ("SELECT id, consent_id, person, role, reason, created_at, prev_hash, hash "
                   "FROM revocations {w}"),
    "board_use": ("SELECT id, board_id, client, channels, territories, created_at, prev_hash, hash "
                  "FROM board_uses {w}"),
    "ledger": ("SELECT id, talent_id, talent, consent_id, shot_id, board_id, event, channel, fee, "
               "currency, adapter, created_at, prev_hash, hash FROM ledger {w}"),
}
_ALIAS = {"note": "n."}
WORDS = {"board": "board", "shot": "shot", "note": "note", "edit": "edit", "decision": "decision",
         "talent": "talent", "talent_photo": "talent photo", "talent_event": "talent event",
         "consent": "consent", "revocation": "revocation", "board_use": "board use",
         "ledger": "ledger line"}
assert set(CONTENT) == set(migrations.RECORD_KINDS)


def _canon(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(values) -> str:
    return hashlib.sha256(_canon(list(values)).encode("utf-8")).hexdigest()


def entry_mac(key: bytes, prev: str, entry: dict) -> str:
    body = _canon([entry["id"], entry["kind"], entry["ref"], entry["op"], entry["digest"],
                   entry["detail"], entry["created_at"]])
    return hmac.new(key, (prev + "\n" + body).encode("utf-8"), hashlib.sha256).hexdigest()


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class Record:
    """What an open studio knows of its record: its id, its key (None when this machine
    lacks it) and, when the key is missing, why writes are refused."""

    studio_id: str | None
    key: bytes | None
    problem: str | None = None


def studio_id(conn) -> str | None:
    row = conn.execute("SELECT detail FROM record WHERE id = 1 AND kind = 'studio'").fetchone()
    try:
        found = json.loads(row[0])["studio"] if row else None
    except (TypeError, ValueError, KeyError):
        return None
    return found if keys.valid_id(found) else None


def head(conn) -> tuple[int, str]:
    """(number of sealed entries, last mac) — GENESIS for an empty record."""
    row = conn.execute("SELECT id, mac FROM record WHERE mac IS NOT NULL ORDER BY id DESC LIMIT 1").fetchone()
    return (row[0], row[1]) if row else (0, GENESIS)


def mark(conn) -> int:
    """The last entry before this transaction: only entries after it are sealed at commit."""
    return conn.execute("SELECT coalesce(max(id), 0) FROM record").fetchone()[0]


def seal_new(conn, record: Record, after: int) -> tuple[int, str] | None:
    """Seal the entries made since `after` (inside the caller's transaction). Returns the new
    head, or None when there was nothing to seal. Raises StoreError without the key."""
    pending = conn.execute("SELECT id, kind, ref, op, detail FROM record WHERE id > ? AND mac IS NULL "
                           "ORDER BY id", (after,)).fetchall()
    if not pending:
        return None
    if record.key is None:
        raise StoreError(record.problem or "this studio's record key is not on this machine")
    count, prev = head(conn)
    if count != pending[0][0] - 1:
        # Entries between the last sealed one and ours were not sealed by Atelier: leave them
        # for verify to report; ours continue the chain from the last sealed entry.
        prev = conn.execute("SELECT mac FROM record WHERE id < ? AND mac IS NOT NULL ORDER BY id DESC "
                            "LIMIT 1", (pending[0][0],)).fetchone()
        prev = prev[0] if prev else GENESIS
    when = now()
    for ident, kind, ref, op, detail in pending:
        entry = {"id": ident, "kind": kind, "ref": ref, "op": op, "detail": detail, "created_at": when,
                 "digest": None}
        if op == "add" and kind in CONTENT:
            alias = _ALIAS.get(kind, "")
            row = conn.execute(CONTENT[kind].format(w=f"WHERE {alias}id = ?"), (ref,)).fetchone()
            entry["digest"] = digest(row) if row is not None else None
        entry["mac"] = entry_mac(record.key, prev, entry)
        conn.execute("UPDATE record SET digest = ?, created_at = ?, prev = ?, mac = ? WHERE id = ?",
                     (entry["digest"], when, prev, entry["mac"], ident))
        prev = entry["mac"]
    return pending[-1][0], prev


def event(conn, kind: str, detail: dict) -> None:
    """An entry that is not a row (a restore, the first seal), sealed with the transaction."""
    conn.execute("INSERT INTO record (kind, op, detail) VALUES (?, 'event', ?)", (kind, _canon(detail)))


def open_record(conn, path: Path, read_only: bool, fresh: bool = False) -> Record:
    """The record of a studio just opened. A record never sealed (a new studio, or one
    upgraded from before v4) is sealed now, with a new key, unless this machine already saw
    it sealed (then its entries were wiped: left for verify to report). Only a new database
    takes over the head of its folder; an upgraded one found where this machine knew another
    studio is sealed, but verify says the database was swapped."""
    ident = studio_id(conn)
    if ident is None:
        return Record(None, None, "the record names no studio (its first entry was changed)")
    key = keys.load_key(ident)
    sealed = conn.execute("SELECT EXISTS (SELECT 1 FROM record WHERE mac IS NOT NULL)").fetchone()[0]
    known = keys.load_head(path)
    if not sealed and not read_only and not (known and known["studio"] == ident and known["count"] > 0):
        key = keys.create_key(ident)
        existing = conn.execute("SELECT count(*) FROM record WHERE id > 1 AND mac IS NULL").fetchone()[0]
        conn.execute("BEGIN IMMEDIATE")
        try:
            if existing:
                event(conn, "sealed", {"existing": existing, "note": (
                    f"the {existing} records before this entry were written before this studio's "
                    "record was sealed; they were sealed now, as they were found")})
            new_head = seal_new(conn, Record(ident, key), 0)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        if new_head and (fresh or known is None or known["studio"] == ident):
            keys.save_head(path, ident, *new_head, force=True)
    if key is None:
        return Record(ident, None, (
            f"this studio's record key is not on this machine, so nothing can be added to its record "
            f"here; copy the file {ident}.key from the keys folder of the machine that made the studio "
            f"to {keys.key_path(ident).parent}"))
    return Record(ident, key)


# --- verification ---------------------------------------------------------------------

def _norm(sql: str | None) -> str:
    return " ".join((sql or "").split())


_EXPECTED: dict[str, str] | None = None


def expected_triggers() -> dict[str, str]:
    """Every trigger Atelier's migrations make, by name (normalised SQL)."""
    global _EXPECTED
    if _EXPECTED is None:
        mem = sqlite3.connect(":memory:", isolation_level=None)
        try:
            migrations.migrate(mem)
            _EXPECTED = {n: _norm(s) for n, s in mem.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")}
        finally:
            mem.close()
    return _EXPECTED


def check_triggers(conn) -> list[str]:
    found = {n: _norm(s) for n, s in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")}
    problems = []
    for name, sql in expected_triggers().items():
        if name not in found:
            problems.append(f"the trigger {name} was removed")
        elif found[name] != sql:
            problems.append(f"the trigger {name} was replaced by another")
    problems += [f"the trigger {name} was not made by Atelier" for name in sorted(set(found) - set(expected_triggers()))]
    return problems


def _what(kind, ref, op) -> str:
    if op == "event":
        return f"the {kind} entry"
    return f"{WORDS.get(kind, kind)} {ref}{' (removed)' if op == 'remove' else ''}"


def check_entries(conn, record: Record):
    """Walk the chain. Returns (problems, state {kind: {ref: digest | None}}, count, macs)."""
    problems: list[str] = []
    state: dict[str, dict] = {k: {} for k in CONTENT}
    macs: list[str] = []
    if record.key is None:
        return [record.problem or "this studio's record key is not on this machine"], None, 0, macs
    prev, count = GENESIS, 0
    key = record.key
    for ident, kind, ref, op, dig, detail, created, prev_mac, mac in conn.execute(
            "SELECT id, kind, ref, op, digest, detail, created_at, prev, mac FROM record ORDER BY id"):
        count += 1
        what = _what(kind, ref, op)
        if ident != count:
            problems.append(f"record entry {ident} ({what}): expected entry {count} here; entries were "
                            "removed or renumbered")
            count = ident
        if mac is None:
            problems.append(f"record entry {ident} ({what}) was never sealed: it was written outside Atelier")
            continue
        entry = {"id": ident, "kind": kind, "ref": ref, "op": op, "digest": dig, "detail": detail,
                 "created_at": created}
        if prev_mac != prev or not hmac.compare_digest(entry_mac(key, prev, entry), mac):
            problems.append(f"record entry {ident} ({what}): its seal does not match; the record was "
                            "changed or rewritten outside Atelier (or with another key)")
        prev = mac
        macs.append(mac)
        if kind in state and op in ("add", "remove"):
            state[kind][ref] = dig if op == "add" else None
    return problems, state, count, macs


def check_rows(conn, state) -> list[str]:
    problems = []
    have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for kind, table in migrations.RECORD_KINDS.items():
        if table not in have:
            problems.append(f"the table {table} was removed")
            continue
        word, sealed = WORDS[kind], state[kind]
        seen = set()
        alias = _ALIAS.get(kind, "")
        for row in conn.execute(CONTENT[kind].format(w=f"ORDER BY {alias}id")):
            ident = row[0]
            seen.add(ident)
            if ident not in sealed:
                problems.append(f"{word} {ident} is not in the record: it was added outside Atelier")
            elif sealed[ident] is None:
                problems.append(f"{word} {ident} was removed from the record, yet it is there")
            elif sealed[ident] != digest(row):
                problems.append(f"{word} {ident} was changed after it was recorded")
        for ident, dig in sealed.items():
            if dig is not None and ident not in seen:
                problems.append(f"{word} {ident} was deleted outside Atelier")
    return problems


def check_status(conn) -> list[str]:
    problems = []
    for table, col, word in (("shots", "shot_id", "shot"), ("boards", "board_id", "board")):
        for ident, status, latest in conn.execute(
                f"SELECT t.id, t.status, (SELECT d.verdict FROM decisions d WHERE d.{col} = t.id "
                f"ORDER BY d.id DESC LIMIT 1) FROM {table} t "
                f"WHERE t.status IS NOT coalesce((SELECT d.verdict FROM decisions d WHERE d.{col} = t.id "
                "ORDER BY d.id DESC LIMIT 1), 'new') ORDER BY t.id LIMIT 3"):
            problems.append(f"{word} {ident}: its status {status!r} is not its latest decision "
                            f"({latest or 'none'})")
    return problems


def check_images(studio, conn) -> list[str]:
    """Each shot's picture file has the content hash the shot records."""
    problems = []
    checked: dict[str, str | None] = {}
    for ident, image in conn.execute("SELECT id, image FROM shots ORDER BY id"):
        if image not in checked:
            checked[image] = _file_problem(studio.images.path(image), image) if isinstance(image, str) else "x"
        if checked[image]:
            problems.append(f"shot {ident}: its picture file {checked[image]}")
    return problems


def check_talent(studio, conn) -> list[str]:
    """Reference photos and twin adapters have the content hash their rows record
    (app/talent/files.py keeps them as `<studio>/talent/<kind>/<sha256>.<ext>`), and a talent
    is marked forgotten only with its sealed `forgotten` event."""
    problems: list[str] = []
    have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not {"talents", "talent_photos", "talent_events"} <= have:
        return problems
    root = Path(studio.path) / "talent"
    for ident, digest_, ext in conn.execute("SELECT id, hash, ext FROM talent_photos ORDER BY id"):
        if isinstance(digest_, str) and isinstance(ext, str) and keys_safe(digest_, ext):
            problem = _file_problem(root / "photos" / f"{digest_}.{ext}", digest_)
            if problem:
                problems.append(f"talent photo {ident}: its file {problem}")
    for ident, name, adapter, forgotten, event in conn.execute(
            "SELECT t.id, t.name, t.adapter, t.forgotten_at, (SELECT count(*) FROM talent_events e "
            "WHERE e.talent_id = t.id AND e.event = 'forgotten') FROM talents t ORDER BY t.id"):
        if (forgotten is not None) != bool(event):
            problems.append(f"talent {ident} ({name}): marked {'forgotten' if forgotten else 'not forgotten'}, "
                            f"but the record says {'it was' if event else 'it was not'}")
        elif adapter and forgotten is None and isinstance(adapter, str) and keys_safe(adapter, "safetensors"):
            problem = _file_problem(root / "adapters" / f"{adapter}.safetensors", adapter)
            if problem:
                problems.append(f"talent {ident} ({name}): its twin's adapter file {problem}")
    return problems


def keys_safe(digest_: str, ext: str) -> bool:
    """A name from the database may only name a file inside the studio's own folders."""
    return len(digest_) == 64 and all(c in "0123456789abcdef" for c in digest_) and ext.isalnum()


def _file_problem(path: Path, expected: str) -> str | None:
    h = hashlib.sha256()
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return "is missing"
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    with os.fdopen(fd, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return None if h.hexdigest() == expected else "was replaced or damaged (its content is not the recorded one)"


def check_head(studio, record: Record, count: int, macs: list[str]) -> list[str]:
    """The record against what is kept outside it: this machine's head, the backups' names."""
    problems = []
    known = keys.load_head(studio.path)
    if known is not None:
        if known["studio"] != record.studio_id:
            problems.append(f"this folder held studio {known['studio'][:8]}, but its database is studio "
                            f"{(record.studio_id or '?')[:8]}: the database was swapped for another "
                            "studio's")
        elif known["count"] > len(macs):
            problems.append(f"the record ends at entry {len(macs)}, but this machine saw it at entry "
                            f"{known['count']} ({known.get('time', '')[:19]}): its last entries were "
                            "removed, or an older copy (a backup?) was put in place of the current one")
        elif known["count"] and macs[known["count"] - 1] != known["mac"]:
            problems.append(f"record entry {known['count']} is not the one this machine sealed: "
                            "the record was rewritten")
    from app.store import backups

    have = {m[:16] for m in macs}
    restored = _last_restore(studio)
    for b in backups.list_backups(studio.backups_dir):
        tag, stamp = backups.tag_of(b), backups.stamp_of(b)
        if tag is None or (restored and stamp is not None and stamp <= restored):
            continue
        if tag not in have:
            problems.append(f"the backup {b.name} holds record entries this record does not: its "
                            "last entries were removed or rewritten")
        break  # the newest tagged backup since the last restore is enough
    return problems


def _last_restore(studio) -> str | None:
    row = studio.conn.execute("SELECT created_at FROM record WHERE kind = 'restored' ORDER BY id DESC "
                              "LIMIT 1").fetchone()
    return row[0] if row else None


def verify(studio, images: bool = True) -> tuple[bool, str, list[str]]:
    """(ok, one line: the summary or the first problem, every problem found)."""
    record = studio.record
    with studio.reading() as conn:
        problems, state, count, macs = check_entries(conn, record)
        if state is not None:
            problems += check_rows(conn, state)
        problems += check_triggers(conn)
        problems += check_status(conn)
        if images:
            problems += check_images(studio, conn)
            problems += check_talent(studio, conn)
        if state is not None:
            problems += check_head(studio, record, count, macs)
        shots = conn.execute("SELECT count(*) FROM shots").fetchone()[0]
    if problems:
        more = f" (and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})" if len(problems) > 1 else ""
        return False, problems[0] + more, problems
    return True, (f"the record of {count} entries is sealed and intact, and the pictures of its "
                  f"{shots} shot{'' if shots == 1 else 's'} match"), []
