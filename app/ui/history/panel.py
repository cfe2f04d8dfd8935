"""The history panel: how the selected shot came to be, what came of it, and every decision.

  Lineage      first shot → note → child → note → … → this shot (small thumbnails)
  Descendants  the shots made from this one, nested under their parents, with their notes
  Decisions    on this shot, then on its board: verdict, person, role, time, reason

Click or Enter on a shot, a note (the shot it produced) or a shot decision emits
`shot_activated(id)`; the window selects that shot. Everything is read through the store's
repository API (lineage, notes_of, decisions, get_board).
"""

from __future__ import annotations

import textwrap
from datetime import datetime

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPixmap
from PySide6.QtWidgets import QLabel, QStackedWidget, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from app.store import repo
from app.ui.dialogs.decision import STATUS_LABELS
from app.ui.compare.image_loader import read_image
from app.ui.history.lineage_path import edits_text
from app.ui.text import tip

SHOT_ROLE = Qt.UserRole  # item data: the shot id to activate, or None
KIND_ROLE = Qt.UserRole + 1  # "shot" | "note" | "decision" | "section" | "more"
ICON = 40
MAX_DESCENDANTS = 200
EMPTY_TEXT = "Select a shot to see its history: the notes that made it and every decision."
VERDICT_LABELS = {"approved": "Approved", "rejected": "Rejected", "hold": "On hold",
                  "changes-requested": "Changes requested"}
VERDICT_COLORS = {"approved": "#7fbf7f", "rejected": "#e07a7a", "hold": "#9aa7c0",
                  "changes-requested": "#e0b070"}
NOTE_COLOR = "#c9b48a"


def when(stamp: str) -> str:
    """'2026-11-23 17:40' in local time, from the store's ISO timestamp."""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return str(stamp)
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")


def wrap(text: str, width: int = 48, lines: int = 4, indent: str = "") -> str:
    """Wrapped by hand: a tree item's height is only right for explicit line breaks."""
    out = textwrap.wrap(text, width, max_lines=lines, placeholder=" …")
    return "\n".join(indent + line for line in out)


def decision_text(d) -> str:
    text = f"{VERDICT_LABELS.get(d.verdict, d.verdict)} — {d.person} ({d.role})\n{when(d.created_at)}"
    if d.reason:
        text += "\n" + wrap(f"“{d.reason}”")
    return text


