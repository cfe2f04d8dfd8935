"""Opening a studio: the one place that opens `atelier.db`.

`open_studio(path, read_only=False, instance_lock=False)`:
- WAL journal, synchronous=FULL, foreign keys on, a 30 s busy timeout (concurrent
  command-line writers wait instead of failing);
- `PRAGMA quick_check` before anything is written: a damaged database raises
  StudioDamaged naming the newest good backup, and is never touched;
- migrations applied in order (a backup is taken first when an existing db is upgraded);
- a backup when the newest is older than a day, and on close of a window's studio;
- `instance_lock=True` (the window) takes the instance lock: a second window gets
  StudioLocked naming the first, and may then open read-only.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from app.store import backups, faults, keys, migrations, seal
from app.store.errors import StoreError, StudioDamaged, StudioMissing
from app.store.images import ImageStore
from app.store.lock import InstanceLock

DB_NAME = "atelier.db"
BUSY_TIMEOUT_S = 30.0


class Studio:
    """An open studio: `.path`, `.db` (sqlite_utils), `.conn`, `.images`, `.read_only`.

    One connection, usable from several threads: `transaction()` and `reading()` serialise
    access with a re-entrant lock. A write transaction is BEGIN IMMEDIATE … COMMIT, so a
    writer waits for another process's writer (busy timeout) at the start, not midway.
    """

    def __init__(self, path: Path, conn: sqlite3.Connection, *, read_only: bool,
                 lock: InstanceLock | None, backup_on_close: bool, backup_keep: int):
        self.path = path
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        self.images = ImageStore(path / "images")
        self.read_only = read_only
        self.backups_dir = path / "backups"
        self._lock = lock
        self._mutex = threading.RLock()
        self._depth = 0
        self._backup_on_close = backup_on_close
        self._backup_keep = backup_keep
        self._closed = False
        self.backup_problem: str | None = None  # why the last soft backup failed, if it did
        self.record = seal.Record(None, None)  # set by open_studio (app/store/seal.py)

    @contextmanager
    def transaction(self):
        """One user action = one transaction. Nested calls join the outer transaction."""
        if self.read_only:
            raise StoreError(f"the studio {self.path} is open read-only")
        with self._mutex:
            if self._depth:
                self._depth += 1
                try:
                    yield self.conn
                finally:
                    self._depth -= 1
                return
            try:
                self.conn.execute("BEGIN IMMEDIATE")  # waits up to the busy timeout
            except sqlite3.OperationalError as exc:
                raise (faults.sqlite_fault(exc, self.path, "save this change") or StoreError(
                    f"the studio {self.path} could not be written: {exc}")) from exc
            self._depth = 1
            sealed = None
            try:
                start = seal.mark(self.conn)
                yield self.conn
                sealed = seal.seal_new(self.conn, self.record, start)  # the record, before COMMIT
                self.conn.execute("COMMIT")
            except sqlite3.Error as exc:  # disk full, I/O error, locked too long
                self._rollback()
                fault = faults.sqlite_fault(exc, self.path, "save this change")
                if fault is not None:
                    raise fault from exc
                if isinstance(exc, sqlite3.OperationalError):
                    raise StoreError(f"the studio {self.path} could not be written "
                                     f"({exc}); nothing was changed") from exc
                raise
            except BaseException:
                self._rollback()
                raise
            finally:
                self._depth = 0
            if sealed is not None and self.record.studio_id:
                keys.save_head(self.path, self.record.studio_id, *sealed)

    def note_restore(self, backup) -> None:
        """Say in the record that `backup` was restored in place of the current database,
        and move this machine's head to it (a restore through Atelier is not a tamper)."""
        before = keys.load_head(self.path)
        with self.transaction() as conn:
            seal.event(conn, "restored", {"backup": Path(backup).name, "head_before": (
                {"count": before["count"], "mac": before["mac"]} if before else None)})
            count, mac = seal.head(conn)
        if self.record.studio_id:
            keys.save_head(self.path, self.record.studio_id, count, mac, force=True)

    def _rollback(self) -> None:
        try:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
        except sqlite3.Error:  # SQLite rolls back by itself after SQLITE_FULL / IOERR
            pass

    @contextmanager
    def reading(self):
        """A consistent snapshot for multi-statement reads."""
        with self._mutex:
            if self.conn.in_transaction:
                yield self.conn
                return
            self.conn.execute("BEGIN")
            try:
                yield self.conn
            finally:
                self.conn.execute("COMMIT")

    def backup(self) -> Path:
        """A backup now; raises StoreError (DiskFull on a full disk), leaving no temporary file."""
        with self._mutex:
            try:
                tag = seal.head(self.conn)[1][:16] if self.record.studio_id else None
                return backups.take_backup(self.conn, self.backups_dir, self._backup_keep, tag=tag)
            except OSError as exc:
                raise faults.os_fault(exc, self.path, "write a backup") from exc
            except sqlite3.Error as exc:
                raise (faults.sqlite_fault(exc, self.path, "write a backup")
                       or StoreError(f"a backup of {self.path} failed: {exc}")) from exc

    def backup_softly(self) -> Path | None:
        """The daily and the close-time backup: a failure (a full disk) is remembered in
        `backup_problem` and never stops the studio from opening or closing."""
        try:
            path = self.backup()
        except StoreError as exc:
            self.backup_problem = str(exc)
            return None
        self.backup_problem = None
        return path

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            if self._backup_on_close and not self.read_only:
                self.backup_softly()
        finally:
            self.conn.close()
            if self._lock is not None:
                self._lock.release()

    def __enter__(self) -> "Studio":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_studio(path, *, read_only: bool = False, instance_lock: bool = False,
                backup_on_close: bool | None = None, backup_keep: int = backups.KEEP) -> Studio:
    path = Path(path).expanduser()
    db_file = path / DB_NAME
    _refuse_links(path)
    if read_only and not db_file.exists():
        raise StoreError(f"there is no studio at {path} (no {DB_NAME})")
    _refuse_lost_database(path)
    if not read_only:
        try:
            (path / "images").mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise faults.os_fault(exc, path, "create the studio folder") from exc
    lock = InstanceLock(path / "atelier.lock").acquire() if instance_lock and not read_only else None
    try:
        conn = _connect(db_file, read_only)
        try:
            _check(conn, path)
            _configure(conn, path, read_only)
            fresh = _migrate(conn, path, read_only, backup_keep) == 0
            _check_types(conn, path)
            record = _open_record(conn, path, read_only, fresh)
        except BaseException:
            conn.close()
            raise
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    studio = Studio(path, conn, read_only=read_only, lock=lock,
                    backup_on_close=instance_lock if backup_on_close is None else backup_on_close,
                    backup_keep=backup_keep)
    studio.record = record
    if not read_only and _has_data(conn) and backups.backup_due(studio.backups_dir):
        studio.backup_softly()
    return studio


