"""The shot board as a Qt list model: pages through the store, updates rows in place.

Rows are fetched a page at a time (`board_page(offset, limit)`, Qt's fetchMore) so a board
of 10,000 shots opens with one small query. Changes (a decision, a rating, a thumbnail that
finished loading, new shots from the worker) touch exactly the rows concerned: dataChanged
for one row, beginInsertRows for new ones, never a reset except when the board or the
filters change.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from app.store import repo
from app.ui.thumbnails import ThumbnailCache

PAGE_SIZE = 240

ShotRole = Qt.UserRole + 1
IdRole = Qt.UserRole + 2
StatusRole = Qt.UserRole + 3
RatingRole = Qt.UserRole + 4
ImageRole = Qt.UserRole + 5
ThumbFailedRole = Qt.UserRole + 6


class BoardModel(QAbstractListModel):
    def __init__(self, thumbs: ThumbnailCache, parent=None):
        super().__init__(parent)
        self.thumbs = thumbs
        self.studio = None
        self.board_id: int | None = None
        self.status: str | None = None
        self.min_rating: int | None = None
        self.query: str | None = None
        self._shots: list = []
        self._rows: dict[int, int] = {}  # shot id -> row
        self._total = 0
        self._waiting: dict[str, set[int]] = {}  # thumbnail key -> shot ids painted without it
        thumbs.loaded.connect(self._thumb_loaded)

    # -- source ------------------------------------------------------------------------
    def set_source(self, studio, board_id: int | None, status: str | None = None,
                   min_rating: int | None = None, query: str | None = None) -> None:
        self.beginResetModel()
        self.studio, self.board_id = studio, board_id
        self.status, self.min_rating = status or None, min_rating or None
        self.query = (query or "").strip() or None
        self._shots, self._rows, self._waiting = [], {}, {}
        self._total = 0
        if studio is not None and board_id is not None:
            self._append_page(fetch_only=True)
        self.endResetModel()

    def set_filters(self, status: str | None, min_rating: int | None, query: str | None) -> None:
        self.set_source(self.studio, self.board_id, status, min_rating, query)

    def reload(self) -> None:
        self.set_source(self.studio, self.board_id, self.status, self.min_rating, self.query)

    @property
    def total(self) -> int:
        """How many shots match the board and filters (not just the fetched ones)."""
        return self._total

    def _page(self, offset: int, limit: int):
        return repo.board_page(self.studio, self.board_id, offset, limit, status=self.status,
                               min_rating=self.min_rating, query=self.query)

    def _append_page(self, fetch_only: bool = False) -> None:
        page = self._page(len(self._shots), PAGE_SIZE)
        self._total = page.total
        shots = [s for s in page.shots if s.id not in self._rows]
        if not shots:
            self._total = len(self._shots)  # the store has nothing more for us
            return
        first = len(self._shots)
        if not fetch_only:
            self.beginInsertRows(QModelIndex(), first, first + len(shots) - 1)
        for i, shot in enumerate(shots):
            self._rows[shot.id] = first + i
            self._shots.append(shot)
        if not fetch_only:
            self.endInsertRows()

    # -- Qt model API ------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._shots)

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return not parent.isValid() and self.studio is not None and len(self._shots) < self._total

    def fetchMore(self, parent=QModelIndex()) -> None:
        if self.canFetchMore(parent):
            self._append_page()

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._shots):
            return None
        shot = self._shots[index.row()]
        if role == Qt.DecorationRole:
            return self._thumbnail(shot)
        if role == ShotRole:
            return shot
        if role == IdRole:
            return shot.id
        if role == StatusRole:
            return shot.status
        if role == RatingRole:
            return shot.rating or 0
        if role == ImageRole:
            return shot.image
        if role == ThumbFailedRole:
            return self.thumbs.failed(shot.image)
        if role == Qt.DisplayRole:
            return f"#{shot.id}"
        if role == Qt.ToolTipRole:
            return f"#{shot.id} · {shot.status} · seed {shot.seed}\n{shot.prompt}"
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.NoItemFlags
        return Qt.ItemIsEnabled | Qt.ItemIsSelectable

    def _thumbnail(self, shot):
        pixmap = self.thumbs.peek(shot.image)
        if pixmap is None and self.studio is not None:
            pixmap = self.thumbs.get(shot.image, self.studio.images.thumb_path(shot.image))
            if pixmap is None and not self.thumbs.failed(shot.image):
                self._waiting.setdefault(shot.image, set()).add(shot.id)
        return pixmap

    def _thumb_loaded(self, key: str) -> None:
        for shot_id in self._waiting.pop(key, ()):
            row = self._rows.get(shot_id)
            if row is not None:
                idx = self.index(row)
                self.dataChanged.emit(idx, idx, [Qt.DecorationRole, ThumbFailedRole])

    # -- lookups -----------------------------------------------------------------------
    def shot_at(self, row: int):
        return self._shots[row] if 0 <= row < len(self._shots) else None

    def row_of(self, shot_id: int) -> int | None:
        return self._rows.get(shot_id)

    def index_of(self, shot_id: int) -> QModelIndex:
        row = self._rows.get(shot_id)
        return self.index(row) if row is not None else QModelIndex()

    def ensure_loaded(self, shot_id: int) -> QModelIndex:
        """Fetch pages until `shot_id` is in the model (or the board is exhausted)."""
        while shot_id not in self._rows and self.canFetchMore():
            self._append_page()
        return self.index_of(shot_id)

    # -- changes -----------------------------------------------------------------------
    def refresh_shot(self, shot_id: int) -> None:
        """Re-read one shot after a decision or rating; signal exactly what changed."""
        row = self._rows.get(shot_id)
        if row is None or self.studio is None:
            return
        fresh = repo.get_shot(self.studio, shot_id)
        old = self._shots[row]
        self._shots[row] = fresh
        roles = []
        if fresh.status != old.status:
            roles.append(StatusRole)
        if (fresh.rating or 0) != (old.rating or 0):
            roles.append(RatingRole)
        if fresh.image != old.image:
            roles.append(Qt.DecorationRole)
        if roles:
            roles.append(Qt.ToolTipRole)
            idx = self.index(row)
            self.dataChanged.emit(idx, idx, roles)

    def insert_shots(self, shots: list) -> list[int]:
        """Add new shots of this board (newest first, as the store orders them); return rows."""
        fresh = [s for s in shots if s.board_id == self.board_id and s.id not in self._rows
                 and self._matches(s)]
        if not fresh:
            return []
        fresh.sort(key=lambda s: s.id, reverse=True)
        self.beginInsertRows(QModelIndex(), 0, len(fresh) - 1)
        self._shots[0:0] = fresh
        self._rows = {s.id: i for i, s in enumerate(self._shots)}
        self._total += len(fresh)
        self.endInsertRows()
        return [self._rows[s.id] for s in fresh]

    def remove_shots(self, shot_ids) -> None:
        """Take shots out (undo of a note); one beginRemoveRows per contiguous row."""
        for shot_id in shot_ids:
            row = self._rows.get(shot_id)
            if row is None:
                continue
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._shots[row]
            self._rows = {s.id: i for i, s in enumerate(self._shots)}
            self._total = max(0, self._total - 1)
            self.endRemoveRows()

    def _matches(self, shot) -> bool:
        if self.status and shot.status != self.status:
            return False
        if self.min_rating and (shot.rating or 0) < self.min_rating:
            return False
        if self.query:
            q = self.query.lower()
            return q in (shot.prompt or "").lower() or q in (shot.negative or "").lower()
        return True

    def persistent(self, row: int) -> QPersistentModelIndex:
        return QPersistentModelIndex(self.index(row))