class HistoryPanel(QWidget):
    shot_activated = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("historyPanel")
        self._studio = None
        self._shot_id: int | None = None
        self._icons: dict[str, QIcon] = {}
        self.tree = QTreeWidget()
        self.tree.setObjectName("historyTree")
        self.tree.setHeaderHidden(True)
        self.tree.setIconSize(QSize(ICON, ICON))
        self.tree.setIndentation(14)
        self.tree.setUniformRowHeights(False)
        self.tree.setTextElideMode(Qt.ElideRight)
        self.tree.setStyleSheet("QTreeWidget::item { padding: 3px 0; }")  # room between entries
        self.tree.setExpandsOnDoubleClick(False)
        self.tree.itemClicked.connect(self._activate)
        self.tree.itemActivated.connect(self._activate)
        self.empty = QLabel(EMPTY_TEXT)
        self.empty.setObjectName("emptyState")
        self.empty.setAlignment(Qt.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.tree)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    # --- public ----------------------------------------------------------------------
    def set_studio(self, studio) -> None:
        self._studio = studio
        self._icons.clear()
        self.set_shot(None)

    def set_shot(self, shot_id: int | None) -> None:
        self._shot_id = shot_id
        self.tree.clear()
        if self._studio is None or shot_id is None:
            self.empty.setText(EMPTY_TEXT)
            self.stack.setCurrentWidget(self.empty)
            return
        try:
            self._fill(int(shot_id))
        except Exception as exc:  # a shot deleted meanwhile, a damaged studio: say so
            self.tree.clear()
            self.empty.setText(f"The history of shot {shot_id} cannot be shown: {exc}")
            self.stack.setCurrentWidget(self.empty)
            return
        self.stack.setCurrentWidget(self.tree)

    def refresh(self) -> None:
        """Read again (after a decision or a new note)."""
        self.set_shot(self._shot_id)

    def shot_id(self) -> int | None:
        return self._shot_id

    def items(self, kind: str | None = None) -> list[QTreeWidgetItem]:
        """All items (of one kind), depth first: for tests and screenshots."""
        out = []

        def walk(item):
            for i in range(item.childCount()):
                child = item.child(i)
                if kind is None or child.data(0, KIND_ROLE) == kind:
                    out.append(child)
                walk(child)
        walk(self.tree.invisibleRootItem())
        return out

    # --- building --------------------------------------------------------------------
    def _fill(self, shot_id: int) -> None:
        studio = self._studio
        lin = repo.lineage(studio, shot_id, max_descendants=MAX_DESCENDANTS + 1)
        notes = {n.id: n for n in lin.notes}
        chain = lin.ancestors + [lin.shot]

        title = "Lineage" if len(chain) > 1 else "Lineage: a first shot (no note made it)"
        section = self._section(title)
        current = None
        for shot in chain:
            note = notes.get(shot.note_id) if shot.note_id is not None else None
            if shot is not chain[0]:
                self._note_item(section, note, shot.id)
            item = self._shot_item(section, shot, current=shot.id == shot_id)
            if shot.id == shot_id:
                current = item

        descendants = lin.descendants[:MAX_DESCENDANTS]
        if descendants:
            section = self._section(f"Descendants ({len(descendants)}"
                                    f"{'+' if len(lin.descendants) > MAX_DESCENDANTS else ''})")
            self._add_descendants(section, lin.shot, descendants)

        shot_decisions = repo.decisions(studio, shot_id=shot_id)
        section = self._section(f"Decisions on this shot ({len(shot_decisions)})")
        for d in reversed(shot_decisions):  # newest first
            self._decision_item(section, d, shot_id)
        if not shot_decisions:
            self._plain(section, "No decision yet.")

        board = repo.get_board(studio, lin.shot.board_id)
        board_decisions = [d for d in repo.decisions(studio, board_id=board.id) if d.shot_id is None]
        section = self._section(f"Decisions on the board “{board.name}” ({len(board_decisions)})")
        for d in reversed(board_decisions):
            self._decision_item(section, d, None)
        if not board_decisions:
            self._plain(section, "No decision on the board yet.")

        self.tree.expandAll()
        if current is not None:
            self.tree.setCurrentItem(current)
            self.tree.scrollToItem(current)

    def _add_descendants(self, section, root, descendants) -> None:
        by_id = {root.id: section}
        notes_by_parent: dict[int, dict] = {}
        for shot in descendants:  # breadth-first: a parent comes before its children
            parent_item = by_id.get(shot.parent_id, section)
            if shot.parent_id not in notes_by_parent:
                notes_by_parent[shot.parent_id] = {n.id: n for n in repo.notes_of(self._studio, shot.parent_id)}
            note = notes_by_parent[shot.parent_id].get(shot.note_id)
            item = self._shot_item(parent_item, shot, note=note)
            by_id[shot.id] = item

    def _section(self, title: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self.tree, [title])
        item.setData(0, KIND_ROLE, "section")
        item.setFlags(Qt.ItemIsEnabled)
        font = QFont(item.font(0))
        font.setBold(True)
        item.setFont(0, font)
        item.setForeground(0, QBrush(QColor("#9a9a9a")))
        return item

    def _plain(self, parent, text: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(parent, [text])
        item.setData(0, KIND_ROLE, "more")
        item.setFlags(Qt.ItemIsEnabled)
        item.setForeground(0, QBrush(QColor("#777")))
        return item

    def _shot_item(self, parent, shot, current=False, note=None) -> QTreeWidgetItem:
        text = f"#{shot.id} · seed {shot.seed} · {STATUS_LABELS.get(shot.status, shot.status)}"
        if shot.rating:
            text += " · " + "★" * shot.rating
        if note is not None:
            text += "\n" + wrap(f"“{note.text}” — {note.author} ({note.role})", lines=2)
        if current:
            text += "  ◀ this shot"
        item = QTreeWidgetItem(parent, [text])
        item.setData(0, SHOT_ROLE, shot.id)
        item.setData(0, KIND_ROLE, "shot")
        item.setIcon(0, self._icon(shot))
        item.setToolTip(0, tip(shot.prompt))
        if current:
            font = QFont(item.font(0))
            font.setBold(True)
            item.setFont(0, font)
        return item

    def _note_item(self, parent, note, made_shot_id: int) -> QTreeWidgetItem:
        if note is None:
            text = "↓ a variant (no note)"
        else:
            text = wrap(f"↓ “{note.text}” — {note.author} ({note.role}), {when(note.created_at)}",
                        lines=3)
            edits = edits_text(note)
            if edits:
                text += "\n" + wrap(edits, lines=3, indent="   ")
        item = QTreeWidgetItem(parent, [text])
        item.setData(0, SHOT_ROLE, made_shot_id)
        item.setData(0, KIND_ROLE, "note")
        item.setToolTip(0, tip(note.text) if note is not None else "")
        item.setForeground(0, QBrush(QColor(NOTE_COLOR)))
        return item

    def _decision_item(self, parent, decision, shot_id) -> QTreeWidgetItem:
        item = QTreeWidgetItem(parent, [decision_text(decision)])
        item.setToolTip(0, tip(decision.reason))
        item.setData(0, SHOT_ROLE, shot_id)
        item.setData(0, KIND_ROLE, "decision")
        item.setForeground(0, QBrush(QColor(VERDICT_COLORS.get(decision.verdict, "#ccc"))))
        return item

    def _icon(self, shot) -> QIcon:
        icon = self._icons.get(shot.image)
        if icon is None:
            image = read_image(self._studio.images.thumb_path(shot.image))
            if image.isNull():
                image = read_image(self._studio.images.path(shot.image))
            pixmap = QPixmap.fromImage(image.scaled(ICON, ICON, Qt.KeepAspectRatio,
                                                    Qt.SmoothTransformation)) if not image.isNull() else QPixmap()
            icon = QIcon(pixmap)
            icon.addPixmap(pixmap, QIcon.Selected)  # no selection tint over the picture
            self._icons[shot.image] = icon
        return icon

    # --- activation ------------------------------------------------------------------
    def _activate(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        shot_id = item.data(0, SHOT_ROLE)
        if shot_id is not None:
            # Deferred: the receiver may rebuild this tree, which must not happen inside
            # the tree's own click handling.
            QTimer.singleShot(0, lambda sid=int(shot_id): self.shot_activated.emit(sid))
