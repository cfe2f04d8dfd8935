"""Backups of atelier.db with SQLite's online backup API, kept in `<studio>/backups/`.

A backup is written to a temporary name and renamed when complete, so a backup
interrupted by a crash never looks like a good one; a backup that fails (a full disk)
removes its temporary file. The newest `keep` are kept. Links are never followed: a
`backups` folder that is a link is not used, and only regular files named as Atelier
names them are listed or pruned.
"""

from __future__ import annotations

import os
import re
import sqlite3
import stat
import time
from datetime import datetime, timezone
from pathlib import Path

KEEP = 7
DAILY = 24 * 3600
_PREFIX, _SUFFIX = "atelier-", ".db"
_NAME = re.compile(r"^atelier-(\d{8}T\d{6}\d*)Z(?:-([0-9a-f]{16}))?\.db$")
_DB_FILES = ("atelier.db", "atelier.db-wal", "atelier.db-shm")


def _is_real_dir(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def list_backups(folder: Path) -> list[Path]:
    """Backups, newest first (the name carries a sortable UTC time)."""
    folder = Path(folder)
    if not _is_real_dir(folder):
        return []
    found = [folder / e.name for e in os.scandir(folder)
             if _NAME.match(e.name) and e.is_file(follow_symlinks=False)]
    return sorted(found, key=lambda p: p.name, reverse=True)


def tag_of(path: Path) -> str | None:
    """The record head (16 hex digits of its last seal) a backup's name carries, or None."""
    m = _NAME.match(Path(path).name)
    return m.group(2) if m else None


def stamp_of(path: Path) -> str | None:
    """A backup's time as the record writes times (ISO, milliseconds, UTC)."""
    m = _NAME.match(Path(path).name)
    if not m:
        return None
    try:
        when = datetime.strptime(m.group(1)[:21], "%Y%m%dT%H%M%S%f")
    except ValueError:
        return None
    return when.isoformat(timespec="milliseconds") + "Z"


def _remove_quietly(*paths: Path) -> None:
    for p in paths:
        try:
            os.unlink(p)
        except OSError:
            pass


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + s) for s in ("-journal", "-wal", "-shm")]


def take_backup(conn: sqlite3.Connection, folder: Path, keep: int = KEEP, tag: str | None = None) -> Path:
    """Copy the open database into `folder`. Raises OSError / sqlite3.Error when it cannot
    (a full disk), and then leaves no temporary file behind. `tag` (16 hex digits, the
    record's chain head) becomes part of the name, so the head is kept outside the db."""
    folder = Path(folder)
    if folder.is_symlink():
        raise OSError(f"{folder} is a link; Atelier does not follow links in a studio")
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    final = folder / f"{_PREFIX}{stamp}{'-' + tag if tag else ''}{_SUFFIX}"
    tmp = folder / f".tmp-{os.getpid()}-{stamp}{_SUFFIX}"
    try:
        dst = sqlite3.connect(tmp)
        try:
            conn.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # a backup is one self-contained file
        finally:
            dst.close()
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, final)
    except BaseException:
        _remove_quietly(tmp, *_sidecars(tmp))
        raise
    _fsync_dir(folder)
    stale = time.time() - 3600  # temporaries of backups interrupted by a crash
    leftovers = [folder / e.name for e in os.scandir(folder)
                 if e.name.startswith(".tmp-") and e.name.endswith(_SUFFIX) and folder / e.name != tmp
                 and e.is_file(follow_symlinks=False) and e.stat(follow_symlinks=False).st_mtime < stale]
    for old in list_backups(folder)[keep:] + leftovers:
        _remove_quietly(old)
    return final


def backup_due(folder: Path, every: float = DAILY) -> bool:
    backups = list_backups(folder)
    return not backups or time.time() - backups[0].stat().st_mtime >= every


def is_good(path: Path) -> bool:
    """The file is a SQLite database that passes quick_check (read-only, never changed)."""
    if not _is_regular(path):
        return False
    try:
        conn = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)
        try:
            return conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
        finally:
            conn.close()
    except (sqlite3.Error, UnicodeDecodeError, ValueError):
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
    """Restore `backup` (see `_restore`); a failure is a StoreError (DiskFull on a full disk)
    and leaves the database where it was."""
    from app.store import faults
    from app.store.errors import StoreError

    try:
        kept = _restore(studio, backup)
    except OSError as exc:
        raise faults.os_fault(exc, Path(studio), "restore the backup") from exc
    except sqlite3.Error as exc:
        raise (faults.sqlite_fault(exc, Path(studio), "restore the backup")
               or StoreError(f"the backup could not be restored: {exc}")) from exc
    _note_restore(Path(studio), Path(backup))
    return kept


def _note_restore(studio: Path, backup: Path) -> None:
    """The restored record says it was restored (app/store/seal.py), so `history --verify`
    tells a restore through Atelier from an old copy put in place of the current record.
    The restore itself is done: a failure here (no key on this machine) is left to verify."""
    from app.store.db import open_studio
    from app.store.errors import StoreError

    try:
        with open_studio(studio) as s:
            s.note_restore(backup)
    except StoreError:
        pass


def _restore(studio: Path, backup: Path) -> Path:
    """Put `backup` in place of a damaged (or missing) atelier.db. The studio must not be open.

    The backup is first copied to a temporary file in the studio and that copy is checked;
    only then is the old database moved (never deleted) into `<studio>/damaged-<time>/`
    and the copy renamed into place. A copy that fails (a full disk) or does not verify
    leaves the old database exactly where it was and no temporary file. Returns the
    damaged-* folder."""
    studio, backup = Path(studio), Path(backup)
    if not is_good(backup):
        from app.store.errors import StoreError

        raise StoreError(f"{backup} is not a good backup (it fails SQLite's check)")
    tmp = studio / ".restore-atelier.db"
    _remove_quietly(tmp, *_sidecars(tmp))
    try:
        src = sqlite3.connect(backup.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        if not is_good(tmp):
            raise sqlite3.DatabaseError(f"the copy of {backup.name} did not pass SQLite's check")
    except BaseException:
        _remove_quietly(tmp, *_sidecars(tmp))
        raise
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    keep = studio / f"damaged-{stamp}"
    moved: list[str] = []
    linked = False
    try:
        keep.mkdir(parents=True, exist_ok=False)
        # The old WAL and shm go first: a stale WAL beside the restored file would be
        # replayed into it. The database itself is moved last, by the atomic swap below.
        for name in _DB_FILES[1:]:
            if os.path.lexists(studio / name):
                os.replace(studio / name, keep / name)
                moved.append(name)
        if os.path.lexists(studio / _DB_FILES[0]):
            try:
                os.link(studio / _DB_FILES[0], keep / _DB_FILES[0], follow_symlinks=False)
                linked = True
            except OSError:  # no hard links here: two renames, undone if the second fails
                os.replace(studio / _DB_FILES[0], keep / _DB_FILES[0])
                moved.append(_DB_FILES[0])
        os.replace(tmp, studio / _DB_FILES[0])  # the swap: old or new, never neither
    except BaseException:
        if linked:
            _remove_quietly(keep / _DB_FILES[0])
        for name in reversed(moved):
            try:
                os.replace(keep / name, studio / name)
            except OSError:
                pass
        _remove_quietly(tmp, *_sidecars(tmp))
        try:
            if not any(keep.iterdir()):
                keep.rmdir()
        except OSError:
            pass
        raise
    _fsync_dir(studio)
    return keep
