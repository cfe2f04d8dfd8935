"""The instance lock: one window per studio.

The window opens its studio with `instance_lock=True`. The lock is an OS file lock
(flock on POSIX, msvcrt on Windows) on `<studio>/atelier.lock`, which also records who
holds it (pid, host, since). The OS drops the lock when its process dies, so a lock left
by a crashed instance is recovered simply by the next open. Command-line processes do
not take it: they rely on SQLite's busy timeout instead.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import stat
import time
from pathlib import Path

from app.store.errors import StoreError, StudioLocked
from app.store.faults import os_fault

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None
    import msvcrt

_LOCK_OFFSET = 1 << 16  # Windows locks a byte far past the owner record, which stays readable


def _try_lock(fd: int) -> bool:
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        return True
    except OSError:
        return False


def read_owner(path: Path) -> dict:
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
        with os.fdopen(fd, "rb") as fh:
            data = json.loads(fh.read(4096).decode("utf-8").strip() or "{}")
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def describe(owner: dict) -> str:
    if not owner:
        return "another Atelier window"
    return (f"another Atelier window (pid {owner.get('pid', '?')} on {owner.get('host', '?')}, "
            f"open since {owner.get('since', '?')})")


class InstanceLock:
    def __init__(self, path: Path):
        self.path = Path(path)
        self._fd: int | None = None
        self.owner_recorded = True

    def acquire(self) -> "InstanceLock":
        """Take the lock. The lock file is never followed as a link (a link there is refused
        and its target left untouched). Recording the owner is best effort: on a full disk
        the lock is still held, the record just stays empty."""
        if self.path.is_symlink():
            raise StoreError(f"{self.path} is a link, not a lock file Atelier wrote; Atelier "
                             "never follows links in a studio. Remove the link and open again.")
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | _NOFOLLOW, 0o644)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise StoreError(f"{self.path} is a link, not a lock file Atelier wrote; Atelier "
                                 "never follows links in a studio.") from None
            raise os_fault(exc, self.path.parent, "create the lock file atelier.lock") from exc
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise StoreError(f"{self.path} is not a regular file; remove it and open again.")
        if not _try_lock(fd):
            os.close(fd)
            owner = read_owner(self.path)
            raise StudioLocked(f"The studio {self.path.parent} is open in {describe(owner)}; "
                               "close it there, or open this studio read-only.", owner)
        owner = {"pid": os.getpid(), "host": socket.gethostname(),
                 "since": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        data = json.dumps(owner).encode()
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, data.ljust(256))  # fixed width: no stale tail from a longer record
            os.fsync(fd)
        except OSError:  # a full disk: the OS lock holds all the same; the record stays empty
            self.owner_recorded = False
            try:
                os.ftruncate(fd, 0)
            except OSError:
                pass
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, b"{}".ljust(256))  # no owner recorded once released
        except OSError:
            pass
        os.close(fd)  # closing drops the OS lock
