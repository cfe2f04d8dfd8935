"""The window's side of `app.services.writer.Writer`: results come back on the GUI thread.

The writer thread emits a Qt signal; a queued connection delivers it to this object's
thread (the GUI's), where the callback runs. Nothing here waits for the database."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.services.writer import Writer


class Writes(QObject):
    _delivered = Signal(object)

    def __init__(self, studio_path, parent=None, opener=None):
        super().__init__(parent)
        self.writer = Writer(studio_path, opener=opener)
        self._waiting = 0  # asked for and not yet answered here
        self._delivered.connect(self._deliver)

    def submit(self, action, done=None) -> None:
        """`action(studio)` in the writer thread, then `done(result, error)` here."""
        self._waiting += 1
        self.writer.submit(action, lambda result, error: self._delivered.emit((done, result, error)))

    @property
    def pending(self) -> int:
        """Writes whose answer has not reached the window yet."""
        return self._waiting

    def _deliver(self, packed) -> None:
        self._waiting -= 1
        done, result, error = packed
        if done is not None:
            done(result, error)

    def close(self) -> None:
        """Finish the writes asked for (a decision pressed just before closing is kept)."""
        self.writer.close()
