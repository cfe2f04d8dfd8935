"""Finding models: studio folder, ATELIER_MODELS, the Hugging Face cache, the demo model."""

import json

import pytest

from app.engine.checkpoint import ModelError
from app.engine.models import find_models, resolve_model


def _diffusers_folder(path, cls="StableDiffusionPipeline", cross=768, weights="diffusion_pytorch_model.safetensors",
                      license=None):
    (path / "unet").mkdir(parents=True)
    (path / "model_index.json").write_text(json.dumps({"_class_name": cls, "unet": ["diffusers", "UNet2DConditionModel"]}))
    (path / "unet" / "config.json").write_text(json.dumps({"cross_attention_dim": cross}))
    (path / "unet" / weights).write_bytes(b"\0" * 100)
    if license:
        (path / "README.md").write_text(f"---\nlicense: {license}\ntags: [x]\n---\n# card\n")
    return path


def test_demo_model_is_always_listed_first(studio_dir):
    models = find_models(studio=studio_dir)
    assert models[0].name == "demo" and models[0].runnable


def test_folders_in_the_studio_and_in_atelier_models(studio_dir, tmp_path, monkeypatch):
    _diffusers_folder(studio_dir / "models" / "my-sd15", license="creativeml-openrail-m")
    elsewhere = tmp_path / "elsewhere"
    _diffusers_folder(elsewhere / "big-xl", cls="StableDiffusionXLPipeline", cross=2048)
    monkeypatch.setenv("ATELIER_MODELS", str(elsewhere))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "no-cache"))
    by_name = {m.name: m for m in find_models(studio=studio_dir)}
    assert by_name["my-sd15"].family == "SD 1.x"
    assert by_name["my-sd15"].license == "creativeml-openrail-m"
    assert by_name["my-sd15"].kind == "diffusers" and by_name["my-sd15"].runnable
    assert by_name["big-xl"].family == "SDXL"
    assert resolve_model("my-sd15", studio=studio_dir).name == "my-sd15"
    assert resolve_model("MY-SD15", studio=studio_dir).name == "my-sd15"


def test_hugging_face_cache_models_are_found(studio_dir, tmp_path, monkeypatch):
    hub = tmp_path / "hub"
    repo = hub / "models--acme--fashion-sd"
    _diffusers_folder(repo / "snapshots" / "abc123", cross=1024)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text("abc123")
    (hub / "models--acme--not-diffusers" / "snapshots" / "x").mkdir(parents=True)
    monkeypatch.setenv("HF_HUB_CACHE", str(hub))
    found = {m.name: m for m in find_models(studio=studio_dir)}
    assert found["acme/fashion-sd"].kind == "hf-cache"
    assert found["acme/fashion-sd"].family == "SD 2.x"
    assert "acme/not-diffusers" not in found
    assert resolve_model("acme/fashion-sd", studio=studio_dir).kind == "hf-cache"


def test_pickle_weights_in_a_folder_are_refused(studio_dir, monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "none"))
    _diffusers_folder(studio_dir / "models" / "old-style", weights="diffusion_pytorch_model.bin")
    (studio_dir / "models" / "loose.ckpt").write_bytes(b"\x80\x04junk")
    found = {m.name: m for m in find_models(studio=studio_dir)}
    assert not found["old-style"].runnable and "pickle" in found["old-style"].reason
    assert not found["loose"].runnable and "pickle" in found["loose"].reason
    with pytest.raises(ModelError, match="pickle"):
        resolve_model("old-style", studio=studio_dir)


def test_pipeline_class_missing_from_diffusers_is_not_runnable(studio_dir, monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "none"))
    _diffusers_folder(studio_dir / "models" / "future", cls="FluxPipelineFromTheFuture")
    info = {m.name: m for m in find_models(studio=studio_dir)}["future"]
    assert not info.runnable and "lacks" in info.reason


def test_unknown_name_says_where_to_look(studio_dir):
    with pytest.raises(ModelError, match="atelier models"):
        resolve_model("no-such-model", studio=studio_dir)
