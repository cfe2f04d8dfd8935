"""The repository API: the window and the commands read and write the studio only here.

Every function takes the open `Studio` first and returns dataclasses from records.py.
Each write is one transaction; an action that fails leaves nothing behind (image files
are written before their rows, so there is never a row without its file).
"""

from __future__ import annotations

import json
import re
import sqlite3

from app.store import validate
from app.store.decisions import decide, decisions, now, person_id, verify_chain  # noqa: F401
from app.store.errors import InvalidInput, NotFound, RuleViolation, StoreError
from app.store.records import (STATUSES, Board, BoardPage, BoardSummary, EditRecord, Lineage,
                               Note, NoteDraft, Shot, ShotDraft)

def verify_record(studio, images: bool = True) -> tuple[bool, str, list[str]]:
    """The whole sealed record (app/store/seal.py): (ok, the summary or the first problem,
    every problem)."""
    from app.store import seal

    return seal.verify(studio, images=images)


_SHOT_COLS = ("id, board_id, brief, prompt, negative, model, model_hash, seed, steps, guidance, "
              "width, height, scheduler, parent_id, strength, note_id, image, created_at, "
              "status, rating, adapters")
_S = ", ".join(f"s.{c}" for c in _SHOT_COLS.split(", "))
_BOARD_COLS = "id, name, created_at, status"


_NAMES = _SHOT_COLS.split(", ")
_BRIEF = _NAMES.index("brief")
_ADAPTERS = _NAMES.index("adapters")


def _shot(row) -> Shot:
    # Rows from our own schema are complete and typed: fill the frozen dataclass directly
    # (its generated __init__ costs more than the query on a 200-shot page).
    shot = object.__new__(Shot)
    d = shot.__dict__
    d.update(zip(_NAMES, row))
    d["brief"] = json.loads(row[_BRIEF])
    d["adapters"] = json.loads(row[_ADAPTERS] or "[]")
    return shot


# --- boards -------------------------------------------------------------------------

def create_board(studio, name) -> Board:
    name = validate.name(name, "board name")
    try:
        with studio.transaction() as conn:
            cur = conn.execute("INSERT INTO boards (name, created_at) VALUES (?, ?)", (name, now()))
            board_id = cur.lastrowid
    except sqlite3.IntegrityError:
        raise InvalidInput(f"a board named {name!r} already exists") from None
    return get_board(studio, board_id)


def get_board(studio, name_or_id) -> Board:
    """A board by name (case-insensitive) or by id (an int, or digits no board is named)."""
    with studio.reading() as conn:
        if isinstance(name_or_id, str):
            key = validate.name(name_or_id, "board name")
            row = conn.execute(f"SELECT {_BOARD_COLS} FROM boards WHERE name = ?", (key,)).fetchone()
            if row is None and key.isascii() and key.isdigit():
                row = conn.execute(f"SELECT {_BOARD_COLS} FROM boards WHERE id = ?", (int(key),)).fetchone()
        else:
            key = validate.ident(name_or_id, "board id")
            row = conn.execute(f"SELECT {_BOARD_COLS} FROM boards WHERE id = ?", (key,)).fetchone()
    if row is None:
        raise NotFound(f"there is no board {key!r}" if isinstance(key, str) else f"there is no board {key}")
    return Board(*row)


def list_boards(studio) -> list[BoardSummary]:
    with studio.reading() as conn:
        counts: dict[int, dict] = {}
        for board_id, status, n in conn.execute(
                "SELECT board_id, status, COUNT(*) FROM shots GROUP BY board_id, status"):
            counts.setdefault(board_id, {})[status] = n
        out = []
        for bid, name, created, status in conn.execute(f"SELECT {_BOARD_COLS} FROM boards ORDER BY id"):
            c = {s: counts.get(bid, {}).get(s, 0) for s in STATUSES}
            out.append(BoardSummary(bid, name, created, status, sum(c.values()), c))
    return out


# --- shots ----------------------------------------------------------------------------

