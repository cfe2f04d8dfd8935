"""The boards on the side: each with its number of shots and how many are approved."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QLabel, QListWidget, QListWidgetItem, QPushButton,
                               QVBoxLayout, QWidget)

from app.store import repo
from app.store.errors import StoreError
from app.ui import labels
from app.ui.text import tip


def summary_text(summary) -> str:
    counts = summary.counts
    parts = [f"{summary.shots} shots"]
    if counts.get("approved"):
        parts.append(f"{counts['approved']} approved")
    waiting = counts.get("new", 0)
    if waiting and waiting != summary.shots:
        parts.append(f"{waiting} new")
    if summary.status and summary.status != "new":
        parts.append(f"board {summary.status}")
    return " · ".join(parts)


class BoardsPanel(QWidget):
    board_selected = Signal(int)
    message = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("BoardsPanel")
        self.studio = None
        self.list = QListWidget()
        self.list.setObjectName("BoardsList")
        # A narrow dock elides (the tooltip has it all); a sideways scrollbar hid the counts.
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.list.setWordWrap(True)
        self.list.setTextElideMode(Qt.ElideRight)
        self.list.currentItemChanged.connect(self._on_current)
        self.new_button = QPushButton("New board…")
        self.new_button.setToolTip("New board (Ctrl+N)")
        # clicked(bool) would arrive as the name: the button always asks.
        self.new_button.clicked.connect(lambda _checked=False: self.new_board())
        self.empty = QLabel("No boards yet.\nStart one with “New board…”.")
        self.empty.setAlignment(Qt.AlignCenter)
        self.empty.setStyleSheet("color:#777;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.new_button)

    def set_studio(self, studio, select: int | None = None) -> None:
        """Show `studio`'s boards with `select` (the remembered board) current if it exists."""
        self.studio = studio
        self.new_button.setEnabled(studio is not None and not studio.read_only)
        self.refresh(select)

    def refresh(self, select: int | None = None) -> None:
        """Re-read the boards (counts change after renders and decisions), keeping the
        selection; board_selected is emitted only when the selected board changes."""
        before = self.current_board()
        wanted = select if select is not None else before
        summaries = repo.list_boards(self.studio) if self.studio is not None else []
        self.list.blockSignals(True)
        try:
            self.list.clear()
            for s in summaries:
                item = QListWidgetItem(f"{s.name}\n{summary_text(s)}")
                item.setData(Qt.UserRole, s.id)
                item.setData(Qt.UserRole + 1, s)
                counts = ", ".join(f"{labels.status(k)}: {v}" for k, v in s.counts.items())
                item.setToolTip(tip(f"{s.name}\n{summary_text(s)}" + (f"\n{counts}" if counts else "")))
                self.list.addItem(item)
            if summaries and not self._set_current(wanted):
                # no remembered board: the first that holds shots, else the newest
                busy = next((i for i, s in enumerate(summaries) if s.shots), len(summaries) - 1)
                self.list.setCurrentRow(busy)
        finally:
            self.list.blockSignals(False)
        self.empty.setVisible(not summaries)
        after = self.current_board()
        if after is not None and after != before:
            self.board_selected.emit(after)

    def _set_current(self, board_id) -> bool:
        for i in range(self.list.count()):
            if self.list.item(i).data(Qt.UserRole) == board_id:
                self.list.setCurrentRow(i)
                return True
        return False

    def summaries(self) -> list:
        return [self.list.item(i).data(Qt.UserRole + 1) for i in range(self.list.count())]

    def current_board(self) -> int | None:
        item = self.list.currentItem()
        return item.data(Qt.UserRole) if item is not None else None

    def select_board(self, board_id: int) -> bool:
        for i in range(self.list.count()):
            if self.list.item(i).data(Qt.UserRole) == board_id:
                if self.list.currentRow() != i:
                    self.list.setCurrentRow(i)
                return True
        return False

    def _on_current(self, item, _previous) -> None:
        if item is not None:
            self.board_selected.emit(item.data(Qt.UserRole))

    def new_board(self, name: str | None = None) -> int | None:
        """Ask for a name (or use `name`), create the board, select it; None when cancelled."""
        if self.studio is None or self.studio.read_only:
            return None
        if name is None:
            from app.ui.dialogs.board_name import ask_board_name

            board = ask_board_name(self, "New board",
                                   create=lambda n: repo.create_board(self.studio, n))
            if board is None:
                return None
            self.refresh(select=board.id)
            return board.id
        try:
            board = repo.create_board(self.studio, name)
        except StoreError as exc:
            self.message.emit(f"Could not create the board: {exc}")
            return None
        self.refresh(select=board.id)
        return board.id
