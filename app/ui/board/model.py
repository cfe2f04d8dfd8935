"""The shot board as a Qt list model: pages through the store, updates rows in place.

The model knows the board's size from the first page (`board_page(...).total`) and reads the
rest a page at a time (`board_page(offset, limit)`) when the view first asks for a row in
it; pages are kept in a small LRU, so memory does not grow with the board. (Qt's
fetchMore/canFetchMore was measured first: each appended page made QListView relayout the
whole grid, asking the Python model for rowCount once per row, a 40–100 ms stall per page
while scrolling a 10,000-shot board.) Changes touch exactly the rows concerned: dataChanged
for a decided or rated row, beginInsertRows for new shots, beginRemoveRows for an undone
note; a reset only when the board or the filters change.
"""

from __future__ import annotations

import gc
from collections import OrderedDict

from PySide6.QtCore import QAbstractListModel, QMimeData, QModelIndex, Qt, QUrl

from app.store import repo
from app.ui.board.thumbnails import ThumbnailCache
from app.ui import labels
from app.ui.text import tip

PAGE_SIZE = 240
MAX_PAGES = 24  # shots kept in memory: at most PAGE_SIZE * MAX_PAGES

ShotRole = Qt.UserRole + 1
IdRole = Qt.UserRole + 2
StatusRole = Qt.UserRole + 3
RatingRole = Qt.UserRole + 4
ImageRole = Qt.UserRole + 5
ThumbFailedRole = Qt.UserRole + 6
# Built once: the view asks for flags twice per painted cell, and enum arithmetic is slow.
_ITEM_FLAGS = Qt.ItemIsEnabled | Qt.ItemIsSelectable | Qt.ItemIsDragEnabled  # drag out as files
_NO_FLAGS = Qt.NoItemFlags


def likeness_text(result) -> str:
    """A twin shot's likeness in words, for its tooltip ('' when not measured)."""
    if result is None:
        return ""
    if not result.face_found:
        return "Likeness: no face found in this picture"
    verdict = "the same person" if result.same_person else "NOT the same person"
    return (f"Likeness: distance {result.distance:.2f} to the reference faces — {verdict} "
            f"(threshold {result.threshold})")


def likeness_badge(result) -> tuple[str, str] | None:
    """(text, theme badge key) of a twin shot's likeness badge, or None."""
    if result is None:
        return None
    if not result.face_found:
        return "NO FACE", "likeness-none"
    return (f"≈ {result.distance:.2f}", "likeness-same" if result.same_person else "likeness-other")


