"""Reviewing shots (mixed into the main window): compare on the central page, the loupe full
screen with the board's culling keys."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from app.store import repo
from app.store.errors import StoreError


class ReviewMixin:
    # -- compare and loupe ----------------------------------------------------------------------
    def show_compare(self, shots: list) -> None:
        from app.ui.compare.view import CompareView

        if self.compare_page is None:
            self.compare_view = CompareView()
            back = QPushButton("← Back to the board  (Esc)")
            back.clicked.connect(self.show_board)
            page = QWidget()
            layout = QVBoxLayout(page)
            layout.setContentsMargins(0, 0, 0, 0)
            top = QHBoxLayout()
            top.setContentsMargins(8, 6, 8, 6)
            top.addWidget(back)
            top.addStretch(1)
            layout.addLayout(top)
            layout.addWidget(self.compare_view, 1)
            self.compare_page = page
            self.central_stack.addWidget(page)
        self.compare_view.set_shots(shots, self.studio)
        self.central_stack.setCurrentWidget(self.compare_page)
        self.compare_view.setFocus()

    def show_board(self) -> None:
        if self.central_stack.currentIndex() != 0:
            self.central_stack.setCurrentIndex(0)
            self.board_view.setFocus()

    def show_loupe(self, shot) -> None:
        """Full-screen loupe on `shot`; Left/Right step through the selection (2 or more
        selected) or the board around it, and the board follows."""
        from app.ui.compare.loupe import Loupe

        ids = self.board_view.selected_ids()
        if len(ids) > 1 and shot.id in ids:
            shots = [repo.get_shot(self.studio, i) for i in ids]
        else:
            row = self.board_model.row_of(shot.id) or 0
            rows = range(max(0, row - 50), min(self.board_model.rowCount(), row + 51))
            shots = [s for s in (self.board_model.shot_at(r) for r in rows) if s is not None]
        if self.loupe is None:
            self.loupe = Loupe(parent=self)
            self.loupe.current_changed.connect(self.board_view.select_id)
            self.loupe.closed.connect(self.board_view.setFocus)
            self.loupe.decide_requested.connect(self._loupe_decide)
            self.loupe.rate_requested.connect(self._loupe_rate)
        index = next((i for i, s in enumerate(shots) if s.id == shot.id), 0)
        self.loupe.set_shots(shots or [shot], index, self.studio)
        self.loupe.flash("")
        self.loupe.showFullScreen()
        self.loupe.activateWindow()

    def _loupe_shot_changed(self, shot_id: int) -> None:
        if self.loupe is not None and self.studio is not None:
            try:
                self.loupe.update_shot(repo.get_shot(self.studio, shot_id))
            except StoreError:
                pass

    def _loupe_decide(self, shot_id: int, verdict: str) -> None:
        """A verdict keyed in the loupe: the same rule and writer as the board's keys, then
        on to the next shot (Lightroom's auto-advance)."""
        if self.decide_ids([shot_id], verdict, parent=self.loupe,
                           on_done=lambda: self._loupe_shot_changed(shot_id)):
            self.loupe.advance_after(shot_id)

    def _loupe_rate(self, shot_id: int, stars: int) -> None:
        self.rate_ids([shot_id], stars, on_done=lambda: self._loupe_shot_changed(shot_id))
