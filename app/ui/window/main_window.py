"""The studio window: boards on the side, the shot board in the middle, direction and history
on the right, the render queue at the bottom. This module is the glue between them."""

from __future__ import annotations

from contextlib import contextmanager

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (QComboBox, QDockWidget, QFrame, QHBoxLayout, QLabel, QLineEdit,
                               QMainWindow, QPushButton, QSlider, QStackedWidget, QVBoxLayout,
                               QWidget)

from app.services.events import BoardsChanged, Events, ShotsAdded, ShotsChanged, ShotsRemoved
from app.store import repo
from app.store.errors import StoreError
from app.ui.window.actions import Actions
from app.ui.board.model import BoardModel
from app.ui.board.view import BoardView
from app.ui.board.boards_panel import BoardsPanel
from app.ui.window.culling import CullingMixin
from app.ui.window.help import HelpMixin
from app.ui.window.review import ReviewMixin
from app.ui.window.shot_menu import ShotMenuMixin
from app.ui.direction.panel import DirectionPanel
from app.ui.queue.panel import QueuePanel
from app.ui.window.settings import THUMB_MAX, THUMB_MIN, Settings
from app.ui.window.session import StudioSessionMixin
from app.ui.window.watch import StudioWatch
from app.ui.board.thumbnails import ThumbnailCache
from app.ui.text import plain_label

STATUS_FILTERS = (("All shots", ""), ("New", "new"), ("Approved", "approved"),
                  ("Rejected", "rejected"), ("On hold", "hold"),
                  ("Changes requested", "changes-requested"))
DEMO_NOTICE = ("Demo model: a small sketch model for trying the studio (64×64 croquis, not "
               "photographs). Add a real model (a diffusers folder or a .safetensors file) via Models…")
THUMB_STEP = 32


