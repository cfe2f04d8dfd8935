"""Delivery in the window: the Export dialog (presets, preview, safe zones, progress,
refusals), verification of dropped files, and the contact sheet from the Board menu."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from tests.delivery.conftest import add_shot

pytest.importorskip("pytestqt")


@pytest.fixture(autouse=True)
def ui_settings(tmp_path, qapp):
    from app.ui.window.settings import use_settings_dir

    use_settings_dir(tmp_path / "settings", organization=f"AtelierTest-{uuid.uuid4().hex[:8]}")


def _dialog(qtbot, studio, board, shots):
    from app.ui.delivery.export_dialog import ExportDialog

    dialog = ExportDialog(studio, board.id, shots)
    qtbot.addWidget(dialog)
    return dialog


def test_export_dialog_exports_several_presets_with_progress(qtbot, studio, board, tmp_path):
    a = add_shot(studio, board, 1, "approved")
    b = add_shot(studio, board, 2, "approved")
    add_shot(studio, board, 3)
    dialog = _dialog(qtbot, studio, board, [])
    assert dialog.scope_board.isChecked() and not dialog.export_button.isEnabled()
    dialog.set_presets({"square", "story"})
    assert dialog.export_button.isEnabled()
    dialog.folder.setText(str(tmp_path / "out"))
    seen = []
    dialog.exported.connect(lambda n, folder: seen.append(n))
    dialog.start()
    assert dialog.running()
    qtbot.waitUntil(lambda: not dialog.running(), timeout=120_000)
    assert seen == [4], dialog.status.text()
    assert sorted((f["shot"], f["preset"]) for f in dialog.result_files) == sorted(
        (s.id, p) for s in (a, b) for p in ("square", "story"))
    assert len(list((tmp_path / "out").iterdir())) == 4
    assert dialog.progress.value() == dialog.progress.maximum() == 4
    assert "Left out: shot 3" in dialog.status.text()


def test_preview_shows_story_safe_zones_and_says_it_crops(qtbot, studio, board):
    from PySide6.QtCore import Qt

    shot = add_shot(studio, board, 1, "approved")
    dialog = _dialog(qtbot, studio, board, [shot])
    names = [dialog.presets.item(i).data(Qt.UserRole) for i in range(dialog.presets.count())]
    dialog.presets.setCurrentRow(names.index("story"))
    info = dialog.preview_info
    assert info["preset"] == "story" and info["safe_zones"]
    w, h = info["size"]
    assert abs(w / h - 1080 / 1920) < 0.02
    assert "taller than the render" in dialog.preview_notes.text()
    pixel = dialog.preview.pixmap().toImage().pixelColor(w // 2, 2)
    assert pixel.red() > pixel.blue()  # the top band is shaded red
    dialog.presets.setCurrentRow(names.index("square"))
    assert not dialog.preview_info["safe_zones"]
    dialog.fit.setCurrentIndex(1)  # pad
    dialog.presets.setCurrentRow(names.index("pdp-4x5"))
    assert "padded" in dialog.preview_notes.text()


def test_refused_export_is_said_in_the_dialog(qtbot, studio, board, tmp_path):
    shot = add_shot(studio, board, 1, "hold")
    dialog = _dialog(qtbot, studio, board, [shot])
    dialog.set_presets({"square"})
    dialog.folder.setText(str(tmp_path / "out"))
    dialog.start()
    qtbot.waitUntil(lambda: not dialog.running(), timeout=60_000)
    assert dialog.last_error[0] == "refused"
    assert "not approved" in dialog.status.text()
    assert not list((tmp_path / "out").glob("*"))


def test_verify_dialog_names_the_shot(qtbot, studio, board, cli, tmp_path):
    from app.ui.delivery.verify_dialog import VerifyDialog

    shot = add_shot(studio, board, 1, "approved")
    code, out, err = cli("export", shot.id, "--preset", "square", "--to", tmp_path, "--json")
    path = json.loads(out)["files"][0]["path"]
    plain = tmp_path / "plain.png"
    from PIL import Image

    Image.new("RGB", (200, 200), (10, 20, 30)).save(plain)
    dialog = VerifyDialog([path, plain], studio)
    qtbot.addWidget(dialog)
    text = dialog.text.toPlainText()
    assert f"this is shot {shot.id} on board Spring Look" in text
    assert "FAILED (no AI label found)" in text
    assert dialog.summary.text().startswith("1 of 2")


def test_window_menus_drops_and_contact_sheet(qtbot, studio_dir, tmp_path):
    from PySide6.QtCore import QMimeData, QUrl

    from app.store import repo
    from app.store.db import open_studio
    from app.ui.delivery import hooks as inst
    from app.ui.window.main_window import MainWindow
    from app.ui.window.settings import Person, Settings

    with open_studio(studio_dir) as s:
        b = repo.create_board(s, "Look 1")
        add_shot(s, b, 1, "approved")
    settings = Settings()
    settings.set_person(Person("Anna", "art-director"))
    win = MainWindow(settings)
    qtbot.addWidget(win)
    assert win.open_studio(studio_dir, ask=False)
    texts = {a.text() for m in win.menuBar().actions() if m.menu() for a in m.menu().actions()}
    assert {"Export…", "Contact sheet…", "Verify a file…"} <= texts
    result = inst.contact_sheet(win, str(tmp_path / "sheet.pdf"))
    assert result["shots"] == 1 and Path(result["path"]).is_file()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "a.jpg")), QUrl.fromLocalFile(str(tmp_path / "notes.txt"))])
    assert [p.name for p in inst.dropped_files(mime)] == ["a.jpg"]
    dialog = inst.open_export(win)
    assert dialog is not None and dialog.preview_info is not None
    dialog.reject()
    win.close()
