"""The photographer's compare view: 2-up or 4-up with synchronised zoom and pan, A/B
flicker, a difference view, the recipes side by side and the notes between the shots.

Keys (the view takes the keyboard focus when it gets shots):
  Tab      A/B flicker: the first press shows A alone, each further press swaps A and B
  B        hold to see B, release to see A again
  D        difference |A − B|, amplified; D again (or G) goes back to the grid
  G        back to the grid          F  fit          Z or 1  100%          + / −  zoom
  Esc      back to the grid, or, from the grid, `close_requested`
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (QGridLayout, QHBoxLayout, QLabel, QSplitter, QStackedWidget,
                               QTextBrowser, QToolButton, QVBoxLayout, QWidget)

from app.ui.history import lineage_path
from app.ui.dialogs.decision import STATUS_LABELS
from app.ui.compare.difference import difference
from app.ui.compare.image_loader import ImageLoader, read_image
from app.ui.compare.recipe_diff import diff_html, diff_recipes
from app.ui.compare.zoom_pane import WHEEL_STEP, ZoomGroup, ZoomPane
from app.ui.text import tip

LETTERS = "ABCD"
EMPTY_TEXT = "Select two to four shots and press Enter to compare"
GRID, FLICKER, DIFF = "grid", "flicker", "diff"
DOC_STYLE = ("th { color: #aab; font-weight: 600; text-align: left; }"
             " td.label { color: #99a; } p { margin: 4px 0; }")


def shot_caption(letter: str, shot) -> str:
    return f"{letter} · #{shot.id} · seed {shot.seed} · {STATUS_LABELS.get(shot.status, shot.status)}"


class CompareView(QWidget):
    close_requested = Signal()
    mode_changed = Signal(str)

    def __init__(self, parent=None, loader: ImageLoader | None = None):
        super().__init__(parent)
        self.setObjectName("compareView")
        self.setFocusPolicy(Qt.StrongFocus)
        self._shots: list = []
        self._studio = None
        self._images: list[QImage] = []  # best image at hand per shot (thumb, then full)
        self._full: list[bool] = []
        self._mode = GRID
        self._showing = 0  # index shown in flicker mode
        self._diff = None
        self._split_done = False
        self.loader = loader or ImageLoader(self)
        self.loader.loaded.connect(self._image_loaded)
        self.loader.failed.connect(self._image_failed)
        self.group = ZoomGroup(self)
        self.group.zoom_changed.connect(self._zoom_changed)

        self.grid_panes = [ZoomPane() for _ in range(4)]
        self.single = ZoomPane()
        for pane in [*self.grid_panes, self.single]:
            self.group.add(pane)

        self._build()

    # --- layout ----------------------------------------------------------------------
    def _build(self) -> None:
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 4, 6, 4)
        self.mode_buttons = {}
        for mode, text, keys in ((GRID, "Side by side", "G"), (FLICKER, "A/B flicker", "Tab, hold B"),
                                (DIFF, "Difference", "D")):
            button = QToolButton(text=text, checkable=True, autoExclusive=True)
            button.setObjectName(f"compareMode_{mode}")
            button.setToolTip(f"{text} ({keys})")
            button.setFocusPolicy(Qt.NoFocus)
            button.clicked.connect(lambda _=False, m=mode: self.set_mode(m))
            bar.addWidget(button)
            self.mode_buttons[mode] = button
        bar.addStretch(1)
        for text, keys, slot in (("Fit", "F", self.fit), ("100%", "1", lambda: self.zoom_to(1.0))):
            button = QToolButton(text=text)
            button.setToolTip(f"{text} ({keys})")
            button.setFocusPolicy(Qt.NoFocus)
            button.clicked.connect(slot)
            bar.addWidget(button)
        self.zoom_label = QLabel("Fit")
        self.zoom_label.setObjectName("compareZoom")
        self.zoom_label.setMinimumWidth(48)
        bar.addWidget(self.zoom_label)

        self.empty = QLabel(EMPTY_TEXT)
        self.empty.setObjectName("emptyState")
        self.empty.setAlignment(Qt.AlignCenter)
        self.empty.setWordWrap(True)
        grid_page = QWidget()
        self.grid = QGridLayout(grid_page)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(2)
        for i, pane in enumerate(self.grid_panes):
            self.grid.addWidget(pane, i // 2, i % 2)
        self.stack = QStackedWidget()
        for page in (self.empty, grid_page, self.single):
            self.stack.addWidget(page)

        self.notes = self._browser("compareNotes")
        self.recipes = self._browser("compareRecipes")
        self.details = QSplitter(Qt.Horizontal)
        self.details.addWidget(self.notes)
        self.details.addWidget(self.recipes)
        self.details.setStretchFactor(0, 1)
        self.details.setStretchFactor(1, 2)

        self.splitter = QSplitter(Qt.Vertical)
        self.splitter.addWidget(self.stack)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.toolbar = QWidget()
        self.toolbar.setObjectName("compareToolbar")
        self.toolbar.setLayout(bar)
        # the mode in use must read at a glance; the window's style sheet has no :checked look
        self.toolbar.setStyleSheet("QToolButton:checked { background: #4a3f2c;"
                                   " border-color: #c9a36a; color: #f0e2c8; }")
        layout.addWidget(self.toolbar)
        layout.addWidget(self.splitter, 1)
        self._show_empty()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        # Pictures first: two thirds of the height, once; afterwards the person's split stays.
        if not self._split_done and self.splitter.height() > 300:
            self._split_done = True
            height = self.splitter.height()
            self.splitter.setSizes([height * 2 // 3, height - height * 2 // 3])

    @staticmethod
    def _browser(name: str) -> QTextBrowser:
        browser = QTextBrowser()
        browser.setObjectName(name)
        browser.setFocusPolicy(Qt.NoFocus)  # the keys belong to the compare view
        browser.setOpenLinks(False)
        browser.document().setDefaultStyleSheet(DOC_STYLE)
        return browser

    # --- content ---------------------------------------------------------------------
    def shots(self) -> list:
        return list(self._shots)

    def set_shots(self, shots: list, studio) -> None:
        """Compare up to four shots (the first is A); fewer than two shows the empty state."""
        shots = list(shots)[:4]
        self._studio = studio
        self._shots = shots if len(shots) >= 2 else []
        self._diff = None
        if not self._shots:
            self._show_empty()
            return
        self._images, self._full = [], []
        for shot in self._shots:
            image, full = self._best_image(shot)
            self._images.append(image)
            self._full.append(full)
        rows = 1 if len(self._shots) == 2 else 2
        for i, pane in enumerate(self.grid_panes):
            visible = i < len(self._shots)
            pane.setVisible(visible)
            if visible:
                pane.set_caption(shot_caption(LETTERS[i], self._shots[i]))
                self._put(pane, i)
            else:
                pane.clear()
        for r in range(2):
            self.grid.setRowStretch(r, 1 if r < rows else 0)
        self.toolbar.setEnabled(True)
        self._mode = None
        self.set_mode(GRID)
        self.group.fit_all()
        self._show_recipes()
        self.setFocus(Qt.OtherFocusReason)

    def _paths(self, shot):
        images = self._studio.images
        return images.path(shot.image), images.thumb_path(shot.image)

    def _best_image(self, shot) -> tuple[QImage, bool]:
        """The full image if cached, else the thumbnail now and the full one later."""
        full_path, thumb_path = self._paths(shot)
        image = self.loader.request(full_path)
        if image is not None:
            return image, True
        thumb = read_image(thumb_path)
        return thumb, False

    def _put(self, pane: ZoomPane, index: int) -> None:  # thumbnail or full image
        shot = self._shots[index]
        pane.set_image(self._images[index], QSize(shot.width, shot.height))

    def _image_loaded(self, path: str, image: QImage) -> None:
        for i, shot in enumerate(self._shots):
            if str(self._paths(shot)[0]) == path:
                self._images[i], self._full[i] = image, True
                self._put(self.grid_panes[i], i)
                if self._mode == FLICKER and self._showing == i:
                    self._put(self.single, i)
                if i < 2:
                    self._diff = None
                    if self._mode == DIFF:
                        self._show_difference()

    def _image_failed(self, path: str, message: str) -> None:
        for i, shot in enumerate(self._shots):
            if str(self._paths(shot)[0]) == path:
                self.grid_panes[i].set_caption(f"{shot_caption(LETTERS[i], shot)} · "
                                               "the full image cannot be read")
                self.grid_panes[i].caption.setToolTip(tip(message))

    def images_ready(self) -> bool:
        """True once every shot shows its full image (tests, screenshots)."""
        return bool(self._full) and all(self._full)

    def _show_empty(self) -> None:
        self._shots = []
        self._mode = GRID
        self.stack.setCurrentWidget(self.empty)
        self.notes.clear()
        self.recipes.clear()
        self.toolbar.setEnabled(False)
        for pane in [*self.grid_panes, self.single]:
            pane.clear()

    # --- modes -----------------------------------------------------------------------
    def mode(self) -> str:
        return self._mode

    def showing(self) -> int:
        """Index of the shot the single pane shows in flicker mode (0 = A, 1 = B)."""
        return self._showing

    def set_mode(self, mode: str) -> None:
        if not self._shots:
            return
        leader = self._visible_pane()
        previous = self._mode
        self._mode = mode
        self.mode_buttons[mode].setChecked(True)
        if mode == GRID:
            self.stack.setCurrentIndex(1)
        else:
            if mode == FLICKER:
                self._flick(self._showing)
            else:
                self._show_difference()
            self.stack.setCurrentWidget(self.single)
        if leader is not None and previous is not None:
            self.group.sync_from(leader)  # the newly shown pane takes the old one's view
        if previous != mode:
            self.mode_changed.emit(mode)

    def _visible_pane(self) -> ZoomPane | None:
        if not self._shots:
            return None
        return self.grid_panes[0] if self.stack.currentIndex() == 1 else self.single

    def _flick(self, index: int) -> None:
        self._showing = index
        self._put(self.single, index)
        self.single.set_caption(shot_caption(LETTERS[index], self._shots[index]))

    def flicker(self) -> None:
        """Tab: enter A/B flicker, or swap A and B when already in it."""
        if self._mode != FLICKER:
            self._showing = 0
            self.set_mode(FLICKER)
        else:
            self._flick(1 - self._showing)

    def hold_b(self, held: bool) -> None:
        if self._mode != FLICKER:
            self.set_mode(FLICKER)
        self._flick(1 if held else 0)

    def shown_image(self) -> QImage:
        """What the single pane shows (flicker or difference)."""
        return self.single.image()

    def difference_image(self) -> QImage:
        self._ensure_difference()
        return self._diff.image

    def _ensure_difference(self) -> None:
        if self._diff is None:
            self._diff = difference(self._images[0], self._images[1])

    def _show_difference(self) -> None:
        self._ensure_difference()
        shot = self._shots[0]
        self.single.set_image(self._diff.image, QSize(shot.width, shot.height))
        self.single.set_caption(f"|A − B| ×{self._diff.gain:.0f} · {self._diff.changed:.1%} of pixels "
                                f"changed · mean {self._diff.mean:.1f}/255")

    # --- zoom ------------------------------------------------------------------------
    def fit(self) -> None:
        self.group.fit_all()

    def zoom_to(self, level: float) -> None:
        self.group.zoom_all(level, self._visible_pane())

    def zoom_step(self, factor: float) -> None:
        self.group.zoom_step(factor, self._visible_pane())

    def _zoom_changed(self, level: float) -> None:
        pane = self._visible_pane()
        fit = pane is not None and pane.is_fit()
        self.zoom_label.setText(f"Fit {level:.0%}" if fit else f"{level:.0%}")

    # --- recipes and notes -----------------------------------------------------------
    def _show_recipes(self) -> None:
        diff = diff_recipes(self._shots)
        headers = [f"{LETTERS[i]} · #{s.id}" for i, s in enumerate(self._shots)]
        names = {s.id: LETTERS[i] for i, s in enumerate(self._shots)}
        notes = []
        try:
            for i in range(1, len(self._shots)):
                path = lineage_path.note_path(self._studio, self._shots[0].id, self._shots[i].id)
                notes.append(lineage_path.path_html(path, names))
        except Exception as exc:  # the history is a help here, never a reason to fail
            notes.append(f"<p>The notes could not be read: {html.escape(str(exc))}</p>")
        self.notes.setHtml("<h4>The notes between them</h4>" + "".join(notes))
        self.recipes.setHtml("<h4>Recipes: what differs from A</h4>" + diff_html(diff, headers))

    def details_text(self) -> str:
        """The notes and the recipes as plain text (tests, accessibility)."""
        return self.notes.toPlainText() + "\n" + self.recipes.toPlainText()

    # --- keyboard --------------------------------------------------------------------
    OWN_KEYS = (Qt.Key_B, Qt.Key_D, Qt.Key_G, Qt.Key_F, Qt.Key_1, Qt.Key_Z, Qt.Key_Plus,
                Qt.Key_Equal, Qt.Key_Minus)
    # For the keyboard sheet (Help → Keyboard shortcuts).
    KEYS = (("Tab", "A/B flicker: A alone, then swap A and B"), ("B (hold)", "see B"),
            ("D", "difference |A − B|"), ("G", "back to the grid"), ("F", "fit"),
            ("Z or 1", "100 %"), ("+ / −, wheel", "zoom (all panes together)"),
            ("Esc", "back to the grid, then to the board"))

    def event(self, event) -> bool:
        # Tab would move the focus before keyPressEvent sees it: take it here.
        if event.type() == QEvent.KeyPress and event.key() == Qt.Key_Tab and self._shots:
            self.flicker()
            return True
        # A window-wide shortcut (Esc = back to the board) must not pre-empt our keys:
        # Esc leaves flicker/difference first, and only from the grid goes to the window.
        if event.type() == QEvent.ShortcutOverride and self._shots and (
                event.key() in self.OWN_KEYS and not event.modifiers() & ~Qt.KeypadModifier
                or event.key() == Qt.Key_Escape and self._mode != GRID):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:
        key = event.key()
        if not self._shots:
            if key == Qt.Key_Escape:
                self.close_requested.emit()
                return
            super().keyPressEvent(event)
            return
        if key == Qt.Key_B:
            if not event.isAutoRepeat():
                self.hold_b(True)
        elif key == Qt.Key_D:
            self.set_mode(GRID if self._mode == DIFF else DIFF)
        elif key == Qt.Key_G:
            self.set_mode(GRID)
        elif key == Qt.Key_F:
            self.fit()
        elif key in (Qt.Key_1, Qt.Key_Z):  # Z as in the loupe, where 1–5 are ratings
            self.zoom_to(1.0)
        elif key in (Qt.Key_Plus, Qt.Key_Equal):
            self.zoom_step(WHEEL_STEP)
        elif key == Qt.Key_Minus:
            self.zoom_step(1 / WHEEL_STEP)
        elif key == Qt.Key_Escape:
            if self._mode != GRID:
                self.set_mode(GRID)
            else:
                self.close_requested.emit()
        else:
            super().keyPressEvent(event)

    def keyReleaseEvent(self, event) -> None:
        if event.key() == Qt.Key_B and not event.isAutoRepeat() and self._shots:
            self.hold_b(False)
            return
        super().keyReleaseEvent(event)
