"""Loading a single-file checkpoint offline: diffusers' `from_single_file` with the bundled
config folder that fits the checkpoint (app/resources/model_configs/<config>), its CLIP
tokenizers built from the bundled vocabulary, `local_files_only=True`, and the hub forced
offline so diffusers' online retry can never run."""

from __future__ import annotations

import json
import os

from app.engine.checkpoint import ModelError


def config_folder(info):
    from app.engine.singlefile import CONFIG_ROOT

    folder = CONFIG_ROOT / (info.config or "")
    if not info.config or not (folder / "model_index.json").is_file():
        raise ModelError(f"{info.name}: Atelier has no bundled configuration for this {info.family or 'unknown'} "
                         "checkpoint, so it cannot be loaded offline; use a diffusers folder of this model")
    return folder


def clip_tokenizer(pad_token: str):
    from transformers import CLIPTokenizer

    from app.engine.singlefile import CONFIG_ROOT

    vocab = CONFIG_ROOT / "clip-tokenizer"
    return CLIPTokenizer(str(vocab / "vocab.json"), str(vocab / "merges.txt"), pad_token=pad_token,
                         model_max_length=77)


def force_offline() -> None:
    """No hub request, whatever HF_HUB_OFFLINE said before (diffusers retries online when
    a config is missing from the cache unless the hub itself is offline)."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    try:
        import huggingface_hub.constants as hub

        hub.HF_HUB_OFFLINE = True
    except (ImportError, AttributeError):
        pass


def load_single_file(info, dtype: dict):
    import diffusers

    folder = config_folder(info)
    index = json.loads((folder / "model_index.json").read_text(encoding="utf-8"))
    cls = getattr(diffusers, index["_class_name"], None)
    if cls is None:
        raise ModelError(f"{info.name}: the installed diffusers cannot load a {info.family} checkpoint "
                         f"(no {index['_class_name']})")
    pads = json.loads((folder / "tokenizers.json").read_text(encoding="utf-8"))
    parts = {name: clip_tokenizer(pad) for name, pad in pads.items()}
    for name in ("safety_checker", "feature_extractor", "image_encoder", "text_encoder", "tokenizer"):
        if name in index and index[name] == [None, None]:
            parts[name] = None
    force_offline()
    return cls.from_single_file(str(info.path), config=str(folder), local_files_only=True, **parts, **dtype)
