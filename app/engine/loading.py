"""Loading a model into a pipeline, and the content hash stored in each shot's recipe."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from app.engine.checkpoint import ModelError
from app.engine.device import Placement, tune
from app.engine.folders import OPTIONAL
from app.engine.models import ModelInfo

# Files that decide the pixels: weights, configs, tokenizer vocabularies.
_HASHED = (".safetensors", ".json", ".txt", ".model")


def quiet() -> None:
    """No progress bars or chatter from diffusers/transformers on the user's terminal."""
    from diffusers.utils import logging as dlog
    from transformers.utils import logging as tlog

    dlog.disable_progress_bar()
    dlog.set_verbosity_error()
    tlog.disable_progress_bar()
    tlog.set_verbosity_error()


def load_pipeline(info: ModelInfo, placement: Placement):
    """A text-to-image pipeline for `info` on `placement`. Diffusers folders (the demo
    model included) go through `from_pretrained`, single files through `from_single_file`;
    only safetensors are ever read."""
    if info.kind == "demo":
        from app.engine.demo import ensure_demo_model

        ensure_demo_model()
    quiet()
    import diffusers

    path = Path(info.path)
    # diffusers renamed `torch_dtype` to `dtype`; use whichever this version knows.
    from diffusers.pipelines import pipeline_utils

    dkey = "dtype" if hasattr(pipeline_utils, "_resolve_dtype") else "torch_dtype"
    dtype = {dkey: placement.torch_dtype}
    try:
        if path.is_dir():
            index = json.loads((path / "model_index.json").read_text(encoding="utf-8"))
            extra = {name: None for name in OPTIONAL if name in index}
            if "safety_checker" in index:
                extra["requires_safety_checker"] = False
            if info.variant:
                extra["variant"] = info.variant
            pipe = diffusers.DiffusionPipeline.from_pretrained(
                path, **dtype, use_safetensors=True, local_files_only=True, **extra)
        else:
            from app.engine.single_load import load_single_file

            pipe = load_single_file(info, dtype)
    except ModelError:
        raise
    except (OSError, ValueError, EnvironmentError) as exc:
        hint = (" Single-file checkpoints need their family's config files, which (with no "
                "network) must already be in the Hugging Face cache." if path.is_file() else "")
        raise ModelError(f"{info.name}: could not be loaded ({_first_line(exc)}).{hint}") from exc
    pipe.set_progress_bar_config(disable=True)
    pipe.to(placement.device)
    tune(pipe, placement)
    return pipe


def model_hash(info: ModelInfo) -> str:
    """sha256 over the model's weight and config files, cached by (path, size, mtime) so a
    multi-gigabyte model is read once."""
    from app.engine.hashes import cached, sha256_file

    path = Path(info.path)
    files = sorted(p for p in path.rglob("*") if p.suffix in _HASHED) if path.is_dir() else [path]
    stamp = [[str(p.relative_to(path)) if path.is_dir() else p.name, p.stat().st_size, p.stat().st_mtime_ns]
             for p in files]
    key = hashlib.sha256(json.dumps([str(path.resolve()), stamp]).encode()).hexdigest()

    def compute() -> str:
        total = hashlib.sha256()
        for (rel, _, _), p in zip(stamp, files):
            total.update(f"{rel}\0{sha256_file(p)}\n".encode())
        return total.hexdigest()

    return cached("model-hashes.json", key, compute)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