def add_shots(studio, drafts: list[ShotDraft], images: list, note: NoteDraft | None = None,
              after=None, note_id: int | None = None) -> list[Shot]:
    """Keep new shots, their image files, and the note (with its edits) that made them —
    all in one transaction. A draft without parent_id gets the note's shot as parent.
    `note_id` instead of `note`: the shots belong to a note already stored (the later
    pictures of a job, each stored as soon as it exists).
    `after(conn, shots)`, when given, runs inside that transaction (the usage ledger of a
    twin render); what it raises rolls everything back."""
    if not drafts or len(drafts) != len(images):
        raise InvalidInput("add_shots needs one image per shot draft, and at least one")
    if note is not None and note_id is not None:
        raise InvalidInput("add_shots takes a new note or the id of a stored one, not both")
    if note_id is not None:
        note_id = validate.ident(note_id, "note id")
        with studio.reading() as conn:
            row = conn.execute("SELECT shot_id FROM notes WHERE id = ?", (note_id,)).fetchone()
        if row is None:
            raise NotFound(f"there is no note {note_id}")
        note_shot = row[0]
    if note is not None:
        note_text = validate.long_text(note.text, "note")
        author = validate.name(note.author, "author")
        role = validate.role(note.role)
        language = validate.text(note.language, "language", max_len=8)
        note_shot = validate.ident(note.shot_id, "shot id")
    rows = []
    for d in drafts:
        has_note = note is not None or note_id is not None
        parent = d.parent_id if d.parent_id is not None else (note_shot if has_note else None)
        try:
            brief = json.dumps(d.brief, sort_keys=True, ensure_ascii=False)
            adapters = json.dumps(list(d.adapters or []), sort_keys=True, ensure_ascii=False)
        except (TypeError, ValueError) as exc:
            raise InvalidInput(f"the brief cannot be stored: {exc}") from None
        rows.append((d, parent, brief, adapters))

    written = []
    try:
        digests = []
        for (d, parent, _, _), image in zip(rows, images):
            recipe = {**d.__dict__, "parent_id": parent}
            digest, new = studio.images.put(image, recipe)
            digests.append(digest)
            if new:
                written.append(digest)
        with studio.transaction() as conn:
            for d, parent, _, _ in rows:
                _require(conn, "boards", d.board_id, "board")
                if parent is not None:
                    _require(conn, "shots", parent, "shot")
            if note is not None:
                _require(conn, "shots", note_shot, "shot")
                pid = person_id(conn, author, role)
                note_id = conn.execute(
                    "INSERT INTO notes (shot_id, text, language, person_id, created_at) VALUES (?, ?, ?, ?, ?)",
                    (note_shot, note_text, language, pid, now())).lastrowid
                for e in note.edits:
                    conn.execute(
                        "INSERT INTO edits (note_id, slot, op, term, weight_before, weight_after) "
                        "VALUES (?, ?, ?, ?, ?, ?)",
                        (note_id, e["slot"], e["op"], e["term"], float(e["weight_before"]),
                         float(e["weight_after"])))
            ids = []
            created = now()
            for (d, parent, brief, adapters), digest in zip(rows, digests):
                ids.append(conn.execute(
                    "INSERT INTO shots (board_id, parent_id, note_id, brief, prompt, negative, model, "
                    "model_hash, seed, steps, guidance, width, height, scheduler, strength, image, "
                    "created_at, adapters) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (d.board_id, parent, note_id, brief, d.prompt, d.negative or "", d.model,
                     d.model_hash or "", int(d.seed), int(d.steps), float(d.guidance), int(d.width),
                     int(d.height), d.scheduler, d.strength, digest, created, adapters)).lastrowid)
            shots = [_get_shot(conn, i) for i in ids]
            if after is not None:
                after(conn, shots)
    except (KeyError, TypeError, ValueError) as exc:
        _forget(studio, written)
        raise InvalidInput(f"a shot or edit is incomplete: {exc}") from None
    except sqlite3.Error as exc:
        _forget(studio, written)
        raise StoreError(f"the shots could not be saved: {exc}") from exc
    except BaseException:
        _forget(studio, written)
        raise
    return shots


def _forget(studio, digests) -> None:
    """Remove files written for a failed add_shots, unless a row (e.g. another process's)
    uses the same content."""
    for digest in digests:
        try:
            with studio.reading() as conn:
                used = conn.execute("SELECT 1 FROM shots WHERE image = ? LIMIT 1", (digest,)).fetchone()
        except sqlite3.Error:
            used = True  # when in doubt keep the file; tidy finds it later
        if not used:
            studio.images.remove(digest)


def _require(conn, table: str, ident, what: str) -> None:
    if not conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (ident,)).fetchone():
        raise NotFound(f"there is no {what} {ident}")


