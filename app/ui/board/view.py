"""The shot board: a thumbnail grid (QListView in icon mode) and the delegate that paints a cell.

A cell is the thumbnail, letterboxed on a dark tile, with the status badge in its lower left
corner and the rating stars under it. Painting reads only cached pixmaps; a thumbnail that
is not decoded yet shows a quiet placeholder until the cache reports it.
"""

from __future__ import annotations


from PySide6.QtCore import QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListView, QStyle, QStyledItemDelegate

from app.ui.board.model import IdRole

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
CELL_BG, SELECTED_BG, EMPTY_BG = QColor("#1f1f1f"), QColor("#2e2a24"), QColor("#262626")
ID_COLOUR = QColor("#7a7a7a")


def badge_for(status: str | None) -> tuple[str, QColor]:
    return BADGES.get(status or "new", ((status or "new").upper(), QColor("#5d6b7a")))


class ShotDelegate(QStyledItemDelegate):
    """Paints with a few blits: the thumbnail arrives decoded at the cell's size, the badge
    per status and the stars per rating are pixmaps drawn once."""

    def __init__(self, parent=None, thumb_size: int = 192):
        super().__init__(parent)
        self._thumb_size = thumb_size
        self._badges: dict[str, QPixmap] = {}
        self._stars: dict[int, QPixmap] = {}
        self._id_font = QFont()
        self._id_font.setPointSizeF(8.0)

    @property
    def thumb_size(self) -> int:
        return self._thumb_size

    @thumb_size.setter
    def thumb_size(self, size: int) -> None:
        self._thumb_size = size

    def sizeHint(self, option, index) -> QSize:
        return QSize(self._thumb_size + 2 * PAD, self._thumb_size + 2 * PAD + FOOTER)

    def paint(self, painter: QPainter, option, index) -> None:
        # Ask the model in Python, not through index.data(): faster, and no None crosses a
        # QVariant (see the PySide6 note in docs/ARCHITECTURE.md).
        model = index.model()
        shot = model.shot_at(index.row())
        if shot is None:
            return
        painter.save()
        cell = option.rect.adjusted(2, 2, -2, -2)
        selected = bool(option.state & QStyle.State_Selected)
        painter.fillRect(cell, SELECTED_BG if selected else CELL_BG)
        tile = QRect(cell.left() + PAD - 2, cell.top() + PAD - 2,
                     cell.width() - 2 * (PAD - 2), cell.height() - FOOTER - 2 * (PAD - 2))
        # Decoded off the GUI thread at exactly this size: a 1:1 blit. While a new size
        # decodes (slider moved), another size of the same picture stands in, scaled.
        pixmap = model.thumbnail_at(index.row(), tile.size())
        stand_in = model.thumbs.stand_in(shot.image) if pixmap is None else None
        picture = tile  # the badge sits in the picture's corner
        if pixmap is not None or stand_in is not None:
            size = (pixmap or stand_in).size()
            if pixmap is None:
                size = size.scaled(tile.size(), Qt.KeepAspectRatio)
            picture = QRect(tile.center().x() - size.width() // 2 + 1,
                            tile.center().y() - size.height() // 2 + 1, size.width(), size.height())
            if pixmap is not None:
                painter.drawPixmap(picture.topLeft(), pixmap)
            else:
                painter.drawPixmap(picture, stand_in)
        else:
            painter.fillRect(tile, EMPTY_BG)
            if model.thumbs.failed(shot.image):
                painter.setPen(QColor("#777"))
                painter.drawText(tile, Qt.AlignCenter, "missing image")
        badge = self._badge(shot.status)
        painter.drawPixmap(picture.left() + 5, picture.bottom() - 4 - badge.height(), badge)
        footer = QRect(cell.left() + PAD, cell.bottom() - FOOTER, cell.width() - 2 * PAD, FOOTER)
        stars = self._star_strip(int(shot.rating or 0))
        painter.drawPixmap(footer.left(), footer.center().y() - stars.height() // 2 + 1, stars)
        painter.setFont(self._id_font)
        painter.setPen(ID_COLOUR)
        painter.drawText(footer, Qt.AlignRight | Qt.AlignVCenter, f"#{shot.id}")
        if selected:
            painter.setPen(QPen(ACCENT, 2))
            painter.setBrush(Qt.NoBrush)
            painter.drawRect(cell.adjusted(1, 1, -1, -1))
        elif option.state & QStyle.State_MouseOver:
            painter.setPen(QPen(QColor("#4a4a4a"), 1))
            painter.setBrush(Qt.NoBrush)
            painter.drawRect(cell.adjusted(0, 0, -1, -1))
        painter.restore()

    def _badge(self, status) -> QPixmap:
        badge = self._badges.get(status)
        if badge is None:
            label, colour = badge_for(status)
            font = QFont()
            font.setPointSizeF(7.0)
            font.setBold(True)
            width = QFontMetrics(font).horizontalAdvance(label) + 10
            badge = _transparent(width, 15)
            p = QPainter(badge)
            p.setRenderHint(QPainter.Antialiasing, True)
            p.setPen(Qt.NoPen)
            p.setBrush(colour)
            p.drawRoundedRect(QRectF(0, 0, width, 15), 3, 3)
            p.setFont(font)
            p.setPen(QColor("#f4f4f4"))
            p.drawText(QRectF(0, 0, width, 15), Qt.AlignCenter, label)
            p.end()
            self._badges[status] = badge
        return badge

    def _star_strip(self, rating: int) -> QPixmap:
        strip = self._stars.get(rating)
        if strip is None:
            font = QFont()
            font.setPointSizeF(10.0)
            metrics = QFontMetrics(font)
            full, empty = "★" * rating, "☆" * (5 - rating)
            width = metrics.horizontalAdvance(full + empty) + 2
            strip = _transparent(width, metrics.height())
            p = QPainter(strip)
            p.setRenderHint(QPainter.Antialiasing, True)
            p.setFont(font)
            p.setPen(ACCENT)
            p.drawText(0, metrics.ascent(), full)
            p.setPen(QColor("#444"))
            p.drawText(metrics.horizontalAdvance(full), metrics.ascent(), empty)
            p.end()
            self._stars[rating] = strip
        return strip


def _transparent(width: int, height: int) -> QPixmap:
    pixmap = QPixmap(width, height)
    pixmap.fill(Qt.transparent)
    return pixmap


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

    EMPTY_TEXT = ("No shots to show.\n\nNew shots… (Ctrl+G) renders the first ones from a prompt;\n"
                  "a status or rating filter, or a search, may be hiding others.")

    @property
    def thumb_size(self) -> int:
        return self.delegate.thumb_size

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        model = self.model()
        if model is not None and model.rowCount() == 0:  # an empty board says what to do
            p = QPainter(self.viewport())
            p.setPen(QColor("#8a8a8a"))
            p.drawText(self.viewport().rect(), Qt.AlignCenter, self.EMPTY_TEXT)
            p.end()

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
