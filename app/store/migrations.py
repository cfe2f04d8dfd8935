"""The schema, as an ordered list of migrations; PRAGMA user_version is the version.

Each migration runs in one transaction together with the bump of user_version, so a
migration that fails leaves the database exactly as it was. Never edit a shipped
migration: append a new one.
"""

from __future__ import annotations

import sqlite3

_ROLES = "('stylist', 'art-director', 'photographer')"
_VERDICTS = "('approved', 'rejected', 'hold', 'changes-requested')"

V1 = [
    """CREATE TABLE boards (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        created_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'new')""",
    f"""CREATE TABLE people (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN {_ROLES}),
        UNIQUE (name, role))""",
    """CREATE TABLE shots (
        id INTEGER PRIMARY KEY,
        board_id INTEGER NOT NULL REFERENCES boards(id),
        parent_id INTEGER REFERENCES shots(id),
        note_id INTEGER REFERENCES notes(id),
        brief TEXT NOT NULL,
        prompt TEXT NOT NULL,
        negative TEXT NOT NULL,
        model TEXT NOT NULL,
        model_hash TEXT NOT NULL,
        seed INTEGER NOT NULL,
        steps INTEGER NOT NULL,
        guidance REAL NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        scheduler TEXT,
        strength REAL,
        image TEXT NOT NULL,
        created_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'new')""",
    """CREATE TABLE notes (
        id INTEGER PRIMARY KEY,
        shot_id INTEGER NOT NULL REFERENCES shots(id),
        text TEXT NOT NULL,
        language TEXT NOT NULL,
        person_id INTEGER NOT NULL REFERENCES people(id),
        created_at TEXT NOT NULL)""",
    """CREATE TABLE edits (
        id INTEGER PRIMARY KEY,
        note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
        slot TEXT NOT NULL,
        op TEXT NOT NULL,
        term TEXT NOT NULL,
        weight_before REAL NOT NULL,
        weight_after REAL NOT NULL)""",
    f"""CREATE TABLE decisions (
        id INTEGER PRIMARY KEY,
        shot_id INTEGER REFERENCES shots(id),
        board_id INTEGER REFERENCES boards(id),
        verdict TEXT NOT NULL CHECK (verdict IN {_VERDICTS}),
        person TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN {_ROLES}),
        reason TEXT,
        created_at TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE,
        CHECK ((shot_id IS NULL) <> (board_id IS NULL)))""",
    # Decisions are appended, never rewritten; the hash chain detects what triggers cannot stop.
    """CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
       BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END""",
    """CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
       BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END""",
    "CREATE INDEX shots_board ON shots (board_id, id)",
    "CREATE INDEX shots_board_status ON shots (board_id, status)",
    "CREATE INDEX shots_parent ON shots (parent_id)",
    "CREATE INDEX shots_note ON shots (note_id)",
    "CREATE INDEX shots_image ON shots (image)",
    "CREATE INDEX notes_shot ON notes (shot_id)",
    "CREATE INDEX edits_note ON edits (note_id)",
    "CREATE INDEX decisions_shot ON decisions (shot_id)",
    "CREATE INDEX decisions_board ON decisions (board_id)",
]

# v2: star ratings, and full-text search over notes and prompts kept in sync by triggers.
_FTS = "tokenize = 'unicode61 remove_diacritics 2'"
V2 = [
    "ALTER TABLE shots ADD COLUMN rating INTEGER CHECK (rating BETWEEN 0 AND 5)",
    f"CREATE VIRTUAL TABLE notes_fts USING fts5(text, content='notes', content_rowid='id', {_FTS})",
    f"""CREATE VIRTUAL TABLE shots_fts USING fts5(prompt, negative, content='shots',
        content_rowid='id', {_FTS})""",
    """CREATE TRIGGER notes_fts_ai AFTER INSERT ON notes BEGIN
        INSERT INTO notes_fts(rowid, text) VALUES (new.id, new.text); END""",
    """CREATE TRIGGER notes_fts_ad AFTER DELETE ON notes BEGIN
        INSERT INTO notes_fts(notes_fts, rowid, text) VALUES ('delete', old.id, old.text); END""",
    """CREATE TRIGGER notes_fts_au AFTER UPDATE OF text ON notes BEGIN
        INSERT INTO notes_fts(notes_fts, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO notes_fts(rowid, text) VALUES (new.id, new.text); END""",
    """CREATE TRIGGER shots_fts_ai AFTER INSERT ON shots BEGIN
        INSERT INTO shots_fts(rowid, prompt, negative) VALUES (new.id, new.prompt, new.negative); END""",
    """CREATE TRIGGER shots_fts_ad AFTER DELETE ON shots BEGIN
        INSERT INTO shots_fts(shots_fts, rowid, prompt, negative)
        VALUES ('delete', old.id, old.prompt, old.negative); END""",
    """CREATE TRIGGER shots_fts_au AFTER UPDATE OF prompt, negative ON shots BEGIN
        INSERT INTO shots_fts(shots_fts, rowid, prompt, negative)
        VALUES ('delete', old.id, old.prompt, old.negative);
        INSERT INTO shots_fts(rowid, prompt, negative) VALUES (new.id, new.prompt, new.negative); END""",
    "INSERT INTO notes_fts(notes_fts) VALUES ('rebuild')",
    "INSERT INTO shots_fts(shots_fts) VALUES ('rebuild')",
]

