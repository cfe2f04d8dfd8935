"""The shot board: a thumbnail grid (QListView in icon mode) and the delegate that paints a cell.

A cell is the thumbnail, letterboxed on a dark tile, with the status badge in its lower left
corner and the rating stars under it. Painting reads only cached pixmaps; a thumbnail that
is not decoded yet shows a quiet placeholder until the cache reports it.
"""

from __future__ import annotations


from PySide6.QtCore import QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListView, QStyle, QStyledItemDelegate

from app.ui import labels, theme
from app.ui.board.model import IdRole, likeness_badge
from app.ui.theme import qcolor

FOOTER = 22
PAD = 6

ACCENT = qcolor(theme.ACCENT)
CELL_BG, SELECTED_BG = qcolor(theme.CELL_BG), qcolor(theme.SELECTED_BG)
EMPTY_BG = qcolor(theme.EMPTY_BG)
ID_COLOUR = qcolor(theme.ID_TEXT)
STAR_EMPTY = qcolor(theme.STAR_EMPTY)


MARK = "consent-lapsed"  # the badge of a twin shot whose consent no longer holds


def badge_for(status: str | None) -> tuple[str, QColor]:
    if status == MARK:
        return "NO CONSENT", qcolor(theme.BADGE[MARK])
    word = status or "new"
    return (labels.BADGE.get(word, word.upper()),
            qcolor(theme.BADGE.get(word, theme.BADGE["new"])))


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
                painter.setPen(qcolor(theme.PLACEHOLDER))
                painter.drawText(tile, Qt.AlignCenter, "missing image")
        badge = self._badge(shot.status)
        painter.drawPixmap(picture.left() + 5, picture.bottom() - 4 - badge.height(), badge)
        if shot.id in getattr(model, "marks", ()):  # a twin shot its consent no longer covers
            mark = self._badge(MARK)
            painter.drawPixmap(picture.left() + 5, picture.top() + 4, mark)
        like = likeness_badge(getattr(model, "likeness", {}).get(shot.id))
        if like is not None:
            badge = self._text_badge(*like)
            painter.drawPixmap(picture.right() - 4 - badge.width(), picture.top() + 4, badge)
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
            painter.setPen(QPen(qcolor(theme.HOVER_FRAME), 1))
            painter.setBrush(Qt.NoBrush)
            painter.drawRect(cell.adjusted(0, 0, -1, -1))
        painter.restore()

    def _badge(self, status) -> QPixmap:
        return self._text_badge(*badge_for(status), key=status)

    def _text_badge(self, label: str, colour, key=None) -> QPixmap:
        """A rounded badge with `label` on `colour` (a QColor or a theme.BADGE key), drawn once."""
        key = key if key is not None else (label, colour)
        badge = self._badges.get(key)
        if badge is None:
            if isinstance(colour, str):
                colour = qcolor(theme.BADGE[colour])
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
            p.setPen(qcolor(theme.BADGE_TEXT))
            p.drawText(QRectF(0, 0, width, 15), Qt.AlignCenter, label)
            p.end()
            self._badges[key] = badge
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
            p.setPen(STAR_EMPTY)
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
        self.setDragEnabled(True)  # a shot dragged out is its picture file
        self.setDragDropMode(QAbstractItemView.DragOnly)
        self.setDefaultDropAction(Qt.CopyAction)
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
            p.setPen(qcolor(theme.PLACEHOLDER))
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

    def setModel(self, model) -> None:
        super().setModel(model)
        self._picked: list[int] = []  # selected shot ids in the order they were selected
        self.selectionModel().selectionChanged.connect(self._track_selection)
        model.modelReset.connect(self._picked.clear)

    def _track_selection(self, selected, deselected) -> None:
        gone = {i.data(IdRole) for i in deselected.indexes()}
        self._picked = [i for i in self._picked if i not in gone]
        model = self.model()
        # A range selected at once (Shift+click) is picked in board order.
        for idx in sorted(selected.indexes(), key=lambda i: i.row()):
            shot = model.shot_at(idx.row()) if hasattr(model, "shot_at") else None
            shot_id = shot.id if shot is not None else idx.data(IdRole)
            if shot_id not in self._picked:
                self._picked.append(shot_id)

    def selected_ids(self) -> list[int]:
        """The selected shots in the order the person selected them (the first is A when
        comparing): a parent clicked before its child stays first."""
        rows = sorted(i.row() for i in self.selectionModel().selectedIndexes())
        model = self.model()
        now = [model.index(r, 0).data(IdRole) for r in rows]
        present = set(now)
        ordered = [i for i in self._picked if i in present]
        return ordered + [i for i in now if i not in set(ordered)]

    def select_ids(self, shot_ids: list[int], current: int | None = None) -> None:
        """Select these shots (in this order), with `current` (or the first) current."""
        model = self.model()
        flags = self.selectionModel().SelectionFlag
        self.selectionModel().clearSelection()
        self._picked = []
        for shot_id in shot_ids:
            idx = model.ensure_loaded(shot_id)
            if idx.isValid():
                self.selectionModel().select(idx, flags.Select)
        target = current if current is not None else (shot_ids[0] if shot_ids else None)
        if target is not None:
            idx = model.ensure_loaded(target)
            if idx.isValid():
                self.selectionModel().setCurrentIndex(idx, flags.NoUpdate)

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
