"""The demo model: a small Stable-Diffusion-shaped sketch model that ships with Atelier.

`app/resources/demo_model/` is an ordinary diffusers folder (StableDiffusionPipeline:
CLIP text encoder and tokenizer from the in-repo vocabulary, UNet2DConditionModel,
AutoencoderKL, DPM-Solver++; safetensors only), trained by `tools/demo_model/train.py` on
64×64 fashion croquis that `tools/demo_model/draw.py` draws from captions. It is loaded by
the same code as any real diffusers model (compel, previews, cancel, image-to-image) and is
what the tests use. Its model card is the folder's README.md.
"""

from __future__ import annotations

import os
from pathlib import Path

from app.paths import resource

DEMO_NAME = "demo"
DEMO_DIR = resource("demo_model")
CONFIG_DIR = DEMO_DIR  # the older name (tests read tokenizer/vocab.json from it)
DEMO_SIDE = 64  # the side it was trained at
PLACEHOLDER_NOTE = ("using the built-in demo model, a small sketch model for trying the studio "
                    "(64×64 croquis: garment, background, hair, expression, light, framing); add a "
                    "real model (a diffusers folder or a .safetensors checkpoint) to <studio>/models/ "
                    "or a folder in ATELIER_MODELS — `atelier models` lists what is found")


def cache_dir() -> Path:
    """$ATELIER_CACHE, else the platform's user cache folder for Atelier."""
    env = os.environ.get("ATELIER_CACHE")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("Atelier", appauthor=False))


def demo_path() -> Path:
    return DEMO_DIR


def ensure_demo_model() -> Path:
    """The demo model's diffusers folder (it ships with Atelier; nothing is built)."""
    if not (DEMO_DIR / "model_index.json").is_file():
        from app.engine.checkpoint import ModelError

        raise ModelError(f"the demo model is missing from {DEMO_DIR}: reinstall Atelier, or "
                         "rebuild it with `python -m tools.demo_model.train --out app/resources/demo_model`")
    return DEMO_DIR
