"""The loupe: one shot full screen, zoomable like the compare view.

Keys: Esc or Space close it; Left/Right step through the shots it was given; F fit,
Z = 100%, + / − zoom; the wheel zooms around the cursor and dragging pans. The zoom is
kept while stepping, so the same detail can be checked shot after shot.

Culling works here as on the board (photographers cull by keyboard): P approve, X reject,
H hold, C request changes, 1–5 stars, 0 clear the rating. The loupe only asks
(`decide_requested`, `rate_requested`); the window records through the one decision rule,
and after a verdict it advances to the next shot (`advance_after`).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from app.ui.compare.image_loader import ImageLoader, read_image
from app.ui.compare.zoom_pane import WHEEL_STEP, ZoomPane
from app.ui import labels, theme
from app.ui.text import plain_label


class Loupe(QWidget):
    closed = Signal()
    current_changed = Signal(int)  # the shot id now shown (the window may select it)
    decide_requested = Signal(int, str)  # shot id, verdict (the store's word)
    rate_requested = Signal(int, int)  # shot id, stars (0: none)

    VERDICT_KEYS = {Qt.Key_P: "approved", Qt.Key_X: "rejected", Qt.Key_H: "hold",
                    Qt.Key_C: "changes-requested"}
    KEYS = (("P", "approve, then the next shot"), ("X", "reject (with a reason), then the next"),
            ("H", "hold, then the next"), ("C", "request changes (with a reason), then the next"),
            ("1–5", "rate"), ("0", "clear the rating"), ("← / →", "previous / next shot"),
            ("F", "fit"), ("Z", "100 %"), ("+ / −, wheel", "zoom"), ("Esc or Space", "close"))
    HINT = "P/X/H/C decide · 1–5 rate · ←/→ step · F fit · Z 100% · Esc close"

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
        # The verdict, as the board's badge (colour and word): the first thing checked.
        self.badge = plain_label()
        self.badge.setObjectName("loupeBadge")
        self.flash_label = plain_label()  # what the window said last (a refusal, a verdict)
        self.flash_label.setObjectName("loupeMessage")
        self.flash_label.setStyleSheet("background: #111; color: #e0b060; padding: 0 10px 4px;")
        self.flash_label.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.pane, 1)
        bar = QHBoxLayout()
        bar.setContentsMargins(8, 0, 0, 0)
        bar.setSpacing(0)
        bar.addWidget(self.badge)
        bar.addWidget(self.info, 1)
        holder = QWidget()
        holder.setStyleSheet("background: #111;")
        holder.setLayout(bar)
        layout.addWidget(holder)
        layout.addWidget(self.flash_label)
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
        self._show_info()
        self.current_changed.emit(shot.id)

    def _show_info(self) -> None:
        shot = self.current()
        if shot is None:
            return
        word = shot.status or "new"
        self.badge.setText(labels.BADGE.get(word, word.upper()))
        self.badge.setStyleSheet(f"background: {theme.BADGE.get(word, theme.BADGE['new'])}; "
                                 f"color: {theme.BADGE_TEXT}; font-weight: bold; "
                                 "padding: 2px 8px; border-radius: 3px;")
        rating = " · " + "★" * shot.rating if shot.rating else ""
        # Every AI image is labelled as such where people look at it, not only in metadata.
        self.info.setText(f"AI-generated · #{shot.id} · {labels.status(shot.status)}{rating} · seed {shot.seed} · "
                          f"{shot.width}×{shot.height} · {shot.model}    "
                          f"{self._index + 1} / {len(self._shots)}    {self.HINT}")

    def _image_loaded(self, path: str, image: QImage) -> None:
        shot = self.current()
        if shot is not None and self._studio is not None and \
                str(self._studio.images.path(shot.image)) == path:
            self._full = True
            self.pane.set_image(image, QSize(shot.width, shot.height))

    def flash(self, text: str) -> None:
        """Show a message of the window's (full screen hides its status bar)."""
        self.flash_label.setText(text)
        self.flash_label.setVisible(bool(text))

    def update_shot(self, shot) -> None:
        """A shot changed (a verdict, a rating): its new state in the list and the line."""
        for i, s in enumerate(self._shots):
            if s.id == shot.id:
                self._shots[i] = shot
                if i == self._index:
                    self._show_info()
                return

    def advance_after(self, shot_id: int) -> None:
        """After a verdict on `shot_id`: the next shot, if the loupe still shows that one."""
        shot = self.current()
        if shot is not None and shot.id == shot_id:
            self.step(1)

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
        shot = self.current()
        plain = not event.modifiers() & (Qt.ControlModifier | Qt.AltModifier | Qt.MetaModifier)
        if shot is not None and plain and key in self.VERDICT_KEYS:
            self.decide_requested.emit(shot.id, self.VERDICT_KEYS[key])
        elif shot is not None and plain and Qt.Key_0 <= key <= Qt.Key_5:
            self.rate_requested.emit(shot.id, key - Qt.Key_0)
        elif key in (Qt.Key_Escape, Qt.Key_Space):
            self.close()
        elif key == Qt.Key_Right:
            self.step(1)
        elif key == Qt.Key_Left:
            self.step(-1)
        elif key == Qt.Key_F:
            self.pane.fit()
        elif key == Qt.Key_Z:
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
