"""The instance lock: one window per studio.

The window opens its studio with `instance_lock=True`. The lock is an OS file lock
(flock on POSIX, msvcrt on Windows) on `<studio>/atelier.lock`, which also records who
holds it (pid, host, since). The OS drops the lock when its process dies, so a lock left
by a crashed instance is recovered simply by the next open. Command-line processes do
not take it: they rely on SQLite's busy timeout instead.
"""

from __future__ import annotations

import json
import os
import socket
import time
from pathlib import Path

from app.store.errors import StudioLocked

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
        return json.loads(Path(path).read_text(encoding="utf-8") or "{}")
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

    def acquire(self) -> "InstanceLock":
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        if not _try_lock(fd):
            os.close(fd)
            owner = read_owner(self.path)
            raise StudioLocked(f"The studio {self.path.parent} is open in {describe(owner)}; "
                               "close it there, or open this studio read-only.", owner)
        owner = {"pid": os.getpid(), "host": socket.gethostname(),
                 "since": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        data = json.dumps(owner).encode()
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, data.ljust(256))  # fixed width: no stale tail from a longer record
        os.fsync(fd)
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
