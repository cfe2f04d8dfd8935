"""Tiny random-weight SD 1.x and SDXL single files in the original key layout, and the tiny
config folders that fit them (the bundled ones, narrowed)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from app.paths import resource

BUNDLED = resource("model_configs")
TEXT = {"hidden_size": 32, "intermediate_size": 37, "num_hidden_layers": 2, "num_attention_heads": 4,
        "projection_dim": 32}
TINY = {
    "sd15": {"unet": {"block_out_channels": [32, 32, 64, 64], "cross_attention_dim": 32, "attention_head_dim": 4,
                      "sample_size": 8},
             "vae": {"block_out_channels": [32, 32, 32, 32], "sample_size": 64},
             "text_encoder": TEXT},
    # the second encoder must be wider than the first, as in SDXL (768 / 1280): diffusers tells
    # them apart by width
    "sdxl": {"unet": {"block_out_channels": [32, 64, 64], "cross_attention_dim": 80, "attention_head_dim": [2, 4, 4],
                      "transformer_layers_per_block": [1, 1, 1], "addition_time_embed_dim": 8,
                      "projection_class_embeddings_input_dim": 96, "addition_embed_type_num_heads": 4,
                      "sample_size": 8},
             "vae": {"block_out_channels": [32, 32, 32, 32], "sample_size": 64},
             "text_encoder": TEXT, "text_encoder_2": {**TEXT, "hidden_size": 48, "projection_dim": 48}},
}


def tiny_config_root(root: Path) -> Path:
    """A model_configs folder like the bundled one, with tiny sd15 and sdxl configs."""
    if (root / "sdxl" / "model_index.json").is_file():
        return root
    shutil.copytree(BUNDLED / "clip-tokenizer", root / "clip-tokenizer")
    for name, parts in TINY.items():
        shutil.copytree(BUNDLED / name, root / name)
        for part, changes in parts.items():
            path = root / name / part / "config.json"
            path.write_text(json.dumps({**json.loads(path.read_text()), **changes}))
    return root


def tiny_pipeline(config: Path, seed: int = 0):
    """A random-weight pipeline built from a (tiny) config folder."""
    import torch
    from diffusers import (AutoencoderKL, EulerDiscreteScheduler, PNDMScheduler, StableDiffusionPipeline,
                           StableDiffusionXLPipeline, UNet2DConditionModel)
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTextModelWithProjection

    from app.engine.single_load import clip_tokenizer

    def cfg(part):
        return json.loads((config / part / "config.json").read_text())

    pads = json.loads((config / "tokenizers.json").read_text())
    torch.manual_seed(seed)
    unet = UNet2DConditionModel.from_config(cfg("unet"))
    vae = AutoencoderKL.from_config(cfg("vae"))
    te = CLIPTextModel(CLIPTextConfig(**cfg("text_encoder")))
    if (config / "text_encoder_2").is_dir():
        te2 = CLIPTextModelWithProjection(CLIPTextConfig(**cfg("text_encoder_2")))
        sched = EulerDiscreteScheduler.from_config(json.loads((config / "scheduler" / "scheduler_config.json").read_text()))
        return StableDiffusionXLPipeline(vae=vae, text_encoder=te, text_encoder_2=te2,
                                         tokenizer=clip_tokenizer(pads["tokenizer"]),
                                         tokenizer_2=clip_tokenizer(pads["tokenizer_2"]), unet=unet, scheduler=sched)
    sched = PNDMScheduler.from_config(json.loads((config / "scheduler" / "scheduler_config.json").read_text()))
    return StableDiffusionPipeline(vae=vae, text_encoder=te, tokenizer=clip_tokenizer(pads["tokenizer"]), unet=unet,
                                   scheduler=sched, safety_checker=None, feature_extractor=None,
                                   requires_safety_checker=False)


def write_single_file(pipe, path: Path, metadata=None) -> Path:
    from safetensors.torch import save_file

    from tests.engine.ldm_layout import pipeline_to_original

    path.parent.mkdir(parents=True, exist_ok=True)
    save_file(pipeline_to_original(pipe), str(path), metadata=metadata)
    return path
