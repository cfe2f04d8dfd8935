"""The demo model: a tiny Stable-Diffusion-shaped pipeline with untrained weights.

Built on this machine from the configs in app/resources/demo_model/ with a fixed seed, saved
as an ordinary diffusers folder (safetensors) in the cache, and from then on loaded by the
same code as any real diffusers model. Its pictures are placeholders; it proves the loop
end to end and is what the tests use.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from app.paths import resource

DEMO_NAME = "demo"
CONFIG_DIR = resource("demo_model")
_FILES = ("unet.json", "vae.json", "text_encoder.json", "scheduler.json", "seed.json",
          "tokenizer/vocab.json", "tokenizer/merges.txt")
PLACEHOLDER_NOTE = ("using the built-in demo model: its pictures are placeholders; add a real "
                    "model (a diffusers folder or a .safetensors checkpoint) to <studio>/models/ "
                    "or a folder in ATELIER_MODELS — `atelier models` lists what is found")


def cache_dir() -> Path:
    """$ATELIER_CACHE, else the platform's user cache folder for Atelier."""
    env = os.environ.get("ATELIER_CACHE")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("Atelier", appauthor=False))


def config_hash() -> str:
    """Identifies the demo model's recipe: a change in any config builds a new folder."""
    h = hashlib.sha256()
    for name in _FILES:
        h.update(name.encode() + b"\0" + (CONFIG_DIR / name).read_bytes())
    return h.hexdigest()[:12]


def demo_path() -> Path:
    return cache_dir() / f"demo-model-{config_hash()}"


def ensure_demo_model() -> Path:
    """The demo model's diffusers folder, built first if the cache does not hold it."""
    target = demo_path()
    if (target / "model_index.json").is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    # Build beside the target and rename: a half-written folder is never seen as a model,
    # and two processes building at once both end with a complete one.
    tmp = Path(tempfile.mkdtemp(prefix=".demo-build-", dir=target.parent))
    try:
        _build(tmp)
        try:
            os.replace(tmp, target)
        except OSError:
            if not (target / "model_index.json").is_file():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def _config(name: str) -> dict:
    data = json.loads((CONFIG_DIR / name).read_text(encoding="utf-8"))
    data.pop("_class_name", None)
    return data


def _build(folder: Path) -> None:
    import torch
    from diffusers import AutoencoderKL, DPMSolverMultistepScheduler, StableDiffusionPipeline, UNet2DConditionModel
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTokenizer

    seed = _config("seed.json")["seed"]
    tokenizer = CLIPTokenizer(str(CONFIG_DIR / "tokenizer" / "vocab.json"),
                              str(CONFIG_DIR / "tokenizer" / "merges.txt"), model_max_length=77)
    text_cfg = _config("text_encoder.json")
    text_cfg.pop("model_type", None)
    with torch.random.fork_rng(devices=[]):  # fixed weights without disturbing the caller's RNG
        torch.manual_seed(seed)
        unet = UNet2DConditionModel.from_config(_config("unet.json"))
        vae = AutoencoderKL.from_config(_config("vae.json"))
        text_encoder = CLIPTextModel(CLIPTextConfig(
            vocab_size=len(tokenizer), bos_token_id=tokenizer.bos_token_id,
            eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.pad_token_id, **text_cfg))
    scheduler = DPMSolverMultistepScheduler.from_config(_config("scheduler.json"))
    pipe = StableDiffusionPipeline(vae=vae, text_encoder=text_encoder, tokenizer=tokenizer, unet=unet,
                                   scheduler=scheduler, safety_checker=None, feature_extractor=None,
                                   requires_safety_checker=False)
    pipe.save_pretrained(folder, safe_serialization=True)
    meta = _config("seed.json")
    (folder / "README.md").write_text(
        f"---\nlicense: {meta.get('license', 'MIT')}\n---\n# Atelier demo model\n\n"
        "Tiny, untrained, built from app/resources/demo_model/. Pictures are placeholders.\n",
        encoding="utf-8")