class MainWindow(StudioSessionMixin, CullingMixin, ReviewMixin, HelpMixin, ShotMenuMixin,
                 QMainWindow):
    def __init__(self, settings: Settings | None = None):
        super().__init__()
        self.setObjectName("MainWindow")
        self.settings = settings or Settings()
        self.person = self.settings.person()
        self.studio = None
        self.worker = None
        self.loupe = None
        self.applied_notes: list[tuple[int, list[int]]] = []  # (note id, its shot ids), oldest first
        self.undone_notes: list = []  # app.services.undo.UndoneNote, for redo
        self.writes = None  # app/ui/window/writes.Writes while a writable studio is open
        # What changed, published once; the board, the boards, the history and the counts
        # follow (app/services/events.py).
        self.events = Events()
        self.events.subscribe(self._on_change)
        self._watch = StudioWatch(self)
        self.setWindowTitle("Atelier")
        self.resize(1600, 1000)

        self.thumbs = ThumbnailCache(parent=self)
        self.board_model = BoardModel(self.thumbs, self)
        self.board_view = BoardView(thumb_size=self.settings.thumb_size())
        self.board_view.setModel(self.board_model)
        # The panels follow the current shot one event-loop turn later, in two short steps
        # (direction, then history): fast arrow keys coalesce, and no single event holds the
        # GUI thread for the whole update (see the heartbeat benchmark).
        self._current_timer = QTimer(self, singleShot=True, interval=0)
        self._current_timer.timeout.connect(self._show_current_shot)
        self._history_timer = QTimer(self, singleShot=True, interval=0)
        self._history_timer.timeout.connect(self.history_refresh)
        self.board_view.selectionModel().currentChanged.connect(self._on_current_shot)
        self.board_view.selectionModel().selectionChanged.connect(self._update_counts)
        self.board_view.doubleClicked.connect(lambda _i: self.open_loupe())
        self.board_view.setContextMenuPolicy(Qt.CustomContextMenu)
        self.board_view.customContextMenuRequested.connect(self._shot_menu_requested)

        self.boards_panel = BoardsPanel()
        self.boards_panel.board_selected.connect(self.show_board_id)
        self.boards_panel.message.connect(self.say)
        self.direction_panel = DirectionPanel()
        self.direction_panel.set_person(self.person)
        self.direction_panel.render_requested.connect(self.submit_job)
        self.direction_panel.message.connect(self.say)
        self.queue_panel = QueuePanel()
        self.queue_panel.job_finished.connect(self._on_job_finished)
        self.queue_panel.shots_stored.connect(self._on_job_finished)  # each image as it comes
        self.queue_panel.message.connect(self.say)
        self.history_panel = self._make_history_panel()

        self.central_stack = QStackedWidget()
        self.central_stack.addWidget(self._board_page())
        self.compare_page = None
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self._notice_bar())
        column.addWidget(self.central_stack, 1)
        self.setCentralWidget(central)

        self.docks = {}
        # The side panels run to the bottom; the queue sits under the board only (the
        # direction panel needs the height more than the queue needs the width).
        self.setCorner(Qt.BottomLeftCorner, Qt.LeftDockWidgetArea)
        self.setCorner(Qt.BottomRightCorner, Qt.RightDockWidgetArea)
        self._dock("boards", "Boards", self.boards_panel, Qt.LeftDockWidgetArea)
        self._dock("direction", "Direction", self.direction_panel, Qt.RightDockWidgetArea)
        if self.history_panel is not None:
            # Left, under the boards: navigation on the left, direction on the right.
            self._dock("history", "History", self.history_panel, Qt.LeftDockWidgetArea)
        self._dock("queue", "Render queue", self.queue_panel, Qt.BottomDockWidgetArea)

        self.actions = Actions(self)
        self.actions.build_menus(self.menuBar(), self._fill_recent_menu)
        for dock in self.docks.values():
            self.actions.view.addAction(dock.toggleViewAction())
        from app.ui.delivery import install as install_delivery

        install_delivery(self)  # Board → Export…, Contact sheet…; Studio → Verify; file drops
        from app.ui.talent import install as install_talent

        install_talent(self)  # the Talent dock, Board → Board use…, twin shots' consent marks
        self.person_label = plain_label()  # a person's name is their own text
        self.person_label.setObjectName("PersonLabel")
        self.count_label = plain_label()
        self.statusBar().addPermanentWidget(self.count_label)
        self.statusBar().addPermanentWidget(self.person_label)
        self._restore_layout()
        self.set_person(self.person)

    # -- construction helpers ------------------------------------------------------------
    def _make_history_panel(self):
        try:
            from app.ui.history.panel import HistoryPanel
        except ImportError:  # the history panel ships separately; the window works without it
            return None
        panel = HistoryPanel()
        panel.shot_activated.connect(self.go_to_shot)
        return panel

    def _dock(self, name: str, title: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock_{name}")
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetClosable
                         | QDockWidget.DockWidgetFloatable)
        self.addDockWidget(area, dock)
        self.docks[name] = dock
        return dock

    def _notice_bar(self) -> QFrame:
        self.notice = QFrame()
        self.notice.setObjectName("NoticeBar")
        self.notice_label = QLabel(DEMO_NOTICE)
        self.notice_label.setObjectName("DemoNotice")
        self.notice_label.setWordWrap(True)  # never the window's minimum width
        button = QPushButton("Models…")
        button.clicked.connect(self.open_models)
        row = QHBoxLayout(self.notice)
        row.setContentsMargins(10, 4, 10, 4)
        row.addWidget(self.notice_label, 1)
        row.addWidget(button)
        self.notice.hide()
        return self.notice

    def _board_page(self) -> QWidget:
        status, rating = self.settings.filters()
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("StatusFilter")
        for label, value in STATUS_FILTERS:
            self.status_filter.addItem(label, value)
        self.status_filter.setCurrentIndex(max(0, self.status_filter.findData(status or "")))
        self.rating_filter = QComboBox()
        self.rating_filter.setObjectName("RatingFilter")
        self.rating_filter.addItem("Any rating", 0)
        for n in range(1, 6):
            self.rating_filter.addItem("★" * n + " or more", n)
        self.rating_filter.setCurrentIndex(max(0, self.rating_filter.findData(rating or 0)))
        self.search_box = QLineEdit()
        self.search_box.setObjectName("SearchBox")
        self.search_box.setPlaceholderText("Search notes and prompts (Ctrl+F)")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setMinimumWidth(160)  # at 1280 px it was squeezed to "S…"
        for combo in (self.status_filter, self.rating_filter):
            combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(9)
        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search_box.textChanged.connect(self._search_timer.start)
        self.search_box.returnPressed.connect(self.apply_filters)
        self.status_filter.currentIndexChanged.connect(self.apply_filters)
        self.rating_filter.currentIndexChanged.connect(self.apply_filters)
        self.size_slider = QSlider(Qt.Horizontal)
        self.size_slider.setObjectName("ThumbSize")
        self.size_slider.setRange(THUMB_MIN, THUMB_MAX)
        self.size_slider.setValue(self.board_view.thumb_size)
        self.size_slider.setFixedWidth(100)
        self.size_slider.setToolTip("Thumbnail size (Ctrl+= / Ctrl+-)")
        self.size_slider.valueChanged.connect(self.set_thumb_size)
        self.generate_button = QPushButton("New shots…")
        self.generate_button.setObjectName("PrimaryButton")
        self.generate_button.setToolTip("Render new shots on this board from a prompt (Ctrl+G)")
        self.generate_button.clicked.connect(lambda: self.generate_dialog())
        bar = QHBoxLayout()
        bar.setContentsMargins(8, 6, 8, 6)
        bar.addWidget(self.generate_button)
        bar.addSpacing(8)
        bar.addWidget(self.status_filter)
        bar.addWidget(self.rating_filter)
        bar.addWidget(self.search_box, 1)
        bar.addSpacing(16)
        bar.addWidget(QLabel("Size"))
        bar.addWidget(self.size_slider)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.board_view, 1)
        return page

    # -- status and person ---------------------------------------------------------------
    def say(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)
        if self.loupe is not None and self.loupe.isVisible():
            self.loupe.flash(text)

    def set_person(self, person) -> None:
        self.person = person
        self.direction_panel.set_person(person)
        self.person_label.setText(f"Working: {person.label()}" if person else "Who is working? (Studio menu)")
        self.actions["approve_board"].setEnabled(bool(person and person.role == "art-director"))

    def change_person(self) -> None:
        from app.ui.dialogs.person import ask_person

        person = ask_person(self, self.person)
        if person is not None:
            self.settings.set_person(person)
            self.set_person(person)
            self.say(f"Now working: {person.label()}")

    # -- the board -----------------------------------------------------------------------
    def show_board_id(self, board_id: int) -> None:
        status, rating = self.filter_values()
        self.board_model.set_source(self.studio, board_id, status, rating, self.search_box.text())
        self.settings.set_last_board(board_id)
        self.show_board()
        if self.board_model.rowCount():
            self.board_view.select_id(self.board_model.shot_at(0).id)
        else:
            self._on_current_shot()
        self._update_counts()

    def filter_values(self) -> tuple[str | None, int | None]:
        # Combo data are never None: PySide6 6.12 loses a reference to None on the way back.
        return self.status_filter.currentData() or None, self.rating_filter.currentData() or None

    def apply_filters(self) -> None:
        self._search_timer.stop()
        status, rating = self.filter_values()
        self.settings.set_filters(status, rating)
        current = self.board_view.current_id()
        self.board_model.set_filters(status, rating, self.search_box.text())
        if current is None or not self.board_view.select_id(current):
            if self.board_model.rowCount():
                self.board_view.select_id(self.board_model.shot_at(0).id)
        self._update_counts()

    def focus_search(self) -> None:
        self.show_board()
        self.search_box.setFocus()
        self.search_box.selectAll()

    def set_thumb_size(self, size: int) -> None:
        size = max(THUMB_MIN, min(THUMB_MAX, int(size)))
        self.board_view.set_thumb_size(size)
        if self.size_slider.value() != size:
            self.size_slider.setValue(size)
        self.settings.set_thumb_size(size)

    def step_thumb_size(self, direction: int) -> None:
        self.set_thumb_size(self.board_view.thumb_size + direction * THUMB_STEP)

    @contextmanager
    def keeping_selection(self):
        """Run a model change (new rows, a reload) and put the selection back as it was."""
        current = self.board_view.current_id()
        selected = self.board_view.selected_ids()
        yield
        if current is not None and (self.board_view.current_id() != current
                                    or self.board_view.selected_ids() != selected):
            self.board_view.select_ids(selected or [current], current)

    def _update_counts(self, *_):
        model = self.board_model
        selected = len(self.board_view.selectionModel().selectedIndexes())
        text = f"{model.total} shots" if model.board_id is not None else ""
        if selected > 1:
            text += f" · {selected} selected"
        self.count_label.setText(text)

    def _on_current_shot(self, *_):
        self._current_timer.start()

    def _show_current_shot(self) -> None:
        shot_id = self.board_view.current_id()
        try:
            shot = repo.get_shot(self.studio, shot_id) if shot_id is not None else None
        except StoreError:  # gone meanwhile (an undone note, another process)
            shot = None
        self.direction_panel.set_shot(shot)
        self._history_timer.start()

    def history_refresh(self) -> None:
        if self.history_panel is not None:
            self.history_panel.set_shot(self.board_view.current_id())

    def go_to_shot(self, shot_id: int) -> None:
        """Select a shot anywhere in the studio, switching board (and clearing filters) if needed."""
        try:
            shot = repo.get_shot(self.studio, shot_id)
        except StoreError as exc:
            self.say(str(exc))
            return
        if self.boards_panel.current_board() != shot.board_id:
            self.boards_panel.select_board(shot.board_id)
        if not self.board_view.select_id(shot_id):
            self.search_box.clear()
            self.status_filter.setCurrentIndex(0)
            self.rating_filter.setCurrentIndex(0)
            self.apply_filters()
            self.board_view.select_id(shot_id)
        self.show_board()

    # -- rendering -------------------------------------------------------------------------
    def submit_job(self, job) -> str | None:
        if self.worker is None or not self._writable():
            return None
        job_id = self.queue_panel.submit(job)
        self.docks["queue"].show()
        self.say("Queued: " + ("“" + job.note.text + "”" if job.note else f"{job.count} new shot(s)"))
        return job_id

    def _on_job_finished(self, job_id: str, shot_ids: list) -> None:
        if not shot_ids or self.studio is None:
            return
        shot = repo.get_shot(self.studio, shot_ids[0])
        self.events.publish(ShotsAdded(shot.board_id, tuple(shot_ids), shot.note_id))
        self.say(f"{len(shot_ids)} new shot(s) on the board")

    # -- change events ---------------------------------------------------------------------
    def _on_change(self, event) -> None:
        """One place where every change reaches what shows it."""
        if self.studio is None:
            return
        if isinstance(event, ShotsChanged):
            for shot_id in event.ids:
                self.board_model.refresh_shot(shot_id)
        elif isinstance(event, ShotsAdded):
            self._add_shots(event)
        elif isinstance(event, ShotsRemoved):
            with self.keeping_selection():
                self.board_model.remove_ids(event.ids)
            self.applied_notes = [(n, ids) for n, ids in self.applied_notes
                                  if not set(ids) & set(event.ids)]
        elif isinstance(event, BoardsChanged):
            board = self.boards_panel.current_board()
            if event.external and board is not None:
                with self.keeping_selection():
                    self.board_model.reload()
            elif board is not None and event.board_id in (None, board):
                self.board_model.refresh_board_status()
        self.boards_panel.refresh()
        self._update_counts()
        self._history_timer.start()
        self._watch.seen()

    def _add_shots(self, event: ShotsAdded) -> None:
        shots = [repo.get_shot(self.studio, i) for i in event.ids]
        if event.note_id is not None:
            mine = next((ids for n, ids in self.applied_notes if n == event.note_id), None)
            if mine is None:
                self.applied_notes.append((event.note_id, [s.id for s in shots]))
            else:  # more images of the same job
                mine.extend(s.id for s in shots if s.id not in mine)
        had_current = self.board_view.current_id() is not None
        # The new shots go on top, but the selection (and so the shot a note being typed is
        # about) stays where the person put it: it never moves on its own.
        with self.keeping_selection():
            rows = self.board_model.insert_shots(shots)
        if rows and not had_current:  # nothing was selected: show the first new shot
            self.board_view.select_id(min(s.id for s in shots))
