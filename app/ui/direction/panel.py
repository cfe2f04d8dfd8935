"""The direction panel: a shot's brief, and a note turned into visible edits before anything renders.

As the person types, the note is interpreted (debounced, ~150 ms) against the shot's brief;
the edits and the prompt before/after are shown; edits can be dropped or re-weighted; Apply
(Ctrl+Enter) asks the window to queue a RenderJob for the edited child brief. The expert
toggle swaps the note for the raw positive/negative prompt.
"""

from __future__ import annotations

import random

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QDoubleSpinBox, QFormLayout,
                               QFrame, QHBoxLayout, QHeaderView, QLabel, QPlainTextEdit,
                               QPushButton, QScrollArea, QSpinBox, QStackedWidget, QTableWidget,
                               QTableWidgetItem, QTextEdit, QToolButton, QVBoxLayout, QWidget)

from app.core.brief import Brief
from app.core.edits import apply_edits
from app.core.interpret import EmptyNote, interpret
from app.core.slots import SLOTS
from app.engine.jobs import RenderJob
from app.store.records import NoteDraft
from app.ui.direction.edits_table import EditsTable
from app.ui.direction.prompt_diff import diff_html
from app.ui.text import plain_label

DEBOUNCE_MS = 150
NOTE_HINT = "Type a direction, e.g. “smile a bit more” or “maak het haar wat luchtiger”"


