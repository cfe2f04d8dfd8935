"""UI test setup: settings in a temporary folder per test, a studio with a few shots, and
a window on it (with someone working, so no dialog asks)."""

from __future__ import annotations

import uuid

import pytest
from PIL import Image

from app.store import repo
from app.store.db import open_studio
from app.store.records import ShotDraft


@pytest.fixture(autouse=True)
def ui_settings(tmp_path, qapp, monkeypatch):
    """QSettings under tmp_path, with an organisation name of its own (never the user's);
    the log folder too (app/logs.py reads ATELIER_LOG_DIR)."""
    from app.ui.window.settings import use_settings_dir

    monkeypatch.setenv("ATELIER_LOG_DIR", str(tmp_path / "logs"))
    use_settings_dir(tmp_path / "settings", organization=f"AtelierTest-{uuid.uuid4().hex[:8]}")
    yield tmp_path / "settings"


def shot_drafts(board_id: int, n: int, prompt: str = "a model in a red coat, smiling", size=64):
    from app.core.brief import Brief
    from app.core.term import Term

    terms = [t.strip() for t in prompt.split(",") if t.strip()]
    brief = Brief({"subject": [Term(terms[0])], "expression": [Term(t) for t in terms[1:]]},
                  [Term("blurry")])
    positive, negative = brief.render()
    return [ShotDraft(board_id=board_id, brief=brief.to_dict(), prompt=positive, negative=negative,
                      model="demo", model_hash="0" * 16, seed=1000 + i, steps=2, guidance=5.0,
                      width=size, height=size, scheduler=None) for i in range(n)]


def colour_images(n: int, size=64):
    return [Image.new("RGB", (size, size), ((37 * i) % 256, (91 * i) % 256, (53 * i) % 256))
            for i in range(n)]


def add_plain_shots(studio, board_id: int, n: int, prompt: str = "a model in a red coat, smiling"):
    """Shots with solid-colour pictures, written through the store's API (no rendering)."""
    return repo.add_shots(studio, shot_drafts(board_id, n, prompt), colour_images(n))


@pytest.fixture
def filled_studio(studio_dir):
    """A studio folder with board "Look 1" holding 6 shots; closed again for the window."""
    with open_studio(studio_dir) as studio:
        board = repo.create_board(studio, "Look 1")
        add_plain_shots(studio, board.id, 6)
    return studio_dir


@pytest.fixture
def person_settings():
    from app.ui.window.settings import Person, Settings

    settings = Settings()
    settings.set_person(Person("Anna", "art-director"))
    return settings


@pytest.fixture
def window(qtbot, filled_studio, person_settings):
    from app.ui.window.main_window import MainWindow

    win = MainWindow(person_settings)
    qtbot.addWidget(win)
    assert win.open_studio(filled_studio, ask=False)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


@pytest.fixture
def family(studio):
    """A first shot, its directed children and a grandchild (tests/ui/lineage_shots.py)."""
    from tests.ui.lineage_shots import make_family

    return make_family(studio)


def answer_board_name(monkeypatch, name: str) -> None:
    """The next "New board" dialogs answer `name` at once (as if typed and OK pressed)."""
    from app.ui.dialogs import board_name

    def exec_(self):
        self.edit.setText(name)
        self._accept()
        return self.result()

    monkeypatch.setattr(board_name.BoardNameDialog, "exec", exec_)


def settle(qtbot, window, timeout: int = 20_000) -> None:
    """Wait until the window's writes (decisions, ratings, undo) have been answered."""
    if window.writes is not None:
        qtbot.waitUntil(lambda: window.writes.pending == 0, timeout=timeout)