def _get_shot(conn, shot_id: int) -> Shot:
    row = conn.execute(f"SELECT {_SHOT_COLS} FROM shots WHERE id = ?", (shot_id,)).fetchone()
    if row is None:
        raise NotFound(f"there is no shot {shot_id}")
    return _shot(row)


def get_shot(studio, shot_id) -> Shot:
    shot_id = validate.ident(shot_id, "shot id")
    with studio.reading() as conn:
        return _get_shot(conn, shot_id)


def rate(studio, shot_id, stars) -> Shot:
    """Set a shot's rating (0–5 stars), or clear it with None."""
    shot_id = validate.ident(shot_id, "shot id")
    if stars is not None and (isinstance(stars, bool) or not isinstance(stars, int) or not 0 <= stars <= 5):
        raise InvalidInput("a rating is 0 to 5 stars")
    with studio.transaction() as conn:
        _require(conn, "shots", shot_id, "shot")
        conn.execute("UPDATE shots SET rating = ? WHERE id = ?", (stars, shot_id))
        return _get_shot(conn, shot_id)


def fts_query(text: str) -> str | None:
    """People's words -> a safe FTS5 query: every word must appear (as a word prefix)."""
    words = re.findall(r"\w+", text or "")
    return " ".join(f'"{w}"*' for w in words) or None


# Shots matching :q in their prompt, in the note that made them, or in a note about them.
_MATCHING = ("SELECT rowid FROM shots_fts WHERE shots_fts MATCH :q "
             "UNION SELECT id FROM shots WHERE note_id IN (SELECT rowid FROM notes_fts WHERE notes_fts MATCH :q) "
             "UNION SELECT shot_id FROM notes WHERE id IN (SELECT rowid FROM notes_fts WHERE notes_fts MATCH :q)")


def board_page(studio, board_id, offset: int = 0, limit: int = 200, status=None,
               min_rating=None, query=None) -> BoardPage:
    """One page of a board's shots, newest first, with counts by status for the whole board."""
    board = get_board(studio, board_id)
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"unknown status {status!r}; use one of: {', '.join(STATUSES)}")
    where, params = ["s.board_id = :b"], {"b": board.id, "lim": max(0, int(limit)), "off": max(0, int(offset))}
    if status is not None:
        where.append("s.status = :st")
        params["st"] = status
    if min_rating is not None:
        where.append("s.rating >= :r")
        params["r"] = int(min_rating)
    if query is not None and query.strip():
        q = fts_query(query)
        where.append(f"s.id IN ({_MATCHING})" if q else "0")
        params["q"] = q
    cond = " AND ".join(where)
    with studio.reading() as conn:
        counts = {s: 0 for s in STATUSES}
        for st, n in conn.execute("SELECT status, COUNT(*) FROM shots WHERE board_id = ? GROUP BY status",
                                  (board.id,)):
            counts[st] = n
        if len(where) == 1:
            total = sum(counts.values())
        else:
            total = conn.execute(f"SELECT COUNT(*) FROM shots s WHERE {cond}", params).fetchone()[0]
        rows = conn.execute(f"SELECT {_S} FROM shots s WHERE {cond} ORDER BY s.id DESC "
                            "LIMIT :lim OFFSET :off", params).fetchall()
    return BoardPage(board, [_shot(r) for r in rows], counts, total, params["off"], params["lim"])


def search(studio, text, board_id=None, limit: int = 200) -> list[Shot]:
    """Shots whose prompt, or a note that made them or is about them, has all these words."""
    q = fts_query(validate.text(text, "search text", max_len=validate.MAX_TEXT, optional=True) or "")
    if q is None:
        return []
    params = {"q": q, "lim": int(limit)}
    extra = ""
    if board_id is not None:
        params["b"] = get_board(studio, board_id).id
        extra = "AND s.board_id = :b"
    with studio.reading() as conn:
        rows = conn.execute(f"SELECT {_S} FROM shots s WHERE s.id IN ({_MATCHING}) {extra} "
                            "ORDER BY s.id DESC LIMIT :lim", params).fetchall()
    return [_shot(r) for r in rows]


# --- notes and lineage ------------------------------------------------------------------