# What Atelier keeps in a studio folder; none of them may be a link (never followed).
_OWN_NAMES = (DB_NAME, DB_NAME + "-wal", DB_NAME + "-shm", "images", "backups", "queue.json")


def _refuse_links(path: Path) -> None:
    for name in _OWN_NAMES:
        if (path / name).is_symlink():
            raise StoreError(f"{path / name} is a link; Atelier never follows links in a studio "
                             "(replace it with the real file or folder)")


def _refuse_lost_database(path: Path) -> None:
    """A missing or empty atelier.db beside pictures, backups or damaged-* folders is a lost
    database, not a new studio: refuse, and name the newest good backup."""
    db_file = path / DB_NAME
    try:
        size = db_file.stat().st_size
    except FileNotFoundError:
        size = None
    except OSError as exc:
        raise faults.os_fault(exc, path, f"read {DB_NAME}") from exc
    if size:
        return
    wal = path / (DB_NAME + "-wal")
    if size == 0 and wal.exists() and wal.stat().st_size > 0:
        return  # everything is still in the WAL: SQLite reads it from there
    evidence = _studio_evidence(path)
    if evidence is None:
        return
    good = backups.newest_good_backup(path / "backups")
    state = "missing" if size is None else "empty"
    offer = (f"The newest good backup is {good}: restore it (the window offers to), or copy it "
             f"to {db_file}." if good else
             "No good backup was found; move the images folder away to start a new studio here.")
    raise StudioMissing(f"The studio database {db_file} is {state}, but the studio holds "
                        f"{evidence}. It was not replaced by an empty studio. {offer}", backup=good)


def _studio_evidence(path: Path) -> str | None:
    if backups.list_backups(path / "backups"):
        return "backups"
    try:
        if any(e.name.startswith("damaged-") and e.is_dir(follow_symlinks=False)
               for e in os.scandir(path)):
            return "a damaged-* folder"
    except OSError:
        return None
    images = path / "images"
    if images.is_dir() and not images.is_symlink():
        for sub in os.scandir(images):
            if sub.is_dir(follow_symlinks=False) and any(True for _ in os.scandir(sub.path)):
                return "pictures"
    return None


def _connect(db_file: Path, read_only: bool) -> sqlite3.Connection:
    try:
        if read_only:
            uri = db_file.resolve().as_uri() + "?mode=ro"
            return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S,
                                   isolation_level=None, check_same_thread=False)
        return sqlite3.connect(db_file, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                               check_same_thread=False)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open {db_file}: {exc}") from exc


