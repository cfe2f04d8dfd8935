"""Hook the talent area into the studio window (one call from MainWindow): the Talent
dock, Studio → Talent and consent…, Board → Board use…, the board's declared use in the
status bar, and the marks on twin shots whose consent no longer holds."""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QScrollArea

from app.services.events import BoardsChanged, ShotsAdded, StudioChanged, TalentChanged
from app.talent import enforce
from app.ui.delivery.hooks import menu_titled
from app.talent import repo as talent_repo
from app.ui.talent.panel import TalentPanel
from app.ui.text import plain_label, tip


log = logging.getLogger(__name__)


class _Measured(QObject):
    """Carries likeness results from the measuring thread to the GUI thread."""
    done = Signal(object)  # (generation, board id, {shot id: Result}, error text or None)


class TalentHooks:
    def __init__(self, window):
        self.w = window
        self.likeness_cache: dict[int, object] = {}  # shot id -> Result (pictures never change)
        self._generation = 0
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self._measured = _Measured()
        self._measured.done.connect(self._likeness_done)
        self.panel = TalentPanel(window)
        self.panel.message.connect(window.say)
        self.panel.changed.connect(lambda: window.events.publish(TalentChanged()))
        scroll = QScrollArea()  # small screens: the panel scrolls rather than growing the window
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.NoFrame)
        scroll.setWidget(self.panel)
        dock = window._dock("talent", "Talent", scroll, Qt.RightDockWidgetArea)
        if "direction" in window.docks:
            window.tabifyDockWidget(window.docks["direction"], dock)
        dock.hide()  # opened when asked for (Ctrl+Shift+T, View, a twin on the board); a saved layout keeps it
        if hasattr(window, "actions") and getattr(window.actions, "view", None) is not None:
            window.actions.view.addAction(dock.toggleViewAction())
        dock.visibilityChanged.connect(lambda shown: shown and self.panel.refresh())
        self.dock = dock

        self.show_action = QAction("Talent and consent…", window)
        self.show_action.setObjectName("action_talent")
        self.show_action.setShortcut("Ctrl+Shift+T")
        self.show_action.triggered.connect(lambda _c=False: self.show_panel())
        self.use_action = QAction("Board use…", window)
        self.use_action.setObjectName("action_board_use")
        self.use_action.setToolTip("Client, channels and territories the board's pictures are for")
        self.use_action.triggered.connect(lambda _c=False: self.edit_board_use())
        window.addAction(self.show_action)
        studio, board = menu_titled(window, "Studio"), menu_titled(window, "Board")
        if studio is not None:
            studio.addAction(self.show_action)
        if board is not None:
            board.addAction(self.use_action)

        self.use_label = plain_label()
        self.use_label.setObjectName("BoardUse")
        self.likeness_label = plain_label()
        self.likeness_label.setObjectName("BoardLikeness")
        # In the status bar, beside the board's counts: always in view, squeezing nothing.
        window.statusBar().insertPermanentWidget(0, self.use_label)
        window.statusBar().insertPermanentWidget(1, self.likeness_label)
        window.boards_panel.board_selected.connect(lambda _b: self.board_shown())
        window.events.subscribe(self._on_event)
        self.board_shown()

    # -- what the board shows -------------------------------------------------------------
    def current_board(self):
        return self.w.boards_panel.current_board() if self.w.studio is not None else None

    def board_shown(self) -> None:
        board_id = self.current_board()
        self.use_action.setEnabled(board_id is not None and getattr(self.w, "writes", None) is not None)
        if board_id is None:
            self.use_label.setText("")
            self.likeness_label.setText("")
            self.w.board_model.set_marks({})
            self.w.board_model.set_likeness({})
            return
        use = talent_repo.board_use(self.w.studio, board_id)
        if use is None:
            self.use_label.setText("Use: not declared")
            self.use_label.setToolTip(tip("Board → Board use… says what the pictures are for "
                                          "(client, channels, territories); a twin needs it."))
        else:
            text = f"{use.client} · {', '.join(use.channels)} · {', '.join(use.territories)}"
            self.use_label.setText(f"Use: {text}")
            self.use_label.setToolTip(tip(f"This board's pictures are for {text}"))
        self.w.board_model.set_marks(enforce.marks(self.w.studio, board_id))
        self.measure_likeness(board_id)

    # -- likeness: the same face across a board's twin shots --------------------------------
    def measure_likeness(self, board_id: int) -> None:
        """Measure the board's twin shots off the GUI thread (known ones come from the cache);
        the badges and the board's consistency appear when it is done."""
        from app.services import talent as talent_service

        self._cancel.set()  # a measurement for another board is no longer wanted
        self._generation += 1
        shots = enforce.twin_shots(self.w.studio, board_id)
        self.w.board_model.set_likeness({s: self.likeness_cache[s] for s in shots if s in self.likeness_cache})
        if not shots:
            self.likeness_label.setText("")
            return
        if all(s in self.likeness_cache for s in shots):
            self._show_consistency(self.w.board_model.likeness)
            return
        self.likeness_label.setText("Likeness: measuring…")
        generation, cancel, studio = self._generation, threading.Event(), self.w.studio
        self._cancel = cancel
        known = dict(self.likeness_cache)

        def run():
            try:
                found = talent_service.board_likeness(studio, board_id, known, cancel.is_set)
                self._measured.done.emit((generation, board_id, found, None))
            except Exception as exc:  # noqa: BLE001 - said in the status bar, the board works on
                log.warning("likeness on board %s failed: %s", board_id, exc)
                self._measured.done.emit((generation, board_id, {}, str(exc)))

        self._thread = threading.Thread(target=run, name="atelier-likeness", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Before the studio closes: the measuring thread reads it, so it is cancelled (it
        stops between two pictures) and waited for."""
        self._cancel.set()
        self._generation += 1
        thread, self._thread = self._thread, None
        if thread is not None and thread.is_alive():
            thread.join(timeout)

    def _likeness_done(self, packed) -> None:
        generation, board_id, found, error = packed
        self.likeness_cache.update(found)
        if generation != self._generation or board_id != self.current_board():
            return
        if error:
            self.likeness_label.setText("Likeness: not measured")
            self.likeness_label.setToolTip(tip(error))
            return
        self.w.board_model.set_likeness(found)
        self._show_consistency(found)

    def _show_consistency(self, results) -> None:
        from app.talent.likeness import board_consistency

        c = board_consistency(results)
        if not c["faces"]:
            self.likeness_label.setText(f"Likeness: no face found in {c['shots']} twin shots")
            return
        self.likeness_label.setText(f"Likeness: median {c['median']:.2f} · worst {c['worst']:.2f} "
                                    f"({c['faces']} of {c['shots']} faces)")
        self.likeness_label.setToolTip(tip(
            "dlib face-descriptor distance of each twin shot to the talent's reference faces; "
            "below 0.6 is the same person. The worst shot is the one to check first."))

    def _on_event(self, event) -> None:
        if isinstance(event, StudioChanged):
            self.panel.refresh()
            self.board_shown()
        elif isinstance(event, (TalentChanged, BoardsChanged, ShotsAdded)):
            if isinstance(event, TalentChanged):
                self.panel.refresh()
            elif isinstance(event, ShotsAdded) and self.dock.isVisible():
                self.panel.refresh()  # a twin render adds ledger lines
            self.board_shown()

    # -- actions -------------------------------------------------------------------------
    def show_panel(self) -> None:
        self.dock.show()
        self.dock.raise_()
        self.panel.refresh()

    def edit_board_use(self) -> None:
        from app.store import repo
        from app.ui.talent.dialogs import BoardUseDialog

        board_id = self.current_board()
        if board_id is None or getattr(self.w, "writes", None) is None:
            return
        board = repo.get_board(self.w.studio, board_id)
        dialog = BoardUseDialog(board.name, talent_repo.board_use(self.w.studio, board_id), self.w)
        if not dialog.exec() or dialog.result_values is None:
            return
        v = dialog.result_values

        def done(_result, error):
            if error is not None:
                from app.ui.text import message_box

                message_box(self.w, "warning", "Board use", str(error))
                return
            self.w.say(f"{board.name} is for {v['client']}: {', '.join(v['channels'])} in "
                       f"{', '.join(v['territories'])}")
            self.w.events.publish(TalentChanged())

        self.w.writes.submit(lambda s: talent_repo.set_board_use(s, board_id, v["client"], v["channels"],
                                                                 v["territories"]), done)


def install(window) -> TalentHooks:
    window.talent = TalentHooks(window)
    return window.talent
