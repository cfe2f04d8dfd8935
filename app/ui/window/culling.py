"""Culling and decisions on the board, keyboard first (mixed into the main window).

Every decision goes through the store with the person working now; the board then re-reads
exactly the rows decided (dataChanged for those rows only). Refusals by a rule and bad
input are shown in the status bar; nothing is half done.
"""

from __future__ import annotations


from app.ui.text import message_box
from app.services import decisions
from app.store import repo
from app.store.errors import RuleViolation, StoreError
from app.ui.dialogs import decision as decision_dialogs

NEEDS_REASON = tuple(sorted(decisions.NEEDS_REASON))


class CullingMixin:
    def _writable(self) -> bool:
        if self.studio is None:
            return False
        if self.studio.read_only:
            self.say("This studio is open read-only: decisions and notes are not possible.")
            return False
        if self.person is None:
            self.say("Say who is working first (Studio → Who is working…).")
            return False
        return True

    def decide_selected(self, verdict: str) -> None:
        ids = self.board_view.selected_ids()
        if not ids or not self._writable():
            return
        board_id = self.boards_panel.current_board()
        status = self.board_model.board_status if board_id is not None else None
        why = decisions.refusal(verdict, self.person.role, on_board=False, board_status=status,
                                check_reason=False)
        if why is not None:  # said before asking for a reason that would be thrown away
            self.say(f"Not allowed: {why}.")
            return
        reason = None
        if verdict in NEEDS_REASON:
            reason = decision_dialogs.ask_reason(self, verdict)
            if reason is None:  # cancelled: nothing decided
                self.say("Nothing decided.")
                return
        done = []
        try:
            for shot_id in ids:
                decisions.decide(self.studio, verdict, self.person.name, self.person.role,
                                 reason=reason or None, shot_id=shot_id)
                done.append(shot_id)
        except StoreError as exc:
            self.say(f"Could not record the decision: {exc}")
        for shot_id in done:
            self.board_model.refresh_shot(shot_id)
        if done:
            label = decision_dialogs.STATUS_LABELS.get(verdict, verdict)
            which = f"#{done[0]}" if len(done) == 1 else f"{len(done)} shots"
            self.say(f"{which}: {label} by {self.person.label()}")
            self.boards_panel.refresh()
            self.history_refresh()

    def rate_selected(self, stars: int) -> None:
        ids = self.board_view.selected_ids()
        if not ids or not self._writable():
            return
        try:
            for shot_id in ids:
                repo.rate(self.studio, shot_id, stars or None)
                self.board_model.refresh_shot(shot_id)
        except StoreError as exc:
            self.say(f"Could not rate: {exc}")
            return
        self.say(f"{len(ids)} shot(s) rated {'★' * stars if stars else 'no stars'}")

    def board_summary(self) -> dict | None:
        board_id = self.boards_panel.current_board()
        if board_id is None:
            return None
        page = repo.board_page(self.studio, board_id, 0, 200, status="approved")
        return {"board": page.board.name, "counts": page.counts,
                "approved": [{"id": s.id, "label": f"#{s.id} · seed {s.seed}"} for s in page.shots]}

    def approve_board(self) -> None:
        if not self._writable() or self.boards_panel.current_board() is None:
            return
        if self.person.role != "art-director":
            self.say("Only an art director may approve a whole board.")
            return
        summary = self.board_summary()
        if not decision_dialogs.confirm_board_approval(self, summary):
            self.say("Board not approved.")
            return
        try:
            decisions.decide(self.studio, "approved", self.person.name, self.person.role,
                             board_id=self.boards_panel.current_board())
        except RuleViolation as exc:
            message_box(self, "warning", "Not allowed", str(exc))
            return
        except StoreError as exc:
            self.say(f"Could not approve the board: {exc}")
            return
        self.say(f"Board “{summary['board']}” approved by {self.person.label()}")
        self.boards_panel.refresh()

    def undo_last_note(self) -> None:
        """Take back the newest note applied in this window, while nothing was decided on it."""
        if not self._writable():
            return
        if not self.applied_notes:
            self.say("No note to undo.")
            return
        note_id, shot_ids = self.applied_notes[-1]
        rows = self.board_model.rows_of(shot_ids)  # while the store still has them
        try:
            repo.undo_note(self.studio, note_id)
        except StoreError as exc:
            self.say(f"Cannot undo: {exc}")
            return
        self.applied_notes.pop()
        self.board_model.remove_rows(rows)
        self.boards_panel.refresh()
        self.say(f"Note undone: {len(shot_ids)} shot(s) taken back.")

    def selected_shots(self) -> list:
        return [repo.get_shot(self.studio, i) for i in self.board_view.selected_ids()]

    def compare_selected(self) -> None:
        shots = self.selected_shots()
        if not 2 <= len(shots) <= 4:
            self.say("Select 2 to 4 shots to compare (Ctrl+click or Shift+click).")
            return
        self.show_compare(shots)

    def open_loupe(self) -> None:
        shot_id = self.board_view.current_id()
        if shot_id is None:
            return
        self.show_loupe(repo.get_shot(self.studio, shot_id))
