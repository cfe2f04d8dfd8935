"""Culling in the loupe (issue 10): the board's keys work there, with auto-advance after a
verdict, and 1–5 are ratings as on the board (Z is 100 %)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.store import repo
from tests.ui.conftest import settle


def _open_loupe(window, qtbot, row: int = 0):
    window.board_view.select_id(window.board_model.shot_at(row).id)
    window.open_loupe()
    loupe = window.loupe
    assert loupe is not None and loupe.isVisible()
    return loupe


def test_p_in_the_loupe_approves_the_shot_shown_and_moves_to_the_next(window, qtbot):
    loupe = _open_loupe(window, qtbot, 0)
    first = loupe.current().id
    qtbot.keyClick(loupe, Qt.Key_P)
    settle(qtbot, window)
    assert repo.get_shot(window.studio, first).status == "approved"
    qtbot.waitUntil(lambda: loupe.current().id != first)
    assert loupe.current().id == window.board_model.shot_at(1).id
    assert window.board_view.current_id() == loupe.current().id  # the board follows
    loupe.step(-1)
    assert "Approved" in loupe.info.text() and loupe.badge.text() == "APPROVED"
    loupe.close()


def test_number_keys_rate_in_the_loupe_and_z_is_100_percent(window, qtbot):
    loupe = _open_loupe(window, qtbot, 2)
    shown = loupe.current().id
    qtbot.keyClick(loupe, Qt.Key_4)
    settle(qtbot, window)
    assert repo.get_shot(window.studio, shown).rating == 4
    assert loupe.current().id == shown  # a rating does not advance
    qtbot.waitUntil(lambda: "★★★★" in loupe.info.text())
    qtbot.keyClick(loupe, Qt.Key_Z)
    assert loupe.pane.zoom() == 1.0
    qtbot.keyClick(loupe, Qt.Key_0)
    settle(qtbot, window)
    assert repo.get_shot(window.studio, shown).rating is None
    loupe.close()


def test_a_stylist_cannot_approve_from_the_loupe_either(window, qtbot):
    from app.ui.window.settings import Person

    window.set_person(Person("Lena", "stylist"))
    loupe = _open_loupe(window, qtbot, 0)
    shown = loupe.current().id
    qtbot.keyClick(loupe, Qt.Key_P)
    settle(qtbot, window)
    assert repo.get_shot(window.studio, shown).status == "new"
    assert loupe.current().id == shown
    assert "art director" in window.statusBar().currentMessage().lower()
    qtbot.keyClick(loupe, Qt.Key_H)  # hold is everyone's
    settle(qtbot, window)
    assert repo.get_shot(window.studio, shown).status == "hold"
    loupe.close()


def test_reject_in_the_loupe_asks_for_the_reason(window, qtbot, monkeypatch):
    from app.ui.dialogs import decision

    monkeypatch.setattr(decision, "ask_reason", lambda parent, verdict: "pose too stiff")
    loupe = _open_loupe(window, qtbot, 1)
    shown = loupe.current().id
    qtbot.keyClick(loupe, Qt.Key_X)
    settle(qtbot, window)
    (last,) = [d for d in repo.decisions(window.studio, shot_id=shown)]
    assert last.verdict == "rejected" and last.reason == "pose too stiff"
    loupe.close()