def _damaged(path: Path, problem: str) -> StudioDamaged:
    good = backups.newest_good_backup(path / "backups")
    offer = (f"The newest good backup is {good}: restore it (the window offers to), or copy "
             f"it over {path / DB_NAME}." if good else "No good backup was found.")
    return StudioDamaged(f"The studio database {path / DB_NAME} is damaged ({problem}). "
                         f"It was left untouched. {offer}", backup=good)


def _check(conn: sqlite3.Connection, path: Path) -> None:
    """quick_check before any write, so a damaged file is reported, never 'repaired'.
    A full disk or an I/O error is said as such: it is not damage."""
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
        problem = None if rows == [("ok",)] else "; ".join(str(r[0]) for r in rows[:3])
        if problem is None:
            version = migrations.version(conn)
            if not isinstance(version, int) or version < 0:
                problem = f"its schema version {version} is not one Atelier writes"
    except sqlite3.Error as exc:
        fault = faults.sqlite_fault(exc, path, f"read {DB_NAME}")
        if fault is not None:
            raise fault from exc
        problem = str(exc)
    except (UnicodeDecodeError, ValueError) as exc:  # an unreadable integrity report
        problem = f"its integrity report is unreadable: {exc}"
    if problem is not None:
        raise _damaged(path, problem)


# Columns that hold text in every row (NULL allowed where the schema allows it). A BLOB or
# a number there was not written by Atelier and would break whoever reads it.
_TEXT_COLUMNS = {
    "boards": ("name", "created_at", "status"),
    "people": ("name", "role"),
    "shots": ("brief", "prompt", "negative", "model", "model_hash", "scheduler", "image",
              "created_at", "status"),
    "notes": ("text", "language", "created_at"),
    "edits": ("slot", "op", "term"),
    "decisions": ("verdict", "person", "role", "reason", "created_at", "prev_hash", "hash"),
    "record": ("kind", "op", "digest", "detail", "created_at", "prev", "mac"),
}


def bad_types(conn: sqlite3.Connection, limit_tables=None) -> str | None:
    """The first row holding something other than text (or NULL) in a text column."""
    have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table, cols in _TEXT_COLUMNS.items():
        if table not in have or (limit_tables and table not in limit_tables):
            continue
        cond = " OR ".join(f"typeof({c}) NOT IN ('text', 'null')" for c in cols)
        row = conn.execute(f"SELECT rowid FROM {table} WHERE {cond} LIMIT 1").fetchone()
        if row is not None:
            return f"{table} row {row[0]} holds binary data where text belongs"
    return None


def _check_types(conn: sqlite3.Connection, path: Path) -> None:
    try:
        problem = bad_types(conn)
    except sqlite3.Error as exc:
        fault = faults.sqlite_fault(exc, path, f"read {DB_NAME}")
        if fault is not None:
            raise fault from exc
        problem = str(exc)
    if problem is not None:
        raise _damaged(path, problem)


def _configure(conn: sqlite3.Connection, path: Path, read_only: bool) -> None:
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        if not read_only:
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error as exc:
        raise (faults.sqlite_fault(exc, path, f"open {DB_NAME}")
               or StoreError(f"cannot open {path / DB_NAME}: {exc}")) from exc


def _migrate(conn: sqlite3.Connection, path: Path, read_only: bool, keep: int) -> int:
    """Bring the schema up to date; returns the version found (0: a new database)."""
    current = migrations.version(conn)
    if current > migrations.LATEST:
        raise StoreError(f"the studio {path} was written by a newer Atelier "
                         f"(schema {current}, this one knows {migrations.LATEST}); update Atelier")
    if current == migrations.LATEST:
        return current
    if read_only:
        raise StoreError(f"the studio {path} needs an upgrade; open it once read-write")
    try:
        if current > 0:  # keep the old schema's data safe before upgrading it
            backups.take_backup(conn, path / "backups", keep)
        migrations.migrate(conn)
    except OSError as exc:
        raise faults.os_fault(exc, path, "back up the studio before upgrading it") from exc
    except sqlite3.Error as exc:
        raise (faults.sqlite_fault(exc, path, "upgrade the studio") or StoreError(
            f"upgrading the studio {path} failed and was undone: {exc}")) from exc
    return current


def _open_record(conn: sqlite3.Connection, path: Path, read_only: bool, fresh: bool) -> seal.Record:
    try:
        return seal.open_record(conn, path, read_only, fresh)
    except OSError as exc:
        raise faults.os_fault(exc, path, "seal the record") from exc
    except sqlite3.Error as exc:
        raise (faults.sqlite_fault(exc, path, "seal the record")
               or StoreError(f"the record of {path} could not be sealed: {exc}")) from exc


def _has_data(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT EXISTS (SELECT 1 FROM boards)").fetchone()[0] == 1
