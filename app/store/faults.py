"""Telling a full disk and an I/O error apart from a damaged database.

SQLite reports a full disk as SQLITE_FULL, but a failed write of the shared-memory or WAL
file (which a full tmpfs gives) arrives as SQLITE_IOERR_*; neither means the database is
damaged, and neither may be reported so (a "damaged" message leads people to restore a
backup over a healthy file). Only SQLITE_CORRUPT and SQLITE_NOTADB (and a failing
quick_check) are damage.
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
from pathlib import Path

from app.store.errors import DiskFull, StoreError

SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_CANTOPEN, SQLITE_FULL, SQLITE_NOTADB = 10, 11, 14, 13, 26
LOW_SPACE = 1 << 20  # under 1 MiB free: an I/O error there is the disk being full
_NO_SPACE = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG}


def _primary(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def free_bytes(folder: Path) -> int | None:
    folder = Path(folder)
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def disk_is_full(folder: Path) -> bool:
    free = free_bytes(folder)
    return free is not None and free < LOW_SPACE


def disk_full(folder: Path, doing: str) -> DiskFull:
    return DiskFull(f"the disk holding the studio {folder} is full: could not {doing}. "
                    "Nothing was changed and the record is intact; free some space and try again.")


def is_corruption(exc: BaseException) -> bool:
    return _primary(exc) in (SQLITE_CORRUPT, SQLITE_NOTADB)


def sqlite_fault(exc: BaseException, folder: Path, doing: str) -> StoreError | None:
    """A StoreError for a full disk or an I/O failure; None for anything else."""
    primary = _primary(exc)
    if primary == SQLITE_FULL or (primary in (SQLITE_IOERR, SQLITE_CANTOPEN) and disk_is_full(folder)):
        return disk_full(folder, doing)
    if primary in (SQLITE_IOERR, SQLITE_CANTOPEN):
        return StoreError(f"the studio {folder} could not {doing}: the disk reported an error "
                          f"({exc}). Nothing was changed; check the disk and try again.")
    return None


def os_fault(exc: OSError, folder: Path, doing: str) -> StoreError:
    if exc.errno in _NO_SPACE or disk_is_full(folder):
        return disk_full(folder, doing)
    return StoreError(f"could not {doing} in {folder}: {exc.strerror or exc}")


def is_disk_error(exc: BaseException) -> bool:
    return isinstance(exc, OSError) or (isinstance(exc, sqlite3.Error) and
                                        _primary(exc) in (SQLITE_FULL, SQLITE_IOERR, SQLITE_CANTOPEN))
