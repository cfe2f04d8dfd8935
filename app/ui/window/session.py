"""Opening and closing a studio in the window, the render worker's thread, and the layout
kept between runs (mixed into the main window)."""

from __future__ import annotations

import gc
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from app.services.events import StudioChanged
from app.ui.text import message_box
from app.store.db import open_studio
from app.store.backups import restore as restore_backup
from app.store.errors import StoreError, StudioDamaged, StudioLocked
from app.store.lock import describe

# Saved dock layouts of another version are dropped for the default one (2: the side
# panels run to the bottom, the queue sits under the board only).
LAYOUT_VERSION = 2


class StudioSessionMixin:
    # -- studio --------------------------------------------------------------------------
    def open_studio(self, path, read_only: bool = False, ask: bool = True) -> bool:
        """Open a studio folder (created if new). A studio held by another window is offered
        read-only; any other failure is explained and the current studio stays open."""
        path = Path(path).expanduser()
        try:
            studio = open_studio(path, read_only=read_only, instance_lock=not read_only)
        except StudioLocked as exc:
            text = (f"The studio {path} is in use by {describe(exc.owner)}.\n\n"
                    "Open it read-only? You can look at everything but not add notes, "
                    "renders or decisions.")
            if not ask or not message_box(self, "question", "Studio in use", text):
                self.say(f"Studio {path} is in use by {describe(exc.owner)}")
                return False
            return self.open_studio(path, read_only=True, ask=ask)
        except StudioDamaged as exc:
            if exc.backup is None or not ask:
                message_box(self, "critical", "Studio damaged", str(exc))
                return False
            text = (f"{exc}\n\nRestore the backup now? The damaged database is moved aside "
                    "into the studio folder, not deleted.")
            if not message_box(self, "question", "Studio damaged", text):
                return False
            try:
                kept = restore_backup(path, exc.backup)
            except (OSError, ValueError, StoreError) as err:
                message_box(self, "critical", "Restore failed", f"The backup could not be restored: {err}")
                return False
            self.say(f"Restored {exc.backup.name}; the damaged database is kept in {kept}")
            return self.open_studio(path, read_only=read_only, ask=ask)
        except StoreError as exc:
            message_box(self, "critical", "Cannot open the studio", str(exc))
            return False
        self.close_studio()
        self.studio = studio
        self.settings.add_recent_studio(path)
        self.setWindowTitle(f"Atelier — {path.name}{'  (read-only)' if studio.read_only else ''}")
        self.direction_panel.set_read_only(studio.read_only)
        self.generate_button.setEnabled(not studio.read_only)
        if hasattr(self.history_panel, "set_studio"):
            self.history_panel.set_studio(studio)
        if not studio.read_only:
            from app.ui.window.writes import Writes

            self.writes = Writes(path, self)  # decisions, ratings, undo: off the GUI thread
            self._start_worker()
            self._offer_unfinished_renders(path, ask)
        self.boards_panel.set_studio(studio, select=self.settings.last_board())
        if self.boards_panel.current_board() is None:
            self.board_model.set_source(studio, None)
        self.update_model_notice()
        self._watch.seen()
        # Move what startup built out of the cyclic GC's reach: a full collection over it
        # was measured as an 80–100 ms freeze of the GUI thread in the middle of scrolling.
        gc.collect()
        gc.freeze()
        self.say(f"Studio {path}" + (" opened read-only" if studio.read_only else " open"))
        self.events.publish(StudioChanged(str(path)))
        return True

    def close_studio(self) -> None:
        # Jobs still waiting stay in queue.json: offered again when the studio next opens.
        self.queue_panel.set_journal(None)
        self._stop_worker()
        if getattr(self, "writes", None) is not None:
            self.writes.close()  # what was asked is written before the studio closes
            self.writes.deleteLater()
            self.writes = None
        self.board_model.set_source(None, None)
        self.thumbs.clear()
        self.direction_panel.set_shot(None)
        if self.history_panel is not None:
            self.history_panel.set_shot(None)
        self.applied_notes.clear()
        self.undone_notes.clear()
        if getattr(self, "talent", None) is not None:
            self.talent.stop()  # its likeness thread reads the studio: finish before closing
        if self.studio is not None:
            self.studio.close()
            self.studio = None
            self.events.publish(StudioChanged(None))

    def new_studio_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "New studio: choose an empty folder")
        if folder:
            self.open_studio(folder)

    def open_studio_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Open studio: choose its folder")
        if folder:
            if not (Path(folder) / "atelier.db").exists():
                message_box(self, "warning", "Not a studio", f"{folder} has no atelier.db. "
                                    "Use File → New studio… to start one there.")
                return
            self.open_studio(folder)

    def _fill_recent_menu(self, menu) -> None:
        menu.clear()
        for path in self.settings.recent_studios():
            action = menu.addAction(path)
            action.triggered.connect(lambda _c=False, p=path: self.open_studio(p))
        if menu.isEmpty():
            menu.addAction("(none)").setEnabled(False)

    def _offer_unfinished_renders(self, path: Path, ask: bool) -> None:
        """Renders that were waiting or running when Atelier last stopped (closed, crashed,
        power cut) are offered again; nothing a person asked for is silently lost."""
        from app.services.render_queue import RenderQueue
        from app.store.queue_journal import save_pending

        self.queue_panel.set_journal(path)
        if not ask:  # scripted opens (tests, benchmarks) never start renders by themselves
            return
        jobs = RenderQueue.unfinished(path)  # what this version cannot read is skipped
        text = f"{len(jobs)} render(s) were waiting when Atelier last stopped. Queue them again?"
        if not jobs or not message_box(self, "question", "Unfinished renders", text):
            save_pending(path, [])
            return
        for job in jobs:
            self.queue_panel.submit(job)

    # -- worker ------------------------------------------------------------------------------
    def _start_worker(self) -> None:
        """The worker runs jobs in its own QThread; the window only submits and listens."""
        from app.engine.runner import Runner
        from app.engine.worker import Worker
        from app.ui.dialogs.models import extra_model_paths

        self.worker = Worker(self.studio, Runner(extra_model_paths=extra_model_paths()))
        self.queue_panel.attach(self.worker)
        self._model_loaded = False
        self.worker.loading.connect(lambda *_: setattr(self, "_model_loaded", True))
        self.worker.started.connect(self._freeze_after_load)

    def _freeze_after_load(self, _job_id: str) -> None:
        """A model just loaded (torch, diffusers: millions of objects): keep the cyclic GC
        from walking them all, which would stall the window for a few hundred ms. O(1)."""
        if self._model_loaded:
            self._model_loaded = False
            gc.freeze()

    def _stop_worker(self) -> None:
        if self.worker is None:
            return
        self.worker.shutdown()
        self.worker.deleteLater()
        self.worker = None

    # -- models ------------------------------------------------------------------------------
    def update_model_notice(self) -> None:
        try:
            models = self.find_models()
        except Exception:  # noqa: BLE001 - a broken models folder must not stop the window
            models = []
        only_demo = all(m.kind == "demo" or not m.runnable for m in models)
        self.notice.setVisible(only_demo)

    def find_models(self) -> list:
        """The engine's models, with the folders and files added in the Models dialog."""
        from app.engine.models import find_models
        from app.ui.dialogs.models import extra_model_paths

        return find_models(extra=extra_model_paths(),
                           studio=self.studio.path if self.studio else None)

    def open_models(self) -> None:
        from app.ui.dialogs.models import ModelsDialog, extra_model_paths

        dialog = ModelsDialog(self, studio_path=self.studio.path if self.studio else None)
        dialog.exec()
        if self.worker is not None:  # the render thread reads this tuple at its next job
            self.worker.runner.extra_model_paths = tuple(extra_model_paths())
        self.update_model_notice()

    def new_board(self) -> None:
        self.boards_panel.new_board()

    def generate_dialog(self) -> None:
        from app.ui.dialogs.new_shots import GenerateDialog

        board_id = self.boards_panel.current_board()
        if board_id is None:
            self.say("Create a board first (Ctrl+N).")
            return
        models = [m for m in self.find_models() if m.runnable]
        from app.services import talent as talent_service

        twins = [t.name for t in talent_service.usable_talents(self.studio)]
        dialog = GenerateDialog(board_id, models, self, twins=twins,
                                check_twin=lambda name: talent_service.twin_refusal(self.studio, board_id, name))
        if dialog.exec() and dialog.job is not None:
            self.submit_job(dialog.job)

    # -- layout ------------------------------------------------------------------------------
    def _restore_layout(self) -> None:
        geometry, state = self.settings.geometry(), self.settings.state()
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is None or not self.restoreState(state, LAYOUT_VERSION):
            self._default_layout()

    def _default_layout(self) -> None:
        """First run: boards over history on the left, direction on the right, a low queue."""
        docks = self.docks
        self.resizeDocks([docks["boards"]], [330], Qt.Horizontal)
        self.resizeDocks([docks["direction"]], [480], Qt.Horizontal)
        if "history" in docks:
            self.resizeDocks([docks["boards"], docks["history"]], [230, 600], Qt.Vertical)
        self.resizeDocks([docks["queue"]], [110], Qt.Vertical)

    def save_layout(self) -> None:
        self.settings.set_layout(self.saveGeometry(), self.saveState(LAYOUT_VERSION))
        self.settings.sync()

    def closeEvent(self, event) -> None:
        self.save_layout()
        self.close_studio()
        self.thumbs.wait(2000)
        super().closeEvent(event)
