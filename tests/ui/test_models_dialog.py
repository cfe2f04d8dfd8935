"""The models dialog lists the demo model off the GUI thread, refuses pickles and remembers
the models that are added."""

from __future__ import annotations

import json
import struct

import pytest
from PySide6.QtCore import QSettings

from app.ui.dialogs.models import (DEMO_NOTICE, LOOKING, SETTINGS_KEY, ModelsDialog,
                                  extra_model_paths)


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "models.ini"), QSettings.IniFormat)


@pytest.fixture(autouse=True)
def no_other_models(tmp_path, monkeypatch, studio_dir):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-hf-cache"))
    monkeypatch.delenv("ATELIER_MODELS", raising=False)


@pytest.fixture
def dialog(qtbot, settings, studio_dir):
    d = ModelsDialog(settings=settings, studio_path=studio_dir)
    qtbot.addWidget(d)
    return d


def listed(qtbot, dialog):
    qtbot.waitUntil(lambda: not dialog.busy(), timeout=60000)
    return [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]


def test_lists_the_demo_model_and_says_it_is_a_sketch_model(qtbot, dialog):
    assert dialog.state.text() == LOOKING  # the listing runs in the background
    assert listed(qtbot, dialog) == ["demo"]
    row = [dialog.table.item(0, c).text() for c in range(dialog.table.columnCount())]
    assert row[3] == "MIT" and row[4].startswith("Ready")
    assert not dialog.notice.isHidden()
    assert "sketch model" in dialog.notice.text() and "Add folder" in DEMO_NOTICE


def test_a_pickle_is_refused_with_the_engines_message(qtbot, dialog, settings, tmp_path):
    listed(qtbot, dialog)
    ckpt = tmp_path / "model.ckpt"
    ckpt.write_bytes(b"\x80\x04" + b"x" * 64)
    with qtbot.waitSignal(dialog.refused, timeout=10000) as signal:
        dialog.add_path(str(ckpt))
    assert "pickle" in signal.args[0] and "arbitrary code" in signal.args[0]
    assert not dialog.error.isHidden()
    assert extra_model_paths(settings) == []


def test_a_folder_without_a_model_is_refused(qtbot, dialog, settings, tmp_path):
    listed(qtbot, dialog)
    empty = tmp_path / "nothing"
    empty.mkdir()
    with qtbot.waitSignal(dialog.refused, timeout=10000) as signal:
        dialog.add_path(str(empty))
    assert "no model here" in signal.args[0]
    assert extra_model_paths(settings) == []


def _tiny_safetensors(path):
    header = json.dumps({"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}).encode()
    path.write_bytes(struct.pack("<Q", len(header)) + header + b"\0\0\0\0")


def test_a_diffusers_folder_is_added_remembered_and_listed(qtbot, dialog, settings, tmp_path):
    listed(qtbot, dialog)
    model = tmp_path / "my-sd15"
    (model / "unet").mkdir(parents=True)
    (model / "model_index.json").write_text(json.dumps({"_class_name": "StableDiffusionPipeline",
                                                        "unet": ["diffusers", "UNet2DConditionModel"]}))
    (model / "unet" / "config.json").write_text(json.dumps({"cross_attention_dim": 768}))
    _tiny_safetensors(model / "unet" / "diffusion_pytorch_model.safetensors")
    with qtbot.waitSignal(dialog.listed, timeout=60000):
        dialog.add_path(str(model))
    assert extra_model_paths(settings) == [str(model.resolve())]
    assert settings.value(SETTINGS_KEY)
    names = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    assert names == ["demo", "my-sd15"]
    assert dialog.table.item(1, 1).text() == "SD 1.x"
    assert dialog.notice.isHidden()  # no longer only the demo model
    # a new dialog finds it again from the settings
    again = ModelsDialog(settings=settings, studio_path=dialog._studio_path)
    qtbot.addWidget(again)
    assert listed(qtbot, again) == ["demo", "my-sd15"]
    # the demo model cannot be forgotten; an added one can, and its files stay
    again.table.selectRow(0)
    assert not again.forget_button.isEnabled()
    again.table.selectRow(1)
    assert again.forget_button.isEnabled()
    again.forget_selected()
    assert listed(qtbot, again) == ["demo"] and extra_model_paths(settings) == []
    assert (model / "model_index.json").is_file()
