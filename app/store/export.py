"""The record as plain files: `atelier history --export DIR [--csv] [--board NAME]`.

DIR (new or empty) receives one file per table, `<table>.json` (a JSON array of objects,
one per row, columns as keys) or with `--csv` `<table>.csv` (UTF-8, a header row, RFC 4180
quoting, empty for NULL), and `manifest.json`: `{"studio", "exported_at", "board",
"head": {"count", "mac"}, "files": {"<name>": {"rows", "sha256"}}}`. Rows are read inside
one read transaction, so the files are one consistent snapshot (plain sqlite3: it gives the
columns of an empty table too, which a CSV header needs and sqlite-utils' `query` does not). Tables: boards, shots, notes (with the author's name and
role), edits, decisions, and, when present, talents, consents, revocations, board_uses,
ledger and record (the seals). With a board: only that board, its shots, their notes, edits
and decisions, its uses and ledger lines.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from datetime import datetime, timezone
from pathlib import Path

from app.store import seal
from app.store.errors import InvalidInput

_BOARD_SHOTS = "SELECT id FROM shots WHERE board_id = :b"
# name -> (SQL of the whole record, SQL of one board's part, or None: not board-scoped)
TABLES = {
    "boards": ("SELECT * FROM boards ORDER BY id", "SELECT * FROM boards WHERE id = :b"),
    "shots": ("SELECT * FROM shots ORDER BY id", "SELECT * FROM shots WHERE board_id = :b ORDER BY id"),
    "notes": ("SELECT n.id, n.shot_id, n.text, n.language, p.name AS author, p.role, n.created_at "
              "FROM notes n LEFT JOIN people p ON p.id = n.person_id {w} ORDER BY n.id",
              f"WHERE n.shot_id IN ({_BOARD_SHOTS})"),
    "edits": ("SELECT * FROM edits {w} ORDER BY id",
              f"WHERE note_id IN (SELECT id FROM notes WHERE shot_id IN ({_BOARD_SHOTS}))"),
    "decisions": ("SELECT * FROM decisions {w} ORDER BY id",
                  f"WHERE board_id = :b OR shot_id IN ({_BOARD_SHOTS})"),
    "talents": ("SELECT * FROM talents ORDER BY id", None),
    "consents": ("SELECT * FROM consents ORDER BY id", None),
    "revocations": ("SELECT * FROM revocations ORDER BY id", None),
    "board_uses": ("SELECT * FROM board_uses {w} ORDER BY id", "WHERE board_id = :b"),
    "ledger": ("SELECT * FROM ledger {w} ORDER BY id", "WHERE board_id = :b"),
    "record": ("SELECT * FROM record ORDER BY id", None),
}


def _sql(name: str, board_id) -> str | None:
    whole, part = TABLES[name]
    if board_id is None:
        return whole.replace("{w} ", "")
    if part is None:
        return None
    if part.startswith("SELECT"):
        return part
    return whole.replace("{w}", part)


def check_folder(folder) -> Path:
    """DIR must be a new or empty folder: nothing there is ever overwritten."""
    folder = Path(folder).expanduser()
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise InvalidInput(f"{folder} is not a folder")
    if folder.exists() and any(folder.iterdir()):
        raise InvalidInput(f"{folder} is not empty; export into a new or empty folder")
    return folder


def _csv(rows: list[dict], columns: list[str]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row[c] is None else row[c] for c in columns])
    return buf.getvalue()


def export_record(studio, folder, fmt: str = "json", board_id: int | None = None) -> dict:
    """Write the record (or one board's part) into `folder`; returns the manifest."""
    if fmt not in ("json", "csv"):
        raise InvalidInput("the export format is json or csv")
    folder = check_folder(folder)
    have = {r[0] for r in studio.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    contents: dict[str, tuple[list[dict], list[str]]] = {}
    with studio.reading() as conn:
        for name in TABLES:
            sql = _sql(name, board_id)
            if name not in have or sql is None:
                continue
            cursor = conn.execute(sql, {"b": board_id} if ":b" in sql else {})
            columns = [d[0] for d in cursor.description]
            contents[name] = ([dict(zip(columns, r)) for r in cursor.fetchall()], columns)
        count, mac = seal.head(conn)
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for name, (rows, columns) in contents.items():
        text = (_csv(rows, columns) if fmt == "csv"
                else json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
        data = text.encode("utf-8")
        fname = f"{name}.{fmt}"
        _write(folder / fname, data)
        files[fname] = {"rows": len(rows), "sha256": hashlib.sha256(data).hexdigest()}
    manifest = {"studio": studio.record.studio_id, "board": board_id,
                "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "head": {"count": count, "mac": mac}, "files": files}
    _write(folder / "manifest.json", (json.dumps(manifest, indent=1) + "\n").encode("utf-8"))
    return manifest


def _write(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