def _notes(conn, where: str, params) -> list[Note]:
    rows = conn.execute(
        "SELECT n.id, n.shot_id, n.text, n.language, p.name, p.role, n.created_at FROM notes n "
        f"JOIN people p ON p.id = n.person_id WHERE {where} ORDER BY n.id", params).fetchall()
    edits: dict[int, list] = {}
    if rows:
        ids = [r[0] for r in rows]
        marks = ", ".join("?" * len(ids))
        for e in conn.execute("SELECT id, note_id, slot, op, term, weight_before, weight_after "
                              f"FROM edits WHERE note_id IN ({marks}) ORDER BY id", ids):
            edits.setdefault(e[1], []).append(EditRecord(*e))
    return [Note(*r, edits=tuple(edits.get(r[0], ()))) for r in rows]


def notes_of(studio, shot_id) -> list[Note]:
    """The notes people wrote about this shot, oldest first, with their edits."""
    shot_id = validate.ident(shot_id, "shot id")
    with studio.reading() as conn:
        _require(conn, "shots", shot_id, "shot")
        return _notes(conn, "n.shot_id = ?", (shot_id,))


def notes_in(studio, board_id=None) -> list[Note]:
    """Every note, or the notes about the shots of one board; oldest first."""
    with studio.reading() as conn:
        if board_id is None:
            return _notes(conn, "1", ())
        board = get_board(studio, board_id)
        return _notes(conn, "n.shot_id IN (SELECT id FROM shots WHERE board_id = ?)", (board.id,))


def lineage(studio, shot_id, max_descendants: int = 1000) -> Lineage:
    shot_id = validate.ident(shot_id, "shot id")
    with studio.reading() as conn:
        shot = _get_shot(conn, shot_id)
        ancestors = [_shot(r) for r in conn.execute(
            "WITH RECURSIVE up(id, depth) AS (SELECT parent_id, 1 FROM shots WHERE id = ? "
            "UNION ALL SELECT s.parent_id, up.depth + 1 FROM shots s JOIN up ON s.id = up.id "
            "WHERE s.parent_id IS NOT NULL) "
            f"SELECT {_S} FROM up JOIN shots s ON s.id = up.id ORDER BY up.depth DESC", (shot_id,))]
        descendants = [_shot(r) for r in conn.execute(
            "WITH RECURSIVE down(id, depth) AS (SELECT id, 1 FROM shots WHERE parent_id = ? "
            "UNION ALL SELECT s.id, down.depth + 1 FROM shots s JOIN down ON s.parent_id = down.id) "
            f"SELECT {_S} FROM down JOIN shots s ON s.id = down.id ORDER BY down.depth, s.id LIMIT ?",
            (shot_id, max_descendants))]
        path_notes = [s.note_id for s in ancestors + [shot] if s.note_id is not None]
        notes = _notes(conn, f"n.id IN ({', '.join('?' * len(path_notes))})", path_notes) if path_notes else []
    order = {nid: i for i, nid in enumerate(path_notes)}
    return Lineage(shot, ancestors, descendants, sorted(notes, key=lambda n: order[n.id]))


def undo_note(studio, note_id) -> None:
    """Take back a note and the shots it made, while none of them has a decision or a child.
    Their image files stay until `atelier tidy --delete` (another row may share them)."""
    note_id = validate.ident(note_id, "note id")
    with studio.transaction() as conn:
        _require(conn, "notes", note_id, "note")
        shots = [r[0] for r in conn.execute("SELECT id FROM shots WHERE note_id = ?", (note_id,))]
        marks = ", ".join("?" * len(shots))
        if shots and conn.execute(f"SELECT 1 FROM decisions WHERE shot_id IN ({marks}) LIMIT 1", shots).fetchone():
            raise RuleViolation(f"note {note_id} cannot be undone: a decision was taken on its shots")
        if shots and conn.execute(f"SELECT 1 FROM shots WHERE parent_id IN ({marks}) LIMIT 1", shots).fetchone():
            raise RuleViolation(f"note {note_id} cannot be undone: its shots have been directed further")
        if shots:
            conn.execute(f"DELETE FROM notes WHERE shot_id IN ({marks})", shots)
            conn.execute(f"DELETE FROM shots WHERE id IN ({marks})", shots)
        conn.execute("DELETE FROM notes WHERE id = ?", (note_id,))


def record_head(studio) -> str:
    """The sealed record's head as 'COUNT:MAC' (entries sealed, last entry's HMAC): what an
    exported file carries to tie it to the record it came from (`history --export` writes
    the same pair in its manifest)."""
    from app.store import seal

    with studio.reading() as conn:
        count, mac = seal.head(conn)
    return f"{count}:{mac}"
