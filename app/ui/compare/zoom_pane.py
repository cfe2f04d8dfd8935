"""A zoomable, pannable image pane, and a group that keeps several panes in step.

The compare view and the loupe both use `ZoomPane`. Scene coordinates are the pixels of
the full image even while only the thumbnail is shown (the thumbnail is scaled up to the
full size), so zoom level and pan position stay valid when the full image arrives, and
panes showing different shots of the same size line up pixel for pixel.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QPointF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPixmap, QTransform
from PySide6.QtWidgets import (QFrame, QGraphicsPixmapItem, QGraphicsScene, QGraphicsView,
                               QLabel)

MIN_ZOOM, MAX_ZOOM = 0.02, 32.0
WHEEL_STEP = 1.25  # zoom factor of one wheel notch
PIXEL_PEEP = 2.0  # from this zoom on, show hard pixels instead of smoothing them


class ZoomPane(QGraphicsView):
    """One image. Wheel zooms around the cursor, dragging pans; `view_changed` tells the
    group that the *user* moved this pane (programmatic changes stay silent)."""

    view_changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("zoomPane")
        self._scene = QGraphicsScene(self)
        self._item = QGraphicsPixmapItem()
        self._item.setTransformationMode(Qt.SmoothTransformation)
        self._scene.addItem(self._item)
        self.setScene(self._scene)
        self.setDragMode(QGraphicsView.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.NoAnchor)
        self.setResizeAnchor(QGraphicsView.AnchorViewCenter)
        self.setAlignment(Qt.AlignCenter)
        self.setFrameShape(QFrame.NoFrame)
        self.setBackgroundBrush(QColor(24, 24, 26))
        self.setFocusPolicy(Qt.NoFocus)  # keys go to the compare view / loupe
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self._fit = True
        self._image = QImage()
        self._dragging = False
        self.caption = QLabel(self)
        self.caption.setTextFormat(Qt.PlainText)
        self.caption.setObjectName("paneCaption")
        self.caption.setStyleSheet("background: rgba(0,0,0,150); color: #ddd; padding: 3px 6px;"
                                   " border-radius: 3px;")
        self.caption.move(8, 8)
        self.caption.hide()

    # --- content -------------------------------------------------------------------
    def set_caption(self, text: str) -> None:
        self.caption.setText(text)
        self.caption.adjustSize()
        self.caption.setVisible(bool(text))

    def set_image(self, image: QImage, full_size: QSize | None = None) -> None:
        """Show `image`; `full_size` is the size of the full image it stands for."""
        self._image = image
        if image.isNull():
            self._item.setPixmap(QPixmap())
            self._scene.setSceneRect(0, 0, 1, 1)
            return
        full = full_size if full_size is not None and full_size.isValid() else image.size()
        self._item.setPixmap(QPixmap.fromImage(image))
        self._item.setScale(full.width() / image.width())
        self._scene.setSceneRect(0, 0, full.width(), full.height())
        if self._fit:
            self.fit()
        self._update_smoothing()

    def image(self) -> QImage:
        return self._image

    def clear(self) -> None:
        self.set_image(QImage())
        self.set_caption("")

    # --- view state ------------------------------------------------------------------
    def zoom(self) -> float:
        return self.transform().m11()

    def is_fit(self) -> bool:
        return self._fit

    def center(self) -> QPointF:
        return self.mapToScene(self.viewport().rect().center())

    def fit(self) -> None:
        self._fit = True
        rect = self._scene.sceneRect()
        if rect.width() > 1 and self.viewport().width() > 0:
            self.fitInView(rect, Qt.KeepAspectRatio)
        self._update_smoothing()

    def set_zoom(self, level: float, center: QPointF | None = None) -> None:
        """Absolute zoom (1.0 = 100%: one image pixel per screen pixel)."""
        self._fit = False
        keep = self.center() if center is None else center
        level = max(MIN_ZOOM, min(MAX_ZOOM, level))
        self.setTransform(QTransform.fromScale(level, level))
        self.centerOn(keep)
        self._update_smoothing()

    def zoom_by(self, factor: float, anchor=None) -> None:
        """Zoom by `factor` keeping the scene point under `anchor` (view coords) in place."""
        anchor = self.viewport().rect().center() if anchor is None else anchor
        anchor = QPointF(anchor)
        before = self.mapToScene(anchor.toPoint())
        level = max(MIN_ZOOM, min(MAX_ZOOM, self.zoom() * factor))
        self._fit = False
        self.setTransform(QTransform.fromScale(level, level))
        after = self.mapFromScene(before)
        delta = after - anchor.toPoint()
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + delta.x())
        self.verticalScrollBar().setValue(self.verticalScrollBar().value() + delta.y())
        self._update_smoothing()

    def apply_view(self, transform: QTransform, center: QPointF, fit: bool) -> None:
        """Take another pane's view (used by ZoomGroup)."""
        if fit:
            self.fit()
            return
        self._fit = False
        self.setTransform(transform)
        self.centerOn(center)
        self._update_smoothing()

    def _update_smoothing(self) -> None:
        mode = Qt.FastTransformation if self.zoom() >= PIXEL_PEEP else Qt.SmoothTransformation
        self._item.setTransformationMode(mode)

    # --- user input ------------------------------------------------------------------
    def wheelEvent(self, event) -> None:
        steps = event.angleDelta().y() / 120.0
        if not steps:
            return
        self.zoom_by(WHEEL_STEP ** steps, event.position())
        self.view_changed.emit()
        event.accept()

    def mousePressEvent(self, event) -> None:
        self._dragging = event.button() == Qt.LeftButton
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        super().mouseMoveEvent(event)
        if self._dragging:
            self._fit = False
            self.view_changed.emit()

    def mouseReleaseEvent(self, event) -> None:
        self._dragging = False
        super().mouseReleaseEvent(event)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._fit:
            self.fit()


class ZoomGroup(QObject):
    """Keeps panes at the same zoom and centre: what the user does to one, all follow."""

    zoom_changed = Signal(float)  # zoom of the pane the user moved (1.0 = 100%)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._panes: list[ZoomPane] = []
        self._busy = False

    def panes(self) -> list[ZoomPane]:
        return list(self._panes)

    def add(self, pane: ZoomPane) -> None:
        if pane in self._panes:
            return
        self._panes.append(pane)
        pane.view_changed.connect(lambda p=pane: self.sync_from(p))

    def sync_from(self, source: ZoomPane) -> None:
        if self._busy:
            return
        self._busy = True
        try:
            transform, center, fit = source.transform(), source.center(), source.is_fit()
            for pane in self._panes:
                if pane is not source:
                    pane.apply_view(transform, center, fit)
        finally:
            self._busy = False
        self.zoom_changed.emit(source.zoom())

    def fit_all(self) -> None:
        for pane in self._panes:
            pane.fit()
        if self._panes:
            self.zoom_changed.emit(self._panes[0].zoom())

    def zoom_all(self, level: float, leader: ZoomPane | None = None) -> None:
        """Absolute zoom for every pane, centred where `leader` (or the first pane) looks."""
        if not self._panes:
            return
        leader = leader or self._panes[0]
        center = leader.center()
        for pane in self._panes:
            pane.set_zoom(level, center)
        self.zoom_changed.emit(level)

    def zoom_step(self, factor: float, leader: ZoomPane | None = None) -> None:
        if not self._panes:
            return
        leader = leader or self._panes[0]
        leader.zoom_by(factor)
        self.sync_from(leader)