def _section(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("SectionLabel")
    return label


def _terms_text(terms) -> str:
    return ", ".join(t.text if abs(t.weight - 1.0) < 1e-9 else f"{t.text} {t.weight:.2f}"
                     for t in terms)


class DirectionPanel(QWidget):
    render_requested = Signal(object)  # RenderJob
    message = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("DirectionPanel")
        self.shot = None
        self.person = None
        self.read_only = False
        self._interpretation = None
        self._brief: Brief | None = None
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self.preview)

        self.title = plain_label("No shot selected")  # the model name is the user's text
        self.title.setObjectName("PanelTitle")
        self.title.setWordWrap(True)
        self.brief_table = QTableWidget(0, 2)
        self.brief_table.setObjectName("BriefTable")
        self.brief_table.setHorizontalHeaderLabels(("Slot", "Terms"))
        self.brief_table.verticalHeader().setVisible(False)
        self.brief_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeToContents)
        self.brief_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.brief_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.brief_table.setSelectionMode(QAbstractItemView.NoSelection)
        self.brief_table.setWordWrap(True)
        self.brief_table.setMinimumHeight(72)

        self.expert = QToolButton(text="Expert: raw prompt", checkable=True)
        self.expert.setObjectName("ExpertToggle")
        self.expert.toggled.connect(self._toggle_expert)

        # note mode
        self.note_edit = QPlainTextEdit()
        self.note_edit.setObjectName("NoteEdit")
        self.note_edit.setPlaceholderText(NOTE_HINT)
        self.note_edit.setFixedHeight(64)
        self.note_edit.textChanged.connect(self._timer.start)
        self.note_message = plain_label("")
        self.note_message.setObjectName("MessageLabel")
        self.note_message.setWordWrap(True)
        self.edits_table = EditsTable()
        self.edits_table.changed.connect(self._show_prompts)
        self.edits_table.setMinimumHeight(72)
        self.before_view = QTextEdit(readOnly=True)
        self.after_view = QTextEdit(readOnly=True)
        for view in (self.before_view, self.after_view):
            view.setMinimumHeight(44)
            view.setMaximumHeight(90)
        note_page = QWidget()
        note_layout = QVBoxLayout(note_page)
        note_layout.setContentsMargins(0, 0, 0, 0)
        for w in (self.note_edit, self.note_message, _section("Edits"), self.edits_table,
                  _section("Prompt before"), self.before_view, _section("Prompt after"),
                  self.after_view):
            note_layout.addWidget(w)

        # expert mode
        self.raw_prompt = QPlainTextEdit()
        self.raw_prompt.setObjectName("RawPrompt")
        self.raw_negative = QPlainTextEdit()
        self.raw_negative.setObjectName("RawNegative")
        self.raw_negative.setFixedHeight(60)
        raw_page = QWidget()
        raw_layout = QVBoxLayout(raw_page)
        raw_layout.setContentsMargins(0, 0, 0, 0)
        for w in (_section("Positive prompt (compel or A1111 syntax)"), self.raw_prompt,
                  _section("Negative prompt"), self.raw_negative):
            raw_layout.addWidget(w)
        self.pages = QStackedWidget()
        self.pages.addWidget(note_page)
        self.pages.addWidget(raw_page)

        # render options
        self.count = QSpinBox(minimum=1, maximum=16, value=2)
        self.count.setToolTip("How many variants to render")
        self.new_seeds = QCheckBox("New seeds")
        self.new_seeds.setToolTip("Unticked: keep the parent's seed, so only the note changes the picture")
        self.img2img = QCheckBox("Start from this picture")
        self.strength = QDoubleSpinBox(minimum=0.05, maximum=1.0, singleStep=0.05, value=0.5)
        self.strength.setEnabled(False)
        self.img2img.toggled.connect(self.strength.setEnabled)
        options = QFormLayout()
        row = QHBoxLayout()
        row.addWidget(self.count)
        row.addWidget(self.new_seeds)
        row.addStretch(1)
        options.addRow("Variants", row)
        row2 = QHBoxLayout()
        row2.addWidget(self.img2img)
        row2.addWidget(QLabel("strength"))
        row2.addWidget(self.strength)
        row2.addStretch(1)
        options.addRow("Image", row2)
        self.apply_button = QPushButton("Apply and render  (Ctrl+Enter)")
        self.apply_button.setObjectName("PrimaryButton")
        self.apply_button.clicked.connect(self.apply)
        for seq in ("Ctrl+Return", "Ctrl+Enter"):
            # Window-wide: apply the note typed here while looking at the board too.
            sc = QShortcut(QKeySequence(seq), self, context=Qt.WindowShortcut)
            sc.activated.connect(self.apply)

        # The brief and the note scroll when the panel is short (a 1280×720 screen); the
        # render options and Apply stay in view below them.
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(_section("Brief"))
        body_layout.addWidget(self.brief_table, 2)
        head = QHBoxLayout()
        head.addWidget(_section("Direction"))
        head.addStretch(1)
        head.addWidget(self.expert)
        body_layout.addLayout(head)
        body_layout.addWidget(self.pages, 5)
        self.scroll = QScrollArea()
        self.scroll.setObjectName("DirectionScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.scroll.setWidget(body)
        self.scroll.setMinimumHeight(120)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(options)
        layout.addWidget(self.apply_button)
        self.set_shot(None)

    # -- inputs from the window --------------------------------------------------------
    def set_person(self, person) -> None:
        self.person = person

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self._update_apply()

    def set_shot(self, shot) -> None:
        """Show a shot (or nothing). Typed text stays, re-interpreted against the new brief."""
        self.shot = shot
        self._brief = Brief.from_dict(shot.brief) if shot is not None else None
        if shot is None:
            self.title.setText("No shot selected")
        else:
            self.title.setText(f"Shot #{shot.id} · seed {shot.seed} · {shot.width}×{shot.height}"
                               f" · {shot.steps} steps · {shot.model}")
        self._fill_brief()
        self.raw_prompt.setPlainText(shot.prompt if shot else "")
        self.raw_negative.setPlainText(shot.negative if shot else "")
        self.preview()

    def _fill_brief(self) -> None:
        rows = []
        if self._brief is not None:
            rows = [(slot, _terms_text(self._brief.slots.get(slot, [])))
                    for slot in SLOTS if self._brief.slots.get(slot)]
            if self._brief.negative:
                rows.append(("negative", _terms_text(self._brief.negative)))
        self.brief_table.setRowCount(len(rows))
        for r, (slot, text) in enumerate(rows):
            self.brief_table.setItem(r, 0, QTableWidgetItem(slot))
            self.brief_table.setItem(r, 1, QTableWidgetItem(text))
        self.brief_table.resizeRowsToContents()

    # -- live interpretation -----------------------------------------------------------
    def preview(self) -> None:
        """Interpret the note now (the debounce timer calls this; tests may too)."""
        self._timer.stop()
        text = self.note_edit.toPlainText().strip()
        self._interpretation = None
        if not text or self._brief is None:
            self.note_message.setText("" if text or self._brief is None else "")
            self.edits_table.set_edits([])
        else:
            try:
                self._interpretation = interpret(text, self._brief)
            except EmptyNote:
                self._interpretation = None
            result = self._interpretation
            if result is None:
                self.edits_table.set_edits([])
                self.note_message.setText("")
            elif not result.understood:
                self.edits_table.set_edits([])
                self.note_message.setText(result.message)
            else:
                self.edits_table.set_edits(result.edits)
                self.note_message.setText(result.message)
        self._show_prompts()

    def chosen_brief(self) -> Brief | None:
        if self._brief is None:
            return None
        return apply_edits(self._brief, self.edits_table.chosen())

    def _show_prompts(self) -> None:
        if self._brief is None:
            self.before_view.clear()
            self.after_view.clear()
        else:
            before, neg_before = self._brief.render()
            after, neg_after = self.chosen_brief().render()
            left, right = diff_html(before, after)
            if neg_before or neg_after:  # "no earrings" changes the negative prompt
                neg_left, neg_right = diff_html(neg_before, neg_after)
                label = '<div style="color:#8a8a8a;margin-top:6px;">Negative</div>'
                left, right = left + label + neg_left, right + label + neg_right
            self.before_view.setHtml(left)
            self.after_view.setHtml(right)
        self._update_apply()

    def _toggle_expert(self, on: bool) -> None:
        self.pages.setCurrentIndex(1 if on else 0)
        self._update_apply()

    def _update_apply(self) -> None:
        ok = self.shot is not None and not self.read_only
        if ok and not self.expert.isChecked():
            ok = bool(self._interpretation and self._interpretation.understood
                      and self.edits_table.chosen())
        self.apply_button.setEnabled(ok)

    # -- apply -------------------------------------------------------------------------
    def apply(self) -> None:
        if not self.apply_button.isEnabled() or self.shot is None:
            return
        if self.person is None:
            self.message.emit("Say who is working first (Studio → Who is working…)")
            return
        shot = self.shot
        note = None
        if self.expert.isChecked():
            brief = Brief.from_prompt(self.raw_prompt.toPlainText(), self.raw_negative.toPlainText())
        else:
            edits = self.edits_table.chosen()
            brief = apply_edits(self._brief, edits)
            note = NoteDraft(shot_id=shot.id, text=self.note_edit.toPlainText().strip(),
                             language=self._interpretation.language, author=self.person.name,
                             role=self.person.role, edits=[e.to_dict() for e in edits])
        seed = random.randrange(2**31) if self.new_seeds.isChecked() else shot.seed
        job = RenderJob(board_id=shot.board_id, brief=brief.to_dict(), seed=seed, steps=shot.steps,
                        guidance=shot.guidance, width=shot.width, height=shot.height,
                        count=self.count.value(), model=shot.model, scheduler=shot.scheduler,
                        parent_id=shot.id, note=note,
                        init_shot_id=shot.id if self.img2img.isChecked() else None,
                        strength=self.strength.value() if self.img2img.isChecked() else None)
        self.render_requested.emit(job)
        if note is not None:
            self.note_edit.clear()
