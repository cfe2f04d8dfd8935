"""Thumbnails for the shot board: decoded off the GUI thread at the size they are shown,
kept in an LRU bounded in bytes.

The grid never decodes a full image: it reads the store's thumbnail file with QImageReader
in a QThreadPool, scaled there to the cell's box (QImage is safe off the GUI thread; QPixmap
is not), so the GUI thread only wraps the result in a QPixmap and blits it 1:1. The most
recently asked-for thumbnail is decoded first, so the rows in view win while scrolling.
While a new size is decoding (the size slider moved), any cached size of the same picture
stands in.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QSize, QThreadPool, Qt, Signal
from PySide6.QtGui import QImage, QImageReader, QPixmap

DEFAULT_CACHE_BYTES = 96 * 1024 * 1024


class _Signals(QObject):
    done = Signal(str, str, QImage)  # cache key, picture key, image


class _Decode(QRunnable):
    def __init__(self, entry: str, key: str, path: str, box: QSize | None, signals: _Signals):
        super().__init__()
        self.entry, self.key, self.path, self.box, self.signals = entry, key, path, box, signals
        self.setAutoDelete(True)

    def run(self) -> None:  # runs in a pool thread
        reader = QImageReader(self.path)
        reader.setAutoTransform(True)
        size = reader.size()
        if self.box is not None and size.isValid():
            reader.setScaledSize(size.scaled(self.box, Qt.KeepAspectRatio))
        image = reader.read()
        try:
            self.signals.done.emit(self.entry, self.key, image)
        except RuntimeError:  # the cache was deleted while we decoded (window closed)
            pass


def pixmap_bytes(pixmap: QPixmap) -> int:
    return max(1, pixmap.width() * pixmap.height() * max(1, pixmap.depth()) // 8)


def _entry(key: str, box: QSize | None) -> str:
    return key if box is None else f"{key}@{box.width()}x{box.height()}"


class ThumbnailCache(QObject):
    """`get(key, path, box)` returns a QPixmap fitting `box` or None (and starts decoding
    it); `loaded(key)` follows with the picture's key."""

    loaded = Signal(str)

    def __init__(self, max_bytes: int = DEFAULT_CACHE_BYTES, threads: int = 2, parent=None):
        super().__init__(parent)
        self.max_bytes = max_bytes
        self._cache: OrderedDict[str, QPixmap] = OrderedDict()  # entry -> pixmap
        self._latest: dict[str, str] = {}  # picture key -> its most recent cached entry
        self._bytes = 0
        self._pending: set[str] = set()
        self._failed: set[str] = set()
        self._order = itertools.count()
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        self._signals = _Signals(self)
        self._signals.done.connect(self._on_done)

    @property
    def bytes_used(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._cache)

    def peek(self, key: str, box: QSize | None = None) -> QPixmap | None:
        """The cached pixmap for this size, or None (never starts a decode)."""
        entry = _entry(key, box)
        pixmap = self._cache.get(entry)
        if pixmap is not None:
            self._cache.move_to_end(entry)
        return pixmap

    def stand_in(self, key: str) -> QPixmap | None:
        """Any cached size of this picture (to draw scaled while the right size decodes)."""
        entry = self._latest.get(key)
        return self._cache.get(entry) if entry is not None else None

    def get(self, key: str, path: Path | str | None, box: QSize | None = None) -> QPixmap | None:
        pixmap = self.peek(key, box)
        if pixmap is not None or path is None:
            return pixmap
        entry = _entry(key, box)
        if entry not in self._pending and key not in self._failed:
            self._pending.add(entry)
            # Higher priority for later requests: what the user scrolled to is decoded first.
            self._pool.start(_Decode(entry, key, str(path), box, self._signals),
                             next(self._order) % 2**30)
        return None

    def failed(self, key: str) -> bool:
        return key in self._failed

    def _on_done(self, entry: str, key: str, image: QImage) -> None:
        self._pending.discard(entry)
        if image.isNull():
            self._failed.add(key)
            self.loaded.emit(key)
            return
        pixmap = QPixmap.fromImage(image)
        old = self._cache.pop(entry, None)
        if old is not None:
            self._bytes -= pixmap_bytes(old)
        self._cache[entry] = pixmap
        self._latest[key] = entry
        self._bytes += pixmap_bytes(pixmap)
        while self._bytes > self.max_bytes and len(self._cache) > 1:
            dropped_entry, dropped = self._cache.popitem(last=False)
            self._bytes -= pixmap_bytes(dropped)
            dropped_key = dropped_entry.split("@", 1)[0]
            if self._latest.get(dropped_key) == dropped_entry:
                del self._latest[dropped_key]
        self.loaded.emit(key)

    def wait(self, msecs: int = 5000) -> bool:
        """Wait for pending decodes (tests and shutdown)."""
        return self._pool.waitForDone(msecs)

    def clear(self) -> None:
        self._pool.clear()
        self._cache.clear()
        self._latest.clear()
        self._pending.clear()
        self._failed.clear()
        self._bytes = 0
