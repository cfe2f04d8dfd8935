"""Thumbnails for the shot board: decoded off the GUI thread, kept in an LRU bounded in bytes.

The grid never decodes a full image: it reads the store's thumbnail file with QImageReader
in a QThreadPool (QImage is safe to build off the GUI thread; QPixmap is not), and the GUI
thread only converts the small result to a QPixmap when it arrives. The most recently
asked-for thumbnail is decoded first, so the rows in view win while scrolling fast.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QSize, QThreadPool, Qt, Signal
from PySide6.QtGui import QImage, QImageReader, QPixmap

DEFAULT_CACHE_BYTES = 96 * 1024 * 1024
MAX_DECODE_SIDE = 384  # the largest thumbnail the slider can show; never decode beyond it


class _Signals(QObject):
    done = Signal(str, QImage)


class _Decode(QRunnable):
    def __init__(self, key: str, path: str, signals: _Signals):
        super().__init__()
        self.key, self.path, self.signals = key, path, signals
        self.setAutoDelete(True)

    def run(self) -> None:  # runs in a pool thread
        reader = QImageReader(self.path)
        reader.setAutoTransform(True)
        size = reader.size()
        if size.isValid() and max(size.width(), size.height()) > MAX_DECODE_SIDE:
            reader.setScaledSize(size.scaled(QSize(MAX_DECODE_SIDE, MAX_DECODE_SIDE),
                                             Qt.KeepAspectRatio))
        image = reader.read()
        try:
            self.signals.done.emit(self.key, image)
        except RuntimeError:  # the cache was deleted while we decoded (window closed)
            pass


def pixmap_bytes(pixmap: QPixmap) -> int:
    return max(1, pixmap.width() * pixmap.height() * max(1, pixmap.depth()) // 8)


class ThumbnailCache(QObject):
    """`get(key, path)` returns a QPixmap or None (and starts loading it); `loaded(key)` follows."""

    loaded = Signal(str)

    def __init__(self, max_bytes: int = DEFAULT_CACHE_BYTES, threads: int = 2, parent=None):
        super().__init__(parent)
        self.max_bytes = max_bytes
        self._cache: OrderedDict[str, QPixmap] = OrderedDict()
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

    def peek(self, key: str) -> QPixmap | None:
        pixmap = self._cache.get(key)
        if pixmap is not None:
            self._cache.move_to_end(key)
        return pixmap

    def get(self, key: str, path: Path | str | None) -> QPixmap | None:
        pixmap = self.peek(key)
        if pixmap is not None or path is None:
            return pixmap
        if key not in self._pending and key not in self._failed:
            self._pending.add(key)
            # Higher priority for later requests: what the user scrolled to is decoded first.
            self._pool.start(_Decode(key, str(path), self._signals), next(self._order) % 2**30)
        return None

    def failed(self, key: str) -> bool:
        return key in self._failed

    def _on_done(self, key: str, image: QImage) -> None:
        self._pending.discard(key)
        if image.isNull():
            self._failed.add(key)
            self.loaded.emit(key)
            return
        pixmap = QPixmap.fromImage(image)
        old = self._cache.pop(key, None)
        if old is not None:
            self._bytes -= pixmap_bytes(old)
        self._cache[key] = pixmap
        self._bytes += pixmap_bytes(pixmap)
        while self._bytes > self.max_bytes and len(self._cache) > 1:
            _, dropped = self._cache.popitem(last=False)
            self._bytes -= pixmap_bytes(dropped)
        self.loaded.emit(key)

    def wait(self, msecs: int = 5000) -> bool:
        """Wait for pending decodes (tests and shutdown)."""
        return self._pool.waitForDone(msecs)

    def clear(self) -> None:
        self._pool.clear()
        self._cache.clear()
        self._pending.clear()
        self._failed.clear()
        self._bytes = 0
