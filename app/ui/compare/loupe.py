"""The loupe: one shot full screen, zoomable like the compare view.

Keys: Esc or Space close it; Left/Right step through the shots it was given; F fit,
1 = 100%, + / − zoom; the wheel zooms around the cursor and dragging pans. The zoom is
kept while stepping, so the same detail can be checked shot after shot.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.ui.compare.image_loader import ImageLoader, read_image
from app.ui.compare.zoom_pane import WHEEL_STEP, ZoomPane
from app.ui import labels
from app.ui.text import plain_label


class Loupe(QWidget):
    closed = Signal()
    current_changed = Signal(int)  # the shot id now shown (the window may select it)

    def __init__(self, shot=None, studio=None, parent=None, loader: ImageLoader | None = None):
        """`Loupe(parent)` then `show_shot(shot, studio)`, or `Loupe(shot, studio, parent=...)`
        then `showFullScreen()`."""
        if isinstance(shot, QWidget):  # Loupe(parent)
            shot, parent = None, shot
        super().__init__(parent, Qt.Window)
        self.setObjectName("loupe")
        self.setWindowTitle("Loupe")
        self.setFocusPolicy(Qt.StrongFocus)
        self._studio = None
        self._shots: list = []
        self._index = 0
        self._full = False
        self.loader = loader or ImageLoader(self)
        self.loader.loaded.connect(self._image_loaded)
        self.pane = ZoomPane()
        self.info = plain_label()  # the model name is user text
        self.info.setObjectName("loupeInfo")
        self.info.setStyleSheet("background: #111; color: #bbb; padding: 4px 10px;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.pane, 1)
        layout.addWidget(self.info)
        self._studio = studio
        if shot is not None:
            self._shots = [shot]
            self._show_current()

    # --- content ---------------------------------------------------------------------
    def show_shot(self, shot, studio=None) -> None:
        """Show one shot (full screen); keeps the list given to set_shots when it is in it."""
        if studio is not None:
            self._studio = studio
        ids = [s.id for s in self._shots]
        if shot.id in ids:
            self._index = ids.index(shot.id)
        else:
            self._shots, self._index = [shot], 0
        self._show_current()
        if not self.isVisible():
            self.showFullScreen()
        self.activateWindow()
        self.setFocus(Qt.OtherFocusReason)

    def set_shots(self, shots: list, index: int = 0, studio=None) -> None:
        if studio is not None:
            self._studio = studio
        self._shots = list(shots)
        if not self._shots:
            return
        self._index = max(0, min(index, len(self._shots) - 1))
        self._show_current()

    def current(self):
        return self._shots[self._index] if self._shots else None

    def image_ready(self) -> bool:
        return self._full

    def _show_current(self) -> None:
        shot = self.current()
        if shot is None or self._studio is None:
            return
        full_path = self._studio.images.path(shot.image)
        image = self.loader.request(full_path)
        self._full = image is not None
        if image is None:
            image = read_image(self._studio.images.thumb_path(shot.image))
        self.pane.set_image(image, QSize(shot.width, shot.height))
        rating = " · " + "★" * shot.rating if shot.rating else ""
        # Every AI image is labelled as such where people look at it, not only in metadata.
        self.info.setText(f"AI-generated · #{shot.id} · {labels.status(shot.status)}{rating} · seed {shot.seed} · "
                          f"{shot.width}×{shot.height} · {shot.model}    "
                          f"{self._index + 1} / {len(self._shots)}    "
                          "←/→ step · F fit · 1 100% · wheel zoom · Esc close")
        self.current_changed.emit(shot.id)

    def _image_loaded(self, path: str, image: QImage) -> None:
        shot = self.current()
        if shot is not None and self._studio is not None and \
                str(self._studio.images.path(shot.image)) == path:
            self._full = True
            self.pane.set_image(image, QSize(shot.width, shot.height))

    def step(self, delta: int) -> None:
        if not self._shots:
            return
        index = max(0, min(self._index + delta, len(self._shots) - 1))
        if index != self._index:
            self._index = index
            self._show_current()

    # --- keyboard --------------------------------------------------------------------
    def keyPressEvent(self, event) -> None:
        key = event.key()
        if key in (Qt.Key_Escape, Qt.Key_Space):
            self.close()
        elif key == Qt.Key_Right:
            self.step(1)
        elif key == Qt.Key_Left:
            self.step(-1)
        elif key == Qt.Key_F:
            self.pane.fit()
        elif key == Qt.Key_1:
            self.pane.set_zoom(1.0)
        elif key in (Qt.Key_Plus, Qt.Key_Equal):
            self.pane.zoom_by(WHEEL_STEP)
        elif key == Qt.Key_Minus:
            self.pane.zoom_by(1 / WHEEL_STEP)
        else:
            super().keyPressEvent(event)

    def closeEvent(self, event) -> None:
        super().closeEvent(event)
        self.closed.emit()
