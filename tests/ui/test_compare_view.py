"""The compare view: synchronised zoom, A/B flicker, difference, recipe diff and notes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QWheelEvent

from app.ui.compare.view import DIFF, EMPTY_TEXT, FLICKER, GRID, CompareView


@pytest.fixture
def view(qtbot):
    v = CompareView()
    qtbot.addWidget(v)
    v.resize(1000, 700)
    v.show()
    qtbot.waitExposed(v)
    return v


def _loaded(qtbot, view):
    qtbot.waitUntil(view.images_ready, timeout=20_000)


def _same(a: QImage, b: QImage) -> bool:
    fmt = QImage.Format_RGB32
    return a.convertToFormat(fmt) == b.convertToFormat(fmt)


def test_fewer_than_two_shots_show_the_empty_state(view, studio, family):
    view.set_shots([family.root], studio)
    assert view.stack.currentWidget() is view.empty
    assert view.empty.text() == EMPTY_TEXT


def test_two_shots_two_panes_four_shots_grid(view, studio, family):
    view.set_shots([family.root, family.child], studio)
    assert [p.isVisible() for p in view.grid_panes] == [True, True, False, False]
    view.set_shots([family.root, family.child, family.sibling, family.grandchild], studio)
    assert all(p.isVisible() for p in view.grid_panes)
    assert view.grid_panes[3].caption.text().startswith(f"D · #{family.grandchild.id}")


def test_wheel_on_pane_a_zooms_and_pans_pane_b(qtbot, view, studio, family):
    view.set_shots([family.root, family.child], studio)
    _loaded(qtbot, view)
    a, b = view.grid_panes[:2]
    before = b.transform().m11()
    pos = QPointF(a.viewport().width() * 0.25, a.viewport().height() * 0.3)
    wheel = QWheelEvent(pos, a.viewport().mapToGlobal(pos), QPoint(0, 0), QPoint(0, 240),
                        Qt.NoButton, Qt.NoModifier, Qt.NoScrollPhase, False)
    qtbot.mouseMove(a.viewport(), pos.toPoint())
    a.wheelEvent(wheel)
    assert a.transform().m11() == pytest.approx(before * 1.25 ** 2)
    assert b.transform().m11() == pytest.approx(a.transform().m11())
    assert (b.center() - a.center()).manhattanLength() < 3
    # the point under the cursor stayed under the cursor
    assert not a.is_fit() and not b.is_fit()


def test_drag_pan_on_a_moves_b(qtbot, view, studio, family):
    view.set_shots([family.root, family.child], studio)
    _loaded(qtbot, view)
    view.zoom_to(8.0)
    a, b = view.grid_panes[:2]
    start = b.center()
    middle = a.viewport().rect().center()
    qtbot.mousePress(a.viewport(), Qt.LeftButton, pos=middle)
    qtbot.mouseMove(a.viewport(), middle + QPoint(80, 40))
    qtbot.mouseMove(a.viewport(), middle + QPoint(160, 80))
    qtbot.mouseRelease(a.viewport(), Qt.LeftButton, pos=middle + QPoint(160, 80))
    assert (b.center() - start).manhattanLength() > 5
    assert (b.center() - a.center()).manhattanLength() < 3


def test_keys_fit_and_100_percent(qtbot, view, studio, family):
    view.set_shots([family.root, family.child], studio)
    qtbot.keyClick(view, Qt.Key_1)
    assert [p.transform().m11() for p in view.grid_panes[:2]] == [1.0, 1.0]
    qtbot.keyClick(view, Qt.Key_F)
    assert all(p.is_fit() for p in view.grid_panes[:2])
    assert view.grid_panes[0].transform().m11() > 1.0  # a 96 px picture fitted in a big pane


def test_tab_flickers_between_a_and_b(qtbot, view, studio, family):
    view.set_shots([family.root, family.sibling], studio)
    _loaded(qtbot, view)
    full_a, full_b = view._images[0], view._images[1]
    qtbot.keyClick(view, Qt.Key_Tab)
    assert view.mode() == FLICKER and view.showing() == 0
    assert _same(view.shown_image(), full_a)
    qtbot.keyClick(view, Qt.Key_Tab)
    assert view.showing() == 1 and _same(view.shown_image(), full_b)
    qtbot.keyClick(view, Qt.Key_Tab)
    assert view.showing() == 0 and _same(view.shown_image(), full_a)


def test_holding_b_shows_b_until_released(qtbot, view, studio, family):
    view.set_shots([family.root, family.sibling], studio)
    qtbot.keyPress(view, Qt.Key_B)
    assert view.mode() == FLICKER and view.showing() == 1
    qtbot.keyRelease(view, Qt.Key_B)
    assert view.showing() == 0
    qtbot.keyClick(view, Qt.Key_Escape)
    assert view.mode() == GRID


def test_flicker_keeps_the_zoom(qtbot, view, studio, family):
    view.set_shots([family.root, family.sibling], studio)
    view.zoom_to(3.0)
    qtbot.keyClick(view, Qt.Key_Tab)
    assert view.single.transform().m11() == pytest.approx(3.0)


def test_difference_of_identical_shots_is_black(qtbot, view, studio, family):
    view.set_shots([family.root, family.twin], studio)
    _loaded(qtbot, view)
    qtbot.keyClick(view, Qt.Key_D)
    assert view.mode() == DIFF
    diff = view.shown_image().convertToFormat(QImage.Format_RGB32)
    assert diff.size() == view._images[0].size()
    assert all(diff.pixel(x, y) & 0xFFFFFF == 0 for x in range(0, diff.width(), 7)
               for y in range(0, diff.height(), 7))
    assert "0.0% of pixels changed" in view.single.caption.text()


def test_difference_of_different_shots_shows_where(qtbot, view, studio, family):
    view.set_shots([family.root, family.sibling], studio)  # red vs blue background
    _loaded(qtbot, view)
    qtbot.keyClick(view, Qt.Key_D)
    diff = view.shown_image().convertToFormat(QImage.Format_RGB32)
    corner = diff.pixelColor(2, 2)
    middle = diff.pixelColor(diff.width() // 2, diff.height() // 2)  # same skin-tone disc
    assert corner.red() > 100 and corner.blue() > 100
    assert middle.red() == middle.green() == middle.blue() == 0
    qtbot.keyClick(view, Qt.Key_D)
    assert view.mode() == GRID


def test_recipes_highlight_what_differs(view, studio, family):
    view.set_shots([family.root, family.grandchild], studio)
    text = view.details_text()
    assert "smiling 1 → 1.1" in text and "+ airy hair" in text
    assert "red coat" in text and "Seed" in text


def test_note_path_from_parent_to_child(view, studio, family):
    view.set_shots([family.root, family.child], studio)
    text = view.details_text()
    assert f"From A (#{family.root.id}) to B (#{family.child.id})" in text
    assert "“smile a bit more” — Anna (stylist)" in text
    assert "expression: smiling 1 → 1.1" in text


def test_notes_from_the_common_ancestor(view, studio, family):
    view.set_shots([family.grandchild, family.sibling], studio)
    text = view.details_text()
    assert f"both come from #{family.root.id}" in text
    assert text.index("smile a bit more") < text.index("luchtiger") < text.index("coat blue")


def test_unrelated_shots_say_so(view, studio, family):
    view.set_shots([family.root, family.stranger], studio)
    assert "no note leads from one to the other" in view.details_text()


def test_escape_from_grid_asks_to_close(qtbot, view, studio, family):
    view.set_shots([family.root, family.child], studio)
    with qtbot.waitSignal(view.close_requested, timeout=20_000):
        qtbot.keyClick(view, Qt.Key_Escape)


def test_escape_is_claimed_from_window_shortcuts_only_outside_the_grid(qtbot, view, studio, family):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent

    def claimed(key) -> bool:
        event = QKeyEvent(QEvent.ShortcutOverride, key, Qt.NoModifier)
        event.ignore()
        view.event(event)
        return event.isAccepted()

    view.set_shots([family.root, family.child], studio)
    assert not claimed(Qt.Key_Escape)  # grid: the window's "back to the board" may have it
    assert claimed(Qt.Key_D) and claimed(Qt.Key_1)
    qtbot.keyClick(view, Qt.Key_Tab)
    assert claimed(Qt.Key_Escape)  # flicker: Esc first goes back to the grid
    qtbot.keyClick(view, Qt.Key_Escape)
    assert view.mode() == GRID


def test_a_missing_image_file_is_said_not_fatal(qtbot, view, studio, family):
    studio.images.path(family.stranger.image).unlink()
    view.set_shots([family.root, family.stranger], studio)
    qtbot.waitUntil(lambda: "cannot be read" in view.grid_panes[1].caption.text(), timeout=20_000)
    assert view.grid_panes[0].caption.text().startswith("A ·")
    qtbot.keyClick(view, Qt.Key_D)  # still works on what there is (the thumbnail)
    assert view.mode() == DIFF
