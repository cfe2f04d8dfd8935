"""Changes made by another process (the command line, a script) while the window is open.

Every two seconds the window looks at the database files' size and time (a stat, no
query). When they moved since the window last caught up, it reads the boards' summaries
once, and if they differ from what the boards panel shows, publishes
`BoardsChanged(external=True)`: the boards list, the board and its counts follow."""

from __future__ import annotations

import os

from PySide6.QtCore import QObject, QTimer

from app.services.events import BoardsChanged
from app.store import repo
from app.store.errors import StoreError

INTERVAL_MS = 2000


class StudioWatch(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self._stamp = None
        self.timer = QTimer(self, interval=INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def _files_stamp(self):
        studio = self.window.studio
        if studio is None:
            return None
        out = []
        for name in ("atelier.db", "atelier.db-wal"):
            try:
                st = os.stat(studio.path / name)
                out.append((st.st_size, st.st_mtime_ns))
            except OSError:
                out.append(None)
        return tuple(out)

    def seen(self) -> None:
        """The window has just shown the studio as it is now."""
        self._stamp = self._files_stamp()

    def check(self) -> bool:
        """Publish BoardsChanged(external=True) when another process changed the boards."""
        window = self.window
        stamp = self._files_stamp()
        if stamp is None or stamp == self._stamp:
            return False
        self._stamp = stamp
        try:
            fresh = [(s.id, s.name, s.status, s.shots, tuple(sorted(s.counts.items())))
                     for s in repo.list_boards(window.studio)]
        except StoreError:
            return False
        shown = [(s.id, s.name, s.status, s.shots, tuple(sorted(s.counts.items())))
                 for s in window.boards_panel.summaries()]
        if fresh == shown:
            return False
        window.events.publish(BoardsChanged(None, external=True))
        return True