# v3 (talent, issue 13): talents with reference photos and twins, consents and their
# revocations, the use each board declares, and the usage ledger. Consents, revocations,
# talent events and ledger lines are hash-chained like decisions (app/talent/chain.py).
_APPEND_ONLY = ("consents", "revocations", "talent_events", "ledger", "board_uses")
_CHAIN = "prev_hash TEXT NOT NULL, hash TEXT NOT NULL UNIQUE"
V3 = [
    """CREATE TABLE talents (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        agency TEXT NOT NULL,
        adapter TEXT,
        adapter_name TEXT,
        trigger_word TEXT,
        created_at TEXT NOT NULL,
        forgotten_at TEXT)""",
    """CREATE TABLE talent_photos (
        id INTEGER PRIMARY KEY,
        talent_id INTEGER NOT NULL REFERENCES talents(id),
        hash TEXT NOT NULL,
        ext TEXT NOT NULL,
        added_at TEXT NOT NULL,
        UNIQUE (talent_id, hash))""",
    f"""CREATE TABLE talent_events (
        id INTEGER PRIMARY KEY,
        talent_id INTEGER NOT NULL REFERENCES talents(id),
        talent TEXT NOT NULL,
        event TEXT NOT NULL CHECK (event IN ('added', 'forgotten')),
        detail TEXT NOT NULL,
        created_at TEXT NOT NULL,
        {_CHAIN})""",
    f"""CREATE TABLE consents (
        id INTEGER PRIMARY KEY,
        talent_id INTEGER NOT NULL REFERENCES talents(id),
        talent TEXT NOT NULL,
        client TEXT NOT NULL,
        channels TEXT NOT NULL,
        territories TEXT NOT NULL,
        valid_from TEXT NOT NULL,
        valid_until TEXT NOT NULL,
        fee TEXT NOT NULL,
        currency TEXT NOT NULL,
        basis TEXT NOT NULL CHECK (basis IN ('export', 'render')),
        approval_required INTEGER NOT NULL CHECK (approval_required IN (0, 1)),
        evidence TEXT,
        evidence_name TEXT,
        created_at TEXT NOT NULL,
        {_CHAIN})""",
    f"""CREATE TABLE revocations (
        id INTEGER PRIMARY KEY,
        consent_id INTEGER NOT NULL UNIQUE REFERENCES consents(id),
        person TEXT NOT NULL,
        role TEXT NOT NULL,
        reason TEXT NOT NULL,
        created_at TEXT NOT NULL,
        {_CHAIN})""",
    f"""CREATE TABLE board_uses (
        id INTEGER PRIMARY KEY,
        board_id INTEGER NOT NULL REFERENCES boards(id),
        client TEXT NOT NULL,
        channels TEXT NOT NULL,
        territories TEXT NOT NULL,
        created_at TEXT NOT NULL,
        {_CHAIN})""",
    f"""CREATE TABLE ledger (
        id INTEGER PRIMARY KEY,
        talent_id INTEGER NOT NULL REFERENCES talents(id),
        talent TEXT NOT NULL,
        consent_id INTEGER NOT NULL REFERENCES consents(id),
        shot_id INTEGER NOT NULL REFERENCES shots(id),
        board_id INTEGER NOT NULL REFERENCES boards(id),
        event TEXT NOT NULL CHECK (event IN ('render', 'export')),
        channel TEXT NOT NULL,
        fee TEXT NOT NULL,
        currency TEXT NOT NULL,
        adapter TEXT,
        created_at TEXT NOT NULL,
        {_CHAIN})""",
    *[f"""CREATE TRIGGER {t}_no_update BEFORE UPDATE ON {t}
          BEGIN SELECT RAISE(ABORT, '{t} are append-only'); END""" for t in _APPEND_ONLY],
    *[f"""CREATE TRIGGER {t}_no_delete BEFORE DELETE ON {t}
          BEGIN SELECT RAISE(ABORT, '{t} are append-only'); END""" for t in _APPEND_ONLY],
    "CREATE INDEX talent_photos_talent ON talent_photos (talent_id)",
    "CREATE INDEX consents_talent ON consents (talent_id)",
    "CREATE INDEX board_uses_board ON board_uses (board_id, id)",
    "CREATE INDEX ledger_talent ON ledger (talent_id, created_at)",
    "CREATE INDEX ledger_shot ON ledger (shot_id)",
    "CREATE INDEX ledger_board ON ledger (board_id)",
]

