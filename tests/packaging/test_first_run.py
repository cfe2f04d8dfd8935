"""The first-run dialog and the choice of the studio the window opens at start."""

from __future__ import annotations

import pytest

from app.ui.dialogs.first_run import FirstRunDialog, is_studio, start_studio, studio_in


@pytest.fixture(autouse=True)
def settings_dir(tmp_path, qapp):
    import uuid

    from app.ui.window.settings import use_settings_dir

    use_settings_dir(tmp_path / "settings", organization=f"AtelierTest-{uuid.uuid4().hex[:8]}")


class _Recent:
    def __init__(self, last):
        self.last = last

    def last_studio(self):
        return self.last


def _make_studio(path):
    from app.store.db import open_studio

    with open_studio(path):
        pass
    return path


def test_a_named_studio_is_never_questioned(tmp_path):
    assert start_studio(tmp_path / "x", None, environ={}) == (tmp_path / "x", False)
    assert start_studio(None, None, environ={"ATELIER_STUDIO": str(tmp_path / "y")}) == \
        (tmp_path / "y", False)


def test_first_run_only_when_the_default_folder_holds_no_studio(tmp_path, monkeypatch):
    default = tmp_path / "default"
    monkeypatch.setattr("app.paths.default_studio", lambda: default)
    assert start_studio(None, _Recent(None), environ={}) == (default, True)
    _make_studio(default)
    assert start_studio(None, _Recent(None), environ={}) == (default, False)


def test_the_last_studio_opened_is_opened_again_while_it_exists(tmp_path, monkeypatch):
    default = tmp_path / "default"
    monkeypatch.setattr("app.paths.default_studio", lambda: default)
    chosen = _make_studio(tmp_path / "chosen")
    assert start_studio(None, _Recent(str(chosen)), environ={}) == (chosen, False)
    gone = tmp_path / "gone"  # a recent studio deleted since: back to the default
    assert start_studio(None, _Recent(str(gone)), environ={}) == (default, True)


def test_a_folder_with_other_files_gets_a_studio_subfolder(tmp_path):
    assert studio_in(tmp_path / "new") == tmp_path / "new"
    (tmp_path / "empty").mkdir()
    assert studio_in(tmp_path / "empty") == tmp_path / "empty"
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "letter.txt").write_text("hi")
    assert studio_in(tmp_path / "docs") == tmp_path / "docs" / "Atelier studio"
    studio = _make_studio(tmp_path / "s")
    assert studio_in(studio) == studio and is_studio(studio)


def test_dialog_says_where_the_studio_lives_as_plain_text(qtbot, tmp_path):
    from PySide6.QtCore import Qt

    folder = tmp_path / "<b>odd</b>"
    dialog = FirstRunDialog(folder)
    qtbot.addWidget(dialog)
    assert dialog.path_label.textFormat() == Qt.PlainText
    assert str(folder) in dialog.path_label.text() and "new studio" in dialog.path_label.text()
    existing = _make_studio(tmp_path / "s")
    dialog.set_folder(existing)
    assert dialog.studio == existing and "open the studio" in dialog.path_label.text()
    assert not folder.exists()  # showing the dialog creates nothing


def test_choosing_another_folder_changes_the_studio(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "elsewhere"
    target.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(target))
    dialog = FirstRunDialog(tmp_path / "default")
    qtbot.addWidget(dialog)
    dialog.choose_button.click()
    assert dialog.studio == target and str(target) in dialog.path_label.text()


def test_add_a_model_opens_the_models_dialog_and_lists_what_was_added(qtbot, tmp_path, monkeypatch):
    from app.ui.dialogs import models

    model = tmp_path / "my-model.safetensors"
    seen = {}

    class FakeModels:  # the real dialog's checks are tested in tests/ui/test_models_dialog.py
        def __init__(self, parent, settings=None, studio_path=None):
            seen["studio"] = studio_path

        def exec(self):
            models.set_extra_model_paths([str(model)])
            return 0

        def wait(self, msecs):
            return True

    monkeypatch.setattr(models, "ModelsDialog", FakeModels)
    dialog = FirstRunDialog(tmp_path / "studio")
    qtbot.addWidget(dialog)
    dialog.add_model_button.click()
    assert seen["studio"] == tmp_path / "studio"
    assert dialog.models_added == [str(model)]
    assert "my-model.safetensors" in dialog.models_state.text()