class BoardModel(QAbstractListModel):
    def __init__(self, thumbs: ThumbnailCache, parent=None):
        super().__init__(parent)
        self.thumbs = thumbs
        self.studio = None
        self.board_id: int | None = None
        self.status: str | None = None
        self.min_rating: int | None = None
        self.query: str | None = None
        self.counts: dict = {}
        self.board_status: str | None = None  # the board's own latest decision
        self.pages_read = 0
        self._count = 0
        self._pages: OrderedDict[int, list] = OrderedDict()  # page number -> shots
        self._rows: dict[int, int] = {}  # shot id -> row, for the pages in memory
        self._waiting: dict[str, set[int]] = {}  # thumbnail key -> shot ids painted without it
        self.marks: dict[int, str] = {}  # twin shots whose consent no longer holds -> why
        self.likeness: dict[int, object] = {}  # twin shots -> app.talent.likeness.Result
        thumbs.loaded.connect(self._thumb_loaded)

    # -- source ------------------------------------------------------------------------
    def set_source(self, studio, board_id: int | None, status: str | None = None,
                   min_rating: int | None = None, query: str | None = None) -> None:
        self.beginResetModel()
        self.studio, self.board_id = studio, board_id
        self.status, self.min_rating = status or None, min_rating or None
        self.query = (query or "").strip() or None
        self._forget_pages()
        self._count, self.counts, self.board_status = 0, {}, None
        if studio is not None and board_id is not None:
            self._count = self._read_page(0)
        self.endResetModel()

    def set_filters(self, status: str | None, min_rating: int | None, query: str | None) -> None:
        self.set_source(self.studio, self.board_id, status, min_rating, query)

    def reload(self) -> None:
        self.set_source(self.studio, self.board_id, self.status, self.min_rating, self.query)

    @property
    def total(self) -> int:
        """How many shots match the board and filters."""
        return self._count

    def _forget_pages(self, waiting: bool = True) -> None:
        self._pages.clear()
        self._rows.clear()
        if waiting:
            self._waiting.clear()

    def _read_page(self, number: int) -> int:
        """Read one page from the store into the LRU; returns the store's current total."""
        page = repo.board_page(self.studio, self.board_id, number * PAGE_SIZE, PAGE_SIZE,
                               status=self.status, min_rating=self.min_rating, query=self.query)
        self.pages_read += 1
        self.counts = page.counts
        self.board_status = page.board.status
        self._pages[number] = list(page.shots)
        for i, shot in enumerate(page.shots):
            self._rows[shot.id] = number * PAGE_SIZE + i
        while len(self._pages) > MAX_PAGES:
            _, dropped = self._pages.popitem(last=False)
            for shot in dropped:
                self._rows.pop(shot.id, None)
        # A page is thousands of small, acyclic, long-lived objects (shots and their briefs):
        # keep the cyclic GC from re-walking them in a full collection mid-scroll (measured:
        # a 40 ms stall). They are still freed by reference counting when evicted; young
        # cyclic garbage is collected first (cheap) so that none of it is frozen with them.
        gc.collect(1)
        gc.freeze()
        return page.total

    # -- Qt model API ------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        # Called once per row by every layout of the grid: keep it this small.
        return 0 if parent.isValid() else self._count

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        shot = self.shot_at(index.row())
        if shot is None:
            return None
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
            mark = self.marks.get(shot.id)
            like = likeness_text(self.likeness.get(shot.id))
            return tip(f"#{shot.id} · {labels.status(shot.status)} · seed {shot.seed}\n{shot.prompt}"
                       + (f"\n⚠ {mark}" if mark else "") + (f"\n{like}" if like else ""))
        return None

    def set_marks(self, marks: dict[int, str]) -> None:
        """Mark twin shots whose consent no longer holds (revoked, expired, use not covered);
        only the rows whose mark changed are repainted."""
        before, self.marks = self.marks, dict(marks)
        self._repaint_changed(before, self.marks)

    def set_likeness(self, results: dict) -> None:
        """Likeness results of twin shots (shot id -> Result); repaints the rows that changed."""
        before, self.likeness = self.likeness, dict(results)
        self._repaint_changed(before, self.likeness)

    def _repaint_changed(self, before: dict, after: dict) -> None:
        for shot_id in set(before) | set(after):
            row = self._rows.get(shot_id)
            if row is not None and before.get(shot_id) != after.get(shot_id):
                idx = self.index(row)
                self.dataChanged.emit(idx, idx, [Qt.ToolTipRole])

    def flags(self, index):
        return _ITEM_FLAGS if index.isValid() else _NO_FLAGS

    def thumbnail_at(self, row: int, box=None):
        """The row's thumbnail fitted to `box` (a QSize), or None while it decodes; for the
        delegate, which asks in Python (no QVariant)."""
        shot = self.shot_at(row)
        return self._thumbnail(shot, box) if shot is not None else None

    def _thumbnail(self, shot, box=None):
        pixmap = self.thumbs.peek(shot.image, box)
        if pixmap is None and self.studio is not None:
            pixmap = self.thumbs.get(shot.image, self.studio.images.thumb_path(shot.image), box)
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
        if not 0 <= row < self._count or self.studio is None:
            return None
        number, offset = divmod(row, PAGE_SIZE)
        page = self._pages.get(number)
        if page is None:
            self._read_page(number)
            page = self._pages[number]
        else:
            self._pages.move_to_end(number)
        return page[offset] if offset < len(page) else None

    def row_of(self, shot_id: int) -> int | None:
        return self._rows.get(shot_id)

    def index_of(self, shot_id: int) -> QModelIndex:
        row = self._rows.get(shot_id)
        return self.index(row) if row is not None else QModelIndex()

    def ensure_loaded(self, shot_id: int) -> QModelIndex:
        """The index of `shot_id`, reading pages in order until found (invalid if not here)."""
        if shot_id not in self._rows:
            for number in range((self._count + PAGE_SIZE - 1) // PAGE_SIZE):
                if number not in self._pages:
                    self._read_page(number)
                if shot_id in self._rows:
                    break
        return self.index_of(shot_id)

    # -- changes -----------------------------------------------------------------------
    def refresh_shot(self, shot_id: int) -> None:
        """Re-read one shot after a decision or rating; signal exactly what changed."""
        row = self._rows.get(shot_id)
        if row is None or self.studio is None:
            return
        number, offset = divmod(row, PAGE_SIZE)
        page = self._pages.get(number)
        if page is None:
            return
        fresh = repo.get_shot(self.studio, shot_id)
        old = page[offset]
        page[offset] = fresh
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
        """New shots of this board go on top (the store orders newest first); return rows."""
        fresh = [s for s in shots if s.board_id == self.board_id and s.id not in self._rows
                 and self._matches(s)]
        if not fresh or self.studio is None:
            return []
        if self.query:  # only the store knows whether they match the search: ask it again
            self.reload()
            return [r for r in (self.ensure_loaded(s.id).row() for s in fresh) if r >= 0]
        self.beginInsertRows(QModelIndex(), 0, len(fresh) - 1)
        # Every row below moved: re-read pages from the store as the view asks for them.
        self._forget_pages(waiting=False)
        self._count += len(fresh)
        self.endInsertRows()
        rows = [self.ensure_loaded(s.id).row() for s in fresh]
        return [r for r in rows if r >= 0]

    def rows_of(self, shot_ids) -> list[int]:
        """Rows of these shots (read from the store if need be), for a later remove_rows."""
        return sorted(r for r in (self.ensure_loaded(i).row() for i in shot_ids) if r >= 0)

    def remove_rows(self, rows) -> None:
        """Take rows out (an undone note's shots, already gone from the store), bottom first."""
        for row in sorted(set(rows), reverse=True):
            if not 0 <= row < self._count:
                continue
            self.beginRemoveRows(QModelIndex(), row, row)
            self._forget_pages(waiting=False)
            self._count -= 1
            self.endRemoveRows()

    def remove_ids(self, shot_ids) -> None:
        """Take out the rows of shots already gone from the store (an undone note)."""
        rows = [self._rows[i] for i in shot_ids if i in self._rows]
        if len(rows) != len(tuple(shot_ids)):  # some not in memory: the store says the rest
            self.reload()
            return
        self.remove_rows(rows)
        self.counts = repo.board_page(self.studio, self.board_id, 0, 1).counts

    def refresh_board_status(self) -> None:
        if self.studio is not None and self.board_id is not None:
            self.board_status = repo.get_board(self.studio, self.board_id).status

    def _matches(self, shot) -> bool:
        if self.status and shot.status != self.status:
            return False
        if self.min_rating and (shot.rating or 0) < self.min_rating:
            return False
        return True  # a search is re-run by the store when the page is read

    # -- drag out: a shot leaves the board as its picture file ----------------------------
    def mimeTypes(self) -> list[str]:  # noqa: N802 - Qt's name
        return ["text/uri-list"]

    def supportedDragActions(self):  # noqa: N802 - Qt's name
        return Qt.CopyAction  # the studio's file is never moved away

    def mimeData(self, indexes) -> QMimeData:  # noqa: N802 - Qt's name
        """The dragged shots' PNGs (with their recipe and AI label inside) as file URLs, and
        "#id" lines as text for a chat or a note."""
        shots = []
        for index in indexes:
            shot = self.shot_at(index.row()) if index.isValid() else None
            if shot is not None and shot not in shots:
                shots.append(shot)
        data = QMimeData()
        if self.studio is not None and shots:
            data.setUrls([QUrl.fromLocalFile(str(self.studio.images.path(s.image))) for s in shots])
            data.setText("\n".join(f"#{s.id}" for s in shots))
        return data
