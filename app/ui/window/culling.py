"""Culling and decisions on the board, keyboard first (mixed into the main window).

Every decision goes through the store with the person working now; the board then re-reads
exactly the rows decided (dataChanged for those rows only). Refusals by a rule and bad
input are shown in the status bar; nothing is half done.
"""

from __future__ import annotations


from app.ui.text import message_box
from app.services import decisions
from app.services import undo
from app.services.events import BoardsChanged, ShotsAdded, ShotsChanged, ShotsRemoved
from app.ui import labels
from app.store import repo
from app.store.errors import RuleViolation
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
        self.decide_ids(self.board_view.selected_ids(), verdict)

    def decide_ids(self, ids: list[int], verdict: str, parent=None, on_done=None) -> bool:
        """Record `verdict` on the shots `ids` (off the GUI thread); True when it was asked
        for (not refused by the rule, reason not cancelled). `on_done()` runs after it is
        recorded. The board keys and the loupe both come here."""
        if not ids or not self._writable():
            return False
        board_id = self.boards_panel.current_board()
        status = self.board_model.board_status if board_id is not None else None
        why = decisions.refusal(verdict, self.person.role, on_board=False, board_status=status,
                                check_reason=False)
        if why is not None:  # said before asking for a reason that would be thrown away
            self.say(f"Not allowed: {why}.")
            return False
        reason = None
        if verdict in NEEDS_REASON:
            reason = decision_dialogs.ask_reason(parent or self, verdict)
            if reason is None:  # cancelled: nothing decided
                self.say("Nothing decided.")
                return False
        person, board = self.person, board_id
        ids = list(ids)

        def action(studio):  # in the writer thread: every selected shot, or none
            with studio.transaction():
                for shot_id in ids:
                    decisions.decide(studio, verdict, person.name, person.role,
                                     reason=reason or None, shot_id=shot_id)
            return ids

        def done(_result, error):
            if error is not None:
                self.say(f"Could not record the decision: {error}")
                return
            which = f"#{ids[0]}" if len(ids) == 1 else f"{len(ids)} shots"
            self.say(f"{which}: {labels.status(decisions.validate.verdict(verdict))} "
                     f"by {person.label()}")
            self.events.publish(ShotsChanged(tuple(ids), board))
            if on_done is not None:
                on_done()

        self.say("Recording the decision…")
        self.writes.submit(action, done)
        return True

    def rate_selected(self, stars: int) -> None:
        self.rate_ids(self.board_view.selected_ids(), stars)

    def rate_ids(self, ids: list[int], stars: int, on_done=None) -> bool:
        if not ids or not self._writable():
            return False
        board = self.boards_panel.current_board()
        ids = list(ids)

        def action(studio):
            with studio.transaction():
                for shot_id in ids:
                    repo.rate(studio, shot_id, stars or None)

        def done(_result, error):
            if error is not None:
                self.say(f"Could not rate: {error}")
                return
            self.say(f"{len(ids)} shot(s) rated {'★' * stars if stars else 'no stars'}")
            self.events.publish(ShotsChanged(tuple(ids), board))
            if on_done is not None:
                on_done()

        self.writes.submit(action, done)
        return True

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
        person, board = self.person, self.boards_panel.current_board()

        def done(_result, error):
            if isinstance(error, RuleViolation):
                message_box(self, "warning", "Not allowed", str(error))
            elif error is not None:
                self.say(f"Could not approve the board: {error}")
            else:
                self.say(f"Board “{summary['board']}” approved by {person.label()}")
                self.events.publish(BoardsChanged(board))

        self.writes.submit(lambda studio: decisions.decide(
            studio, "approved", person.name, person.role, board_id=board), done)

    def undo_last_note(self) -> None:
        """Take back the newest note applied in this window, while nothing was decided on
        it; Redo puts it back."""
        if not self._writable():
            return
        if not self.applied_notes:
            self.say("No note to undo.")
            return
        note_id, shot_ids = self.applied_notes.pop()

        def done(undone, error):
            if error is not None:
                self.applied_notes.append((note_id, shot_ids))
                self.say(f"Cannot undo: {error}")
                return
            self.undone_notes.append(undone)
            self.events.publish(ShotsRemoved(undone.board_id, undone.shot_ids))
            self.say(f"Note undone: {len(shot_ids)} shot(s) taken back. Redo: Ctrl+Shift+Z")

        self.writes.submit(lambda studio: undo.undo(studio, note_id, shot_ids), done)

    def redo_note(self) -> None:
        if not self._writable():
            return
        if not self.undone_notes:
            self.say("Nothing to redo.")
            return
        undone = self.undone_notes.pop()

        def done(shots, error):
            if error is not None:
                self.undone_notes.append(undone)
                self.say(f"Cannot redo: {error}")
                return
            self.applied_notes.append((shots[0].note_id, [s.id for s in shots]))
            self.events.publish(ShotsAdded(undone.board_id, tuple(s.id for s in shots),
                                           shots[0].note_id))
            self.say(f"Note redone: {len(shots)} shot(s) back on the board.")

        self.writes.submit(lambda studio: undo.redo(studio, undone), done)

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
