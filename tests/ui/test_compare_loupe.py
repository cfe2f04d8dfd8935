"""The loupe: full screen, steps with the arrows, keeps the zoom, closes on Esc/Space."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.ui.compare.loupe import Loupe


@pytest.fixture
def loupe(qtbot):
    widget = Loupe()
    qtbot.addWidget(widget)
    return widget


def test_shows_the_full_image_and_steps_with_arrows(qtbot, loupe, studio, family):
    shots = [family.root, family.child, family.sibling]
    loupe.set_shots(shots, 1, studio)
    loupe.show_shot(family.child, studio)
    assert loupe.isVisible() and loupe.current().id == family.child.id
    qtbot.waitUntil(loupe.image_ready, timeout=20_000)
    assert loupe.pane.image().size().width() == family.child.width
    with qtbot.waitSignal(loupe.current_changed) as signal:
        qtbot.keyClick(loupe, Qt.Key_Right)
    assert signal.args == [family.sibling.id]
    qtbot.keyClick(loupe, Qt.Key_Right)  # the last one: stays
    assert loupe.current().id == family.sibling.id
    qtbot.keyClick(loupe, Qt.Key_Left)
    qtbot.keyClick(loupe, Qt.Key_Left)
    assert loupe.current().id == family.root.id
    assert "1 / 3" in loupe.info.text()
    assert loupe.info.text().startswith("AI-generated")


def test_zoom_is_kept_while_stepping(qtbot, loupe, studio, family):
    loupe.set_shots([family.root, family.child], 0, studio)
    loupe.show_shot(family.root)
    qtbot.keyClick(loupe, Qt.Key_Z)  # 1–5 are ratings, as on the board
    assert loupe.pane.zoom() == 1.0
    qtbot.keyClick(loupe, Qt.Key_Plus)
    zoom = loupe.pane.zoom()
    qtbot.keyClick(loupe, Qt.Key_Right)
    assert loupe.pane.zoom() == pytest.approx(zoom) and zoom > 1.0
    qtbot.keyClick(loupe, Qt.Key_F)
    assert loupe.pane.is_fit()


@pytest.mark.parametrize("key", [Qt.Key_Escape, Qt.Key_Space])
def test_esc_and_space_close(qtbot, loupe, studio, family, key):
    loupe.show_shot(family.root, studio)
    with qtbot.waitSignal(loupe.closed, timeout=20_000):
        qtbot.keyClick(loupe, key)
    assert not loupe.isVisible()


def test_built_with_a_shot_and_shown_by_the_window(qtbot, studio, family):
    loupe = Loupe(family.child, studio)
    qtbot.addWidget(loupe)
    loupe.set_shots([family.root, family.child], 1)
    loupe.showFullScreen()
    assert loupe.current().id == family.child.id
    qtbot.keyClick(loupe, Qt.Key_Left)
    assert loupe.current().id == family.root.id
