"""The demo model: built from app/resources/demo_model with a fixed seed, loaded like any
diffusers folder, its tokenizer from the in-repo vocabulary."""

import json

from app.engine.demo import config_hash, demo_path, ensure_demo_model
from app.engine.loading import model_hash
from app.engine.models import demo_info


def test_two_builds_give_the_same_weights(runner, tmp_path, monkeypatch):
    session_hash = model_hash(demo_info())
    monkeypatch.setenv("ATELIER_CACHE", str(tmp_path))
    folder = ensure_demo_model()
    assert folder == tmp_path / f"demo-model-{config_hash()}" == demo_path()
    assert model_hash(demo_info()) == session_hash
    index = json.loads((folder / "model_index.json").read_text())
    assert index["_class_name"] == "StableDiffusionPipeline"
    assert sorted(p.suffix for p in folder.rglob("*.safetensors")) == [".safetensors"] * 3
    assert not [p for p in folder.rglob("*") if p.suffix in (".bin", ".ckpt", ".pt")]
    assert not list(tmp_path.glob(".demo-build-*"))  # nothing half-built left behind


def test_the_model_stays_loaded_between_jobs(runner):
    renderer = runner.renderer
    events = []
    runner.load("demo", events.append)
    assert runner.renderer is renderer and events == []


def test_fashion_words_are_whole_tokens(runner):
    tok = runner.renderer.pipe.tokenizer
    for word in ("smiling", "dress", "silk", "lighting", "background"):
        ids = tok(word).input_ids
        assert len(ids) == 3, (word, tok.convert_ids_to_tokens(ids))  # start, word, end
    assert len(tok("Zürich ✨").input_ids) > 3  # any text still tokenizes, byte by byte
