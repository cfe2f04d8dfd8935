"""The history panel: lineage with notes, descendants, decisions, and jumping to a shot."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.store import repo
from app.ui.history.panel import EMPTY_TEXT, SHOT_ROLE, HistoryPanel


@pytest.fixture
def panel(qtbot, studio):
    p = HistoryPanel()
    qtbot.addWidget(p)
    p.resize(420, 700)
    p.show()
    p.set_studio(studio)
    return p


def texts(panel, kind):
    return [item.text(0) for item in panel.items(kind)]


def test_empty_until_a_shot_is_chosen(panel):
    assert panel.stack.currentWidget() is panel.empty
    assert panel.empty.text() == EMPTY_TEXT


def test_lineage_is_the_path_of_notes_from_the_first_shot(panel, family):
    panel.set_shot(family.grandchild.id)
    lineage = panel.tree.topLevelItem(0)
    rows = [lineage.child(i) for i in range(lineage.childCount())]
    kinds = [r.data(0, Qt.UserRole + 1) for r in rows]
    assert kinds == ["shot", "note", "shot", "note", "shot"]
    assert [r.data(0, SHOT_ROLE) for r in rows] == [
        family.root.id, family.child.id, family.child.id, family.grandchild.id, family.grandchild.id]
    assert "smile a bit more" in rows[1].text(0) and "Anna (stylist)" in rows[1].text(0)
    assert "expression: smiling 1 → 1.1" in rows[1].text(0)
    assert "maak het haar wat luchtiger" in rows[3].text(0) and "Bram" in rows[3].text(0)
    assert "this shot" in rows[4].text(0) and not rows[4].icon(0).isNull()
    assert panel.tree.currentItem() is rows[4]


def test_descendants_nest_under_their_parents(panel, family):
    panel.set_shot(family.root.id)
    section = panel.tree.topLevelItem(1)
    assert section.text(0).startswith("Descendants (3)")
    children = {section.child(i).data(0, SHOT_ROLE) for i in range(section.childCount())}
    assert children == {family.child.id, family.sibling.id}
    child_item = next(section.child(i) for i in range(section.childCount())
                      if section.child(i).data(0, SHOT_ROLE) == family.child.id)
    assert child_item.child(0).data(0, SHOT_ROLE) == family.grandchild.id
    assert "luchtiger" in child_item.child(0).text(0)


def test_decisions_with_person_role_time_and_reason(panel, studio, family):
    repo.decide(studio, "changes-requested", "Clara", "art-director", "the smile looks forced",
                shot_id=family.child.id)
    repo.decide(studio, "approved", "Pim", "photographer", None, shot_id=family.child.id)
    repo.decide(studio, "rejected", "Clara", "art-director", "not this one", shot_id=family.sibling.id)
    repo.decide(studio, "hold", "Clara", "art-director", "wait for the blue coat",
                board_id=family.board.id)
    panel.set_shot(family.child.id)
    decisions = texts(panel, "decision")
    assert len(decisions) == 3  # two on the shot (newest first), one on the board; not the sibling's
    assert decisions[0].startswith("Approved — Pim (photographer)")
    assert decisions[1].startswith("Changes requested — Clara (art-director)")
    assert "“the smile looks forced”" in decisions[1]
    assert decisions[2].startswith("On hold — Clara (art-director)") and "blue coat" in decisions[2]
    assert all(any(ch.isdigit() for ch in d.splitlines()[1]) for d in decisions)  # the time
    board_section = panel.tree.topLevelItem(panel.tree.topLevelItemCount() - 1)
    assert "Spring look" in board_section.text(0)


def test_click_on_a_shot_emits_its_id(qtbot, panel, family):
    panel.set_shot(family.grandchild.id)
    root_item = panel.tree.topLevelItem(0).child(0)
    rect = panel.tree.visualItemRect(root_item)
    with qtbot.waitSignal(panel.shot_activated, timeout=20_000) as signal:
        qtbot.mouseClick(panel.tree.viewport(), Qt.LeftButton, pos=rect.center())
    assert signal.args == [family.root.id]


def test_enter_on_a_note_emits_the_shot_it_made(qtbot, panel, family):
    panel.set_shot(family.grandchild.id)
    note_item = panel.tree.topLevelItem(0).child(1)
    panel.tree.setFocus()
    panel.tree.setCurrentItem(note_item)
    with qtbot.waitSignal(panel.shot_activated, timeout=20_000) as signal:
        qtbot.keyClick(panel.tree, Qt.Key_Return)
    assert signal.args == [family.child.id]


def test_sections_do_not_emit(qtbot, panel, family):
    panel.set_shot(family.child.id)
    section = panel.tree.topLevelItem(0)
    with qtbot.assertNotEmitted(panel.shot_activated, wait=100):
        panel.tree.itemClicked.emit(section, 0)


def test_a_missing_shot_says_so(panel):
    panel.set_shot(999)
    assert panel.stack.currentWidget() is panel.empty
    assert "999" in panel.empty.text()
    panel.set_shot(None)
    assert panel.empty.text() == EMPTY_TEXT
