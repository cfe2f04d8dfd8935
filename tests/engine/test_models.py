"""Finding models: studio folder, ATELIER_MODELS, the Hugging Face cache, the demo model,
adapters — and saying honestly which can render offline, without importing torch."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.engine.checkpoint import ModelError
from app.engine.models import find_adapters, find_models, resolve_adapter, resolve_model
from tests.engine.fakes import diffusers_folder, kohya_lora, sd15_checkpoint

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def no_hf_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "no-hf-cache"))


def _by_name(studio_dir):
    return {m.name: m for m in find_models(studio=studio_dir)}


def test_demo_model_is_always_listed_first(studio_dir):
    models = find_models(studio=studio_dir)
    assert models[0].name == "demo" and models[0].runnable


def test_folders_in_the_studio_and_in_atelier_models(studio_dir, tmp_path, monkeypatch):
    diffusers_folder(studio_dir / "models" / "my-sd15", license="creativeml-openrail-m")
    elsewhere = tmp_path / "elsewhere"
    diffusers_folder(elsewhere / "big-xl", cls="StableDiffusionXLPipeline", cross=2048)
    monkeypatch.setenv("ATELIER_MODELS", str(elsewhere))
    by_name = _by_name(studio_dir)
    assert by_name["my-sd15"].family == "SD 1.x"
    assert by_name["my-sd15"].license == "creativeml-openrail-m" and not by_name["my-sd15"].license_assumed
    assert by_name["my-sd15"].kind == "folder" and by_name["my-sd15"].runnable
    assert by_name["big-xl"].family == "SDXL"
    assert (by_name["big-xl"].license, by_name["big-xl"].license_assumed) == ("openrail++", True)
    assert resolve_model("my-sd15", studio=studio_dir).name == "my-sd15"
    assert resolve_model("MY-SD15", studio=studio_dir).name == "my-sd15"


def test_folder_names_keep_their_dots(studio_dir):
    diffusers_folder(studio_dir / "models" / "sd3.5-large", cls="StableDiffusion3Pipeline",
                     comps={"transformer": "SD3Transformer2DModel", "vae": "AutoencoderKL",
                            "scheduler": "FlowMatchEulerDiscreteScheduler"})
    info = _by_name(studio_dir)["sd3.5-large"]
    assert info.family == "SD3" and info.runnable


def test_hugging_face_cache_models_are_found(studio_dir, tmp_path, monkeypatch):
    hub = tmp_path / "hub"
    repo = hub / "models--acme--fashion-sd"
    diffusers_folder(repo / "snapshots" / "abc123", cross=1024)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text("abc123")
    (hub / "models--acme--not-diffusers" / "snapshots" / "x").mkdir(parents=True)
    monkeypatch.setenv("HF_HUB_CACHE", str(hub))
    found = _by_name(studio_dir)
    assert found["acme/fashion-sd"].kind == "hf-cache"
    assert found["acme/fashion-sd"].family == "SD 2.x"
    assert "acme/not-diffusers" not in found
    assert resolve_model("acme/fashion-sd", studio=studio_dir).kind == "hf-cache"


@pytest.mark.parametrize("variant", ["fp16", "bf16"])
def test_variant_only_weights_are_runnable_with_that_variant(studio_dir, variant):
    diffusers_folder(studio_dir / "models" / "halves", variant=variant)
    info = _by_name(studio_dir)["halves"]
    assert info.runnable and info.variant == variant


def test_configs_only_snapshot_is_not_runnable(studio_dir):
    diffusers_folder(studio_dir / "models" / "configs-only", weights=False)
    info = _by_name(studio_dir)["configs-only"]
    assert not info.runnable
    assert "configs only" in info.reason and "unet (no weights)" in info.reason
    with pytest.raises(ModelError, match="no weights"):
        resolve_model("configs-only", studio=studio_dir)


def test_one_component_missing_its_weights_is_named(studio_dir):
    folder = diffusers_folder(studio_dir / "models" / "half-copied")
    (folder / "vae" / "diffusion_pytorch_model.safetensors").unlink()
    info = _by_name(studio_dir)["half-copied"]
    assert not info.runnable and "vae (no weights)" in info.reason and "unet" not in info.reason


def test_truncated_weights_in_a_folder_are_not_runnable(studio_dir):
    folder = diffusers_folder(studio_dir / "models" / "cut")
    w = folder / "unet" / "diffusion_pytorch_model.safetensors"
    w.write_bytes(w.read_bytes()[:-3])
    info = _by_name(studio_dir)["cut"]
    assert not info.runnable and "truncated" in info.reason


def test_pickle_weights_in_a_folder_are_refused(studio_dir):
    diffusers_folder(studio_dir / "models" / "old-style", pickle_weights=True)
    (studio_dir / "models" / "loose.ckpt").write_bytes(b"\x80\x04junk")
    found = _by_name(studio_dir)
    assert not found["old-style"].runnable and "pickle" in found["old-style"].reason
    assert not found["loose"].runnable and "pickle" in found["loose"].reason
    with pytest.raises(ModelError, match="pickle"):
        resolve_model("old-style", studio=studio_dir)


@pytest.mark.parametrize("cls, family, edit", [
    ("QwenImagePipeline", "Qwen-Image", False), ("QwenImageEditPipeline", "Qwen-Image-Edit", True),
    ("FluxKontextPipeline", "FLUX Kontext", True), ("FluxPipeline", "FLUX", False)])
def test_transformer_families_are_known(studio_dir, cls, family, edit):
    diffusers_folder(studio_dir / "models" / "m", cls=cls,
                     comps={"transformer": "SomeTransformer", "vae": "AutoencoderKL",
                            "scheduler": "FlowMatchEulerDiscreteScheduler"})
    info = _by_name(studio_dir)["m"]
    assert (info.family, info.edit, info.runnable) == (family, edit, True)
    assert info.license and info.license_assumed


def test_pipeline_class_atelier_does_not_drive_is_not_runnable(studio_dir):
    diffusers_folder(studio_dir / "models" / "future", cls="FluxPipelineFromTheFuture")
    info = _by_name(studio_dir)["future"]
    assert not info.runnable and "FluxPipelineFromTheFuture" in info.reason


def test_unknown_name_says_where_to_look(studio_dir):
    with pytest.raises(ModelError, match="atelier models"):
        resolve_model("no-such-model", studio=studio_dir)


def test_adapters_are_listed_apart_with_base_family_and_trigger_words(studio_dir):
    models = studio_dir / "models"
    kohya_lora(models / "loras" / "ava-twin.safetensors",
               metadata={"ss_tag_frequency": json.dumps({"img": {"ava person": 40, "smiling": 3}})})
    kohya_lora(models / "xl-look.safetensors", cross=2048, metadata={"modelspec.trigger_phrase": "denim look"})
    adapters = {a.name: a for a in find_adapters(studio=studio_dir)}
    assert adapters["ava-twin"].base_family == "SD 1.x" and adapters["ava-twin"].trigger_words[0] == "ava person"
    assert adapters["ava-twin"].layout == "kohya" and adapters["ava-twin"].kind == "adapter"
    assert adapters["xl-look"].base_family == "SDXL" and adapters["xl-look"].trigger_words == ["denim look"]
    assert "ava-twin" not in _by_name(studio_dir)
    assert resolve_adapter("AVA-TWIN", studio=studio_dir).name == "ava-twin"
    with pytest.raises(ModelError, match="--lora"):
        resolve_model("ava-twin", studio=studio_dir)
    with pytest.raises(ModelError, match="not a LoRA"):
        resolve_adapter(str(sd15_checkpoint(models / "full.safetensors")))


def test_what_headers_said_is_cached_by_size_and_mtime(studio_dir, engine_cache):
    path = sd15_checkpoint(studio_dir / "models" / "one.safetensors")
    assert _by_name(studio_dir)["one"].family == "SD 1.x"
    cached = json.loads((engine_cache / "model-scan.json").read_text())
    assert str(path.resolve()) in cached["files"]
    kohya_lora(path)  # the same path, now another file: read again
    assert "one" not in _by_name(studio_dir)
    assert find_adapters(studio=studio_dir)[0].name == "one"


def test_models_json_lists_models_and_adapters_without_torch(studio_dir, tmp_path):
    sd15_checkpoint(studio_dir / "models" / "sd15-file.safetensors")
    kohya_lora(studio_dir / "models" / "style.safetensors")
    code = ("import sys, io, contextlib, json\n"
            "from app.cli import main\n"
            "buf = io.StringIO()\n"
            "with contextlib.redirect_stdout(buf):\n"
            "    rc = main(['models', '--json'])\n"
            "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'diffusers', 'transformers'))\n"
            "out = json.loads(buf.getvalue())\n"
            "print(json.dumps([rc, heavy, [m['name'] for m in out['models']], [a['name'] for a in out['adapters']]]))\n")
    env = {**__import__("os").environ, "HF_HUB_CACHE": str(tmp_path / "none")}
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60, env=env)
    rc, heavy, models, adapters = json.loads(proc.stdout.strip().splitlines()[-1])
    assert (rc, heavy) == (0, [])
    assert models[:2] == ["demo", "sd15-file"] and adapters == ["style"]
