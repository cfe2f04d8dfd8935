"""Database writes off the GUI thread.

A decision made while another process holds the database's write lock waits (SQLite's
busy timeout, up to 30 s). Run on the GUI thread, that wait froze the window. `Writer`
runs write actions one at a time, in the order they were given, in its own thread and on
its own connection to the studio (so the window's reads never queue behind a waiting
write), and hands each result or error to a callback. Plain Python (threading): the
window turns the callbacks into queued Qt signals (app/ui/window/writes.py).
"""

from __future__ import annotations

import logging
import queue
import threading
from pathlib import Path
from typing import Any, Callable

log = logging.getLogger(__name__)

Done = Callable[[Any, BaseException | None], None]


class Writer:
    def __init__(self, studio_path: Path, opener: Callable[[Path], Any] | None = None):
        self.studio_path = Path(studio_path)
        self._opener = opener or _open
        self._queue: queue.Queue = queue.Queue()
        self._busy = 0
        self._lock = threading.Lock()
        self._idle = threading.Event()
        self._idle.set()
        self._thread = threading.Thread(target=self._run, name="atelier-writer", daemon=True)
        self._thread.start()

    def submit(self, action: Callable[[Any], Any], done: Done | None = None) -> None:
        """Run `action(studio)` in the writer thread; then `done(result, error)` there."""
        with self._lock:
            self._busy += 1
            self._idle.clear()
        self._queue.put((action, done))

    @property
    def pending(self) -> int:
        with self._lock:
            return self._busy

    def wait_idle(self, timeout: float | None = None) -> bool:
        return self._idle.wait(timeout)

    def close(self, timeout: float = 60.0) -> None:
        """Finish what was asked (nothing a person did is dropped), then stop."""
        self._queue.put(None)
        self._thread.join(timeout)

    def _run(self) -> None:
        studio = None
        try:
            while True:
                item = self._queue.get()
                if item is None:
                    return
                action, done = item
                result, error = None, None
                try:
                    if studio is None:
                        studio = self._opener(self.studio_path)
                    result = action(studio)
                except BaseException as exc:  # noqa: BLE001 - handed to the caller
                    error = exc
                    if not isinstance(exc, Exception):
                        log.exception("write action aborted")
                try:
                    if done is not None:
                        done(result, error)
                except Exception:  # noqa: BLE001 - a broken callback must not stop the writer
                    log.exception("write callback failed")
                finally:
                    with self._lock:
                        self._busy -= 1
                        if not self._busy:
                            self._idle.set()
        finally:
            if studio is not None:
                studio.close()


def _open(path: Path):
    from app.store.db import open_studio

    return open_studio(path, backup_on_close=False)
