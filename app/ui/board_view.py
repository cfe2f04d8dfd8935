"""The shot board: a thumbnail grid (QListView in icon mode) and the delegate that paints a cell.

A cell is the thumbnail, letterboxed on a dark tile, with the status badge in its lower left
corner and the rating stars under it. Painting reads only cached pixmaps; a thumbnail that
is not decoded yet shows a quiet placeholder until the cache reports it.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QAbstractItemView, QListView, QStyle, QStyledItemDelegate

from app.ui.board_model import IdRole

FOOTER = 22
PAD = 6

# status -> (label, badge colour)
BADGES = {
    "new": ("NEW", QColor("#5d6b7a")),
    "approved": ("APPROVED", QColor("#4f8a5b")),
    "rejected": ("REJECTED", QColor("#a34b45")),
    "hold": ("HOLD", QColor("#b08a3c")),
    "changes": ("CHANGES", QColor("#7b5ea8")),
    "changes-requested": ("CHANGES", QColor("#7b5ea8")),
    "changes_requested": ("CHANGES", QColor("#7b5ea8")),
}
ACCENT = QColor("#c9a36a")


def badge_for(status: str | None) -> tuple[str, QColor]:
    return BADGES.get(status or "new", ((status or "new").upper(), QColor("#5d6b7a")))


class ShotDelegate(QStyledItemDelegate):
    def __init__(self, parent=None, thumb_size: int = 192):
        super().__init__(parent)
        self.thumb_size = thumb_size
        self._badge_font = QFont()
        self._badge_font.setPointSizeF(7.0)
        self._badge_font.setBold(True)
        self._star_font = QFont()
        self._star_font.setPointSizeF(10.0)
        self._id_font = QFont()
        self._id_font.setPointSizeF(8.0)

    def sizeHint(self, option, index) -> QSize:
        return QSize(self.thumb_size + 2 * PAD, self.thumb_size + 2 * PAD + FOOTER)

    def paint(self, painter: QPainter, option, index) -> None:
        painter.save()
        painter.setRenderHint(QPainter.Antialiasing, True)
        painter.setRenderHint(QPainter.SmoothPixmapTransform, True)
        cell = option.rect.adjusted(2, 2, -2, -2)
        selected = bool(option.state & QStyle.State_Selected)
        painter.setPen(Qt.NoPen)
        painter.setBrush(QColor("#2e2a24") if selected else QColor("#1f1f1f"))
        painter.drawRoundedRect(QRectF(cell), 4, 4)

        tile = QRect(cell.left() + PAD - 2, cell.top() + PAD - 2,
                     cell.width() - 2 * (PAD - 2), cell.height() - FOOTER - 2 * (PAD - 2))
        # Ask the model in Python, not through index.data(): with PySide6 6.12 on Python 3.11
        # every None that comes back through a QVariant loses a reference to None, and a
        # grid paints thousands of cells (a crash after a few thousand not-yet-loaded thumbs).
        model = index.model()
        shot = model.shot_at(index.row())
        if shot is None:
            painter.restore()
            return
        pixmap = model.thumbnail_at(index.row())
        if pixmap is not None and not pixmap.isNull():
            size = pixmap.size().scaled(tile.size(), Qt.KeepAspectRatio)
            target = QRect(0, 0, size.width(), size.height())
            target.moveCenter(tile.center())
            painter.drawPixmap(target, pixmap)
        else:
            painter.setBrush(QColor("#262626"))
            painter.drawRect(tile)
            painter.setPen(QColor("#555"))
            text = "missing image" if model.thumbs.failed(shot.image) else ""
            painter.drawText(tile, Qt.AlignCenter, text)

        self._paint_badge(painter, tile, shot.status)
        self._paint_footer(painter, cell, shot)
        if selected:
            painter.setPen(QPen(ACCENT, 2))
            painter.setBrush(Qt.NoBrush)
            painter.drawRoundedRect(QRectF(cell).adjusted(1, 1, -1, -1), 4, 4)
        elif option.state & QStyle.State_MouseOver:
            painter.setPen(QPen(QColor("#4a4a4a"), 1))
            painter.setBrush(Qt.NoBrush)
            painter.drawRoundedRect(QRectF(cell), 4, 4)
        painter.restore()

    def _paint_badge(self, painter: QPainter, tile: QRect, status) -> None:
        label, colour = badge_for(status)
        painter.setFont(self._badge_font)
        width = painter.fontMetrics().horizontalAdvance(label) + 10
        rect = QRectF(tile.left() + 5, tile.bottom() - 19, width, 15)
        painter.setPen(Qt.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(rect, 3, 3)
        painter.setPen(QColor("#f4f4f4"))
        painter.drawText(rect, Qt.AlignCenter, label)

    def _paint_footer(self, painter: QPainter, cell: QRect, shot) -> None:
        footer = QRect(cell.left() + PAD, cell.bottom() - FOOTER, cell.width() - 2 * PAD, FOOTER)
        rating = int(shot.rating or 0)
        painter.setFont(self._star_font)
        painter.setPen(ACCENT)
        stars = "★" * rating
        painter.drawText(footer, Qt.AlignLeft | Qt.AlignVCenter, stars)
        metrics = painter.fontMetrics()
        painter.setPen(QColor("#444"))
        painter.drawText(footer.adjusted(metrics.horizontalAdvance(stars), 0, 0, 0),
                         Qt.AlignLeft | Qt.AlignVCenter, "☆" * (5 - rating))
        painter.setFont(self._id_font)
        painter.setPen(QColor("#7a7a7a"))
        painter.drawText(footer, Qt.AlignRight | Qt.AlignVCenter, f"#{shot.id}")


class BoardView(QListView):
    """The grid. Keys for culling are window actions scoped to this widget (see actions.py)."""

    thumb_size_changed = Signal(int)

    def __init__(self, parent=None, thumb_size: int = 192):
        super().__init__(parent)
        self.setObjectName("ShotBoard")
        self.setViewMode(QListView.IconMode)
        self.setResizeMode(QListView.Adjust)
        self.setMovement(QListView.Static)
        self.setFlow(QListView.LeftToRight)
        self.setWrapping(True)
        self.setUniformItemSizes(True)  # layout without asking 10,000 rows for their size
        self.setSpacing(4)
        self.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollPerPixel)
        self.verticalScrollBar().setSingleStep(24)
        self.setMouseTracking(True)
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.delegate = ShotDelegate(self, thumb_size)
        self.setItemDelegate(self.delegate)

    @property
    def thumb_size(self) -> int:
        return self.delegate.thumb_size

    def set_thumb_size(self, size: int) -> None:
        if size == self.delegate.thumb_size:
            return
        self.delegate.thumb_size = size
        # Uniform item sizes are cached by the view: a layout pass picks up the new hint.
        self.scheduleDelayedItemsLayout()
        self.viewport().update()
        self.thumb_size_changed.emit(size)

    def selected_ids(self) -> list[int]:
        rows = sorted(i.row() for i in self.selectionModel().selectedIndexes())
        return [self.model().index(r, 0).data(IdRole) for r in rows]

    def current_id(self) -> int | None:
        idx = self.currentIndex()
        return idx.data(IdRole) if idx.isValid() else None

    def select_id(self, shot_id: int) -> bool:
        model = self.model()
        idx = model.ensure_loaded(shot_id) if hasattr(model, "ensure_loaded") else None
        if idx is None or not idx.isValid():
            return False
        self.setCurrentIndex(idx)
        self.selectionModel().select(idx, self.selectionModel().SelectionFlag.ClearAndSelect)
        self.scrollTo(idx)
        return True
