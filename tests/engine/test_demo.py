"""The demo model: a trained diffusers folder that ships in app/resources/demo_model,
loaded like any diffusers folder, its tokenizer from the in-repo vocabulary."""

import json

import torch

from app.engine.demo import DEMO_DIR, demo_path, ensure_demo_model
from app.engine.families import defaults
from app.engine.models import demo_info


def test_the_demo_model_ships_as_a_small_safetensors_folder():
    folder = ensure_demo_model()
    assert folder == demo_path() == DEMO_DIR
    index = json.loads((folder / "model_index.json").read_text())
    assert index["_class_name"] == "StableDiffusionPipeline"
    assert index["scheduler"][1] == "DPMSolverMultistepScheduler"
    assert sorted(p.parent.name for p in folder.rglob("*.safetensors")) == ["text_encoder", "unet", "vae"]
    assert not [p for p in folder.rglob("*") if p.suffix in (".bin", ".ckpt", ".pt", ".pkl")]
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    assert size < 20_000_000
    assert (folder / "README.md").is_file() and "tools.demo_model.train" in (folder / "README.md").read_text()
    info = demo_info()
    assert info.runnable and info.kind == "demo" and info.size_bytes == size
    assert defaults(info.family)[2] == 64


def test_the_model_stays_loaded_between_jobs(runner):
    renderer = runner.renderer
    events = []
    runner.load("demo", events.append)
    assert runner.renderer is renderer and events == []


def test_fashion_words_are_whole_tokens(runner):
    tok = runner.renderer.pipe.tokenizer
    for word in ("smiling", "dress", "silk", "lighting", "background", "knitwear", "sunglasses", "bun"):
        ids = tok(word).input_ids
        assert len(ids) == 3, (word, tok.convert_ids_to_tokens(ids))  # start, word, end
    assert len(tok("Zürich ✨").input_ids) > 3  # any text still tokenizes, byte by byte


def test_previews_use_the_models_own_colour_map(runner):
    previewer = runner.renderer.previewer
    fitted = json.loads((DEMO_DIR / "vae" / "latent_rgb.json").read_text())
    assert torch.allclose(previewer.factors, torch.tensor(fitted["factors"]))
    assert torch.allclose(previewer.bias, torch.tensor(fitted["bias"]))
