"""The board measures its twin shots' likeness off the GUI thread: a badge per shot and
the board's consistency (median and worst distance), with portraits packages ship."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PIL import Image
from PySide6.QtCore import Qt

from app.services import talent as talent_service
from app.store import repo
from app.talent import enforce
from app.talent import repo as talent_repo
from tests.talent.conftest import package_file
from tests.ui.conftest import shot_drafts

pytest.importorskip("dlib")


def _picture(package, *parts, size=None):
    with Image.open(package_file(package, *parts)) as img:
        img = img.convert("RGB")
    return img.resize(size) if size else img


def twin_board(studio):
    """A board with three twin shots of Mila: her own portrait (resized and mirrored),
    another person's portrait, and a picture with no face."""
    astronaut = _picture("skimage", "data", "astronaut.png")
    board = repo.create_board(studio, "Acme twins")
    talent_repo.set_board_use(studio, board.id, "Acme", "ecommerce", "EU")
    talent_repo.add_talent(studio, "Mila", "Elite", [package_file("skimage", "data", "astronaut.png")])
    today = date.today()
    talent_repo.grant_consent(studio, "Mila", "Acme", "ecommerce", "EU", (today - timedelta(days=1)).isoformat(),
                              (today + timedelta(days=30)).isoformat(), "10", "EUR", "render")
    images = [astronaut.resize((384, 384)).transpose(Image.FLIP_LEFT_RIGHT),
              _picture("matplotlib", "mpl-data", "sample_data", "grace_hopper.jpg"),
              _picture("skimage", "data", "coffee.png")]
    grant = enforce.authorize(studio, board.id, "Mila", "render")
    shots = repo.add_shots(studio, shot_drafts(board.id, 3), images, after=enforce.recorder(grant))
    return board, [s.id for s in shots]


def test_board_likeness_tells_the_same_person_another_and_no_face(studio):
    board, (same, other, none) = twin_board(studio)
    found = talent_service.board_likeness(studio, board.id)
    assert found[same].same_person and found[same].distance < 0.6
    assert found[other].face_found and not found[other].same_person
    assert not found[none].face_found
    again = talent_service.board_likeness(studio, board.id, known={same: found[same]})
    assert again[same] is found[same]  # what was measured is not measured again


def test_the_board_shows_likeness_badges_and_its_consistency(qtbot, studio_dir, person_settings):
    from app.store.db import open_studio
    from app.ui.window.main_window import MainWindow

    with open_studio(studio_dir) as studio:
        board, (same, other, none) = twin_board(studio)
    win = MainWindow(person_settings)
    qtbot.addWidget(win)
    assert win.open_studio(studio_dir, ask=False)
    win.show_board_id(board.id)
    hooks = win.talent
    qtbot.waitUntil(lambda: "median" in hooks.likeness_label.text(), timeout=60_000)
    model = win.board_model
    assert set(model.likeness) == {same, other, none}
    assert "2 of 3 faces" in hooks.likeness_label.text()
    worst = model.likeness[other].distance
    assert f"worst {worst:.2f}" in hooks.likeness_label.text()
    tip_same = model.data(model.index(model.row_of(same)), Qt.ToolTipRole)
    tip_other = model.data(model.index(model.row_of(other)), Qt.ToolTipRole)
    assert "the same person" in tip_same and "NOT the same person" in tip_other
    assert "no face found" in model.data(model.index(model.row_of(none)), Qt.ToolTipRole)
    win.grab()  # the badges paint
    win.close()


def test_closing_the_studio_waits_for_the_likeness_thread(qtbot, studio_dir, person_settings, monkeypatch):
    import time

    from app.store.db import open_studio
    from app.ui.window.main_window import MainWindow

    with open_studio(studio_dir) as studio:
        board, _ = twin_board(studio)
    seen = {}

    def slow(studio, board_id, known=None, cancelled=lambda: False):
        seen["started"] = True
        deadline = time.monotonic() + 20
        while not cancelled() and time.monotonic() < deadline:
            time.sleep(0.01)
        seen["read_after_cancel"] = enforce.twin_shots(studio, board_id)  # the studio is still open
        seen["done"] = True
        return {}

    monkeypatch.setattr(talent_service, "board_likeness", slow)
    win = MainWindow(person_settings)
    qtbot.addWidget(win)
    assert win.open_studio(studio_dir, ask=False)
    win.show_board_id(board.id)
    qtbot.waitUntil(lambda: seen.get("started"), timeout=10_000)
    win.close_studio()
    assert seen.get("done") and len(seen["read_after_cancel"]) == 3
    win.close()
