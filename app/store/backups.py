"""Backups of atelier.db with SQLite's online backup API, kept in `<studio>/backups/`.

A backup is written to a temporary name and renamed when complete, so a backup
interrupted by a crash never looks like a good one. The newest `keep` are kept.
"""

from __future__ import annotations

import os
import sqlite3
import time
from datetime import datetime, timezone
from pathlib import Path

KEEP = 7
DAILY = 24 * 3600
_PREFIX, _SUFFIX = "atelier-", ".db"


def list_backups(folder: Path) -> list[Path]:
    """Backups, newest first (the name carries a sortable UTC time)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if p.name.startswith(_PREFIX) and p.name.endswith(_SUFFIX)]
    return sorted(found, key=lambda p: p.name, reverse=True)


def take_backup(conn: sqlite3.Connection, folder: Path, keep: int = KEEP) -> Path:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    final = folder / f"{_PREFIX}{stamp}{_SUFFIX}"
    tmp = folder / f".tmp-{os.getpid()}-{stamp}{_SUFFIX}"
    dst = sqlite3.connect(tmp)
    try:
        conn.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # a backup is one self-contained file
    finally:
        dst.close()
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, final)
    _fsync_dir(folder)
    stale = time.time() - 3600  # temporaries of backups interrupted by a crash
    leftovers = [p for p in folder.glob(".tmp-*") if p != tmp and p.stat().st_mtime < stale]
    for old in list_backups(folder)[keep:] + leftovers:
        try:
            old.unlink()
        except OSError:
            pass
    return final


def backup_due(folder: Path, every: float = DAILY) -> bool:
    backups = list_backups(folder)
    return not backups or time.time() - backups[0].stat().st_mtime >= every


def is_good(path: Path) -> bool:
    try:
        conn = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)
        try:
            return conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def newest_good_backup(folder: Path) -> Path | None:
    for path in list_backups(folder):
        if is_good(path):
            return path
    return None


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # Windows cannot open directories; rename is durable enough there
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def restore(studio: Path, backup: Path) -> Path:
    """Put `backup` in place of a damaged atelier.db. The damaged file (and its WAL) is
    moved, never deleted, to `<studio>/damaged-<time>/`, so nothing is lost if the person
    later wants it examined. Returns that folder. The studio must not be open."""
    studio, backup = Path(studio), Path(backup)
    if not is_good(backup):
        raise ValueError(f"{backup} is not a good backup (it fails SQLite's check)")
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    keep = studio / f"damaged-{stamp}"
    keep.mkdir(parents=True, exist_ok=False)
    for name in ("atelier.db", "atelier.db-wal", "atelier.db-shm"):
        if (studio / name).exists():
            os.replace(studio / name, keep / name)
    tmp = studio / ".restore-atelier.db"
    src, dst = sqlite3.connect(backup.resolve().as_uri() + "?mode=ro", uri=True), sqlite3.connect(tmp)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, studio / "atelier.db")
    _fsync_dir(studio)
    return keep