# v4 (issue 8): the sealed record. Every row a person relies on gets an entry in `record`
# (kind, id, added or removed) through the triggers below; Atelier seals the entries of each
# transaction before its COMMIT (app/store/seal.py: a keyed HMAC chain over the rows'
# content, the key outside the studio). Rows written before v4 get their entries here and
# are sealed once, on the first open, which the record says (a `sealed` entry).
# kind -> table; never change a shipped kind (a new table gets a new migration and kind).
RECORD_KINDS = {
    "board": "boards", "shot": "shots", "note": "notes", "edit": "edits", "decision": "decisions",
    "talent": "talents", "talent_photo": "talent_photos", "talent_event": "talent_events",
    "consent": "consents", "revocation": "revocations", "board_use": "board_uses", "ledger": "ledger",
}
V4 = [
    """CREATE TABLE record (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        ref INTEGER,
        op TEXT NOT NULL DEFAULT 'add' CHECK (op IN ('add', 'remove', 'event')),
        digest TEXT,
        detail TEXT,
        created_at TEXT,
        prev TEXT,
        mac TEXT)""",
    """INSERT INTO record (kind, op, detail)
       VALUES ('studio', 'event', json_object('studio', lower(hex(randomblob(16)))))""",
    *[f"INSERT INTO record (kind, ref) SELECT '{k}', id FROM {t} ORDER BY id" for k, t in RECORD_KINDS.items()],
    """CREATE TRIGGER record_no_delete BEFORE DELETE ON record
       BEGIN SELECT RAISE(ABORT, 'the record is append-only'); END""",
    """CREATE TRIGGER record_no_update BEFORE UPDATE ON record WHEN old.mac IS NOT NULL
       BEGIN SELECT RAISE(ABORT, 'the record is append-only'); END""",
    *[f"""CREATE TRIGGER record_{t}_ai AFTER INSERT ON {t}
          BEGIN INSERT INTO record (kind, ref) VALUES ('{k}', new.id); END""" for k, t in RECORD_KINDS.items()],
    *[f"""CREATE TRIGGER record_{t}_ad AFTER DELETE ON {t}
          BEGIN INSERT INTO record (kind, ref, op) VALUES ('{k}', old.id, 'remove'); END"""
      for k, t in RECORD_KINDS.items()],
]

# v5 (engine, issue 9): the LoRA adapters a shot was rendered with, as JSON
# [{"name", "hash" (sha256 of the file), "weight"}]; "[]" for every earlier shot. Not yet part
# of the shot's sealed content (app/store/seal.py seals named columns; sealing it needs a kind).
V5 = ["ALTER TABLE shots ADD COLUMN adapters TEXT NOT NULL DEFAULT '[]'"]

MIGRATIONS = [V1, V2, V3, V4, V5]
LATEST = len(MIGRATIONS)


def version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection, migrations=None, target: int | None = None) -> int:
    """Apply the migrations the database lacks, each in its own transaction.

    `conn` must be in autocommit mode (isolation_level=None). Returns the new version.
    A failing migration is rolled back (schema and user_version unchanged) and re-raised.
    """
    migrations = MIGRATIONS if migrations is None else migrations
    target = len(migrations) if target is None else target
    while True:
        # BEGIN IMMEDIATE, then re-read: another process may have migrated meanwhile.
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = version(conn)
            if current >= target:
                conn.execute("COMMIT")
                return current
            for statement in migrations[current]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {current + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
