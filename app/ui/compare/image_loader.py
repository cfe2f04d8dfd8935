"""Full-size images for the compare view and the loupe, decoded off the GUI thread.

A full render can be several megapixels; decoding it on the GUI thread would stall the
window. `ImageLoader.request(path)` returns the image at once when it is cached, else
starts a QRunnable that builds a QImage (safe off the GUI thread; QPixmap is not) and
announces it with `loaded(path, image)`. A small LRU keeps the last few full images so
stepping back and forth in the loupe or flickering A/B never decodes twice.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtGui import QImage, QImageReader

_RUNNING: set = set()  # keeps runnables (and their signal objects) alive while they work


class _Signals(QObject):
    done = Signal(str, QImage, str)  # path, image, error ("" when fine)


class _Load(QRunnable):
    def __init__(self, path: str, signals: _Signals):
        super().__init__()
        self.path, self.signals = path, signals
        self.setAutoDelete(True)

    def run(self) -> None:  # a pool thread
        try:
            reader = QImageReader(self.path)
            reader.setAutoTransform(True)
            image = reader.read()
            error = "" if not image.isNull() else f"Cannot read {self.path}: {reader.errorString()}"
            try:
                self.signals.done.emit(self.path, image, error)
            except RuntimeError:  # the loader went away while we decoded
                pass
        finally:
            _RUNNING.discard(self)


def read_image(path: str | Path) -> QImage:
    """Synchronous read, for small files (thumbnails)."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    return reader.read()


class ImageLoader(QObject):
    loaded = Signal(str, QImage)
    failed = Signal(str, str)

    def __init__(self, parent=None, cache_size: int = 8, threads: int = 2):
        super().__init__(parent)
        self._cache: OrderedDict[str, QImage] = OrderedDict()
        self._cache_size = cache_size
        self._pending: set[str] = set()
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        self._signals = _Signals(self)
        self._signals.done.connect(self._done)

    def cached(self, path: str | Path) -> QImage | None:
        key = str(path)
        image = self._cache.get(key)
        if image is not None:
            self._cache.move_to_end(key)
        return image

    def request(self, path: str | Path) -> QImage | None:
        """The image if cached; otherwise None, and `loaded` or `failed` follows."""
        key = str(path)
        image = self.cached(key)
        if image is not None:
            return image
        if key not in self._pending:
            self._pending.add(key)
            job = _Load(key, self._signals)
            _RUNNING.add(job)
            self._pool.start(job)
        return None

    def wait(self, msecs: int = 10000) -> bool:
        """Block until pending loads finish (tests, shutdown)."""
        return self._pool.waitForDone(msecs)

    def _done(self, path: str, image: QImage, error: str) -> None:
        self._pending.discard(path)
        if error:
            self.failed.emit(path, error)
            return
        self._cache[path] = image
        self._cache.move_to_end(path)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        self.loaded.emit(path, image)
