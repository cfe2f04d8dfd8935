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

import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from app.store import backups, migrations
from app.store.errors import StoreError, StudioDamaged
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
                raise StoreError(f"the studio {self.path} could not be written: {exc}") from exc
            self._depth = 1
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except sqlite3.OperationalError as exc:  # disk full, I/O error, locked too long
                self._rollback()
                raise StoreError(f"the studio {self.path} could not be written "
                                 f"({exc}); nothing was changed") from exc
            except BaseException:
                self._rollback()
                raise
            finally:
                self._depth = 0

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

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
        with self._mutex:
            return backups.take_backup(self.conn, self.backups_dir, self._backup_keep)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            if self._backup_on_close and not self.read_only:
                self.backup()
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
    if read_only and not db_file.exists():
        raise StoreError(f"there is no studio at {path} (no {DB_NAME})")
    if not read_only:
        try:
            (path / "images").mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the studio folder {path}: {exc.strerror or exc}") from exc
    lock = InstanceLock(path / "atelier.lock").acquire() if instance_lock and not read_only else None
    try:
        conn = _connect(db_file, read_only)
        try:
            _check(conn, path)
            _configure(conn, read_only)
            _migrate(conn, path, read_only, backup_keep)
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
    if not read_only and _has_data(conn) and backups.backup_due(studio.backups_dir):
        studio.backup()
    return studio


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


def _check(conn: sqlite3.Connection, path: Path) -> None:
    """quick_check before any write, so a damaged file is reported, never 'repaired'."""
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
        problem = None if rows == [("ok",)] else "; ".join(str(r[0]) for r in rows[:3])
    except sqlite3.DatabaseError as exc:
        problem = str(exc)
    if problem is None:
        return
    good = backups.newest_good_backup(path / "backups")
    offer = (f"The newest good backup is {good}: copy it over {path / DB_NAME} to restore."
             if good else "No good backup was found.")
    raise StudioDamaged(f"The studio database {path / DB_NAME} is damaged ({problem}). "
                        f"It was left untouched. {offer}", backup=good)


def _configure(conn: sqlite3.Connection, read_only: bool) -> None:
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    if not read_only:
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")


def _migrate(conn: sqlite3.Connection, path: Path, read_only: bool, keep: int) -> None:
    current = migrations.version(conn)
    if current > migrations.LATEST:
        raise StoreError(f"the studio {path} was written by a newer Atelier "
                         f"(schema {current}, this one knows {migrations.LATEST}); update Atelier")
    if current == migrations.LATEST:
        return
    if read_only:
        raise StoreError(f"the studio {path} needs an upgrade; open it once read-write")
    if current > 0:  # keep the old schema's data safe before upgrading it
        backups.take_backup(conn, path / "backups", keep)
    try:
        migrations.migrate(conn)
    except sqlite3.Error as exc:
        raise StoreError(f"upgrading the studio {path} failed and was undone: {exc}") from exc


def _has_data(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT EXISTS (SELECT 1 FROM boards)").fetchone()[0] == 1
