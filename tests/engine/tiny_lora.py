"""Tiny LoRA files for the demo model, with random weights: kohya's layout (lora_unet_…,
lora_te_…, lora_down/lora_up/alpha, as sd-scripts writes them) and diffusers' (peft) layout
(unet.….lora_A/lora_B). Module names and shapes come from the demo model's own configs."""

from __future__ import annotations

import json
from functools import lru_cache


@lru_cache(maxsize=1)
def demo_linears() -> tuple[tuple, tuple]:
    """((unet module, in, out)…, (text encoder module, in, out)…) of the demo model's
    attention projections."""
    import torch
    from diffusers import UNet2DConditionModel
    from transformers import CLIPTextConfig, CLIPTextModel

    from app.engine.demo import DEMO_DIR

    with torch.device("meta"):
        unet = UNet2DConditionModel.from_config(UNet2DConditionModel.load_config(DEMO_DIR / "unet"))
        text = CLIPTextModel(CLIPTextConfig.from_pretrained(DEMO_DIR / "text_encoder"))

    def linears(model, keep):
        return tuple((n, m.in_features, m.out_features) for n, m in model.named_modules()
                     if isinstance(m, torch.nn.Linear) and keep(n))

    return (linears(unet, lambda n: ".attn1." in n or ".attn2." in n),
            linears(text, lambda n: "self_attn" in n))


def _text_prefix() -> str:
    """kohya names text-encoder modules from `text_model.` on; transformers 5 dropped that level."""
    return "lora_te_text_model_"


def kohya_lora(path, seed=0, rank=4, scale=0.5, text_encoder=True, metadata=None):
    import torch
    from safetensors.torch import save_file

    g = torch.Generator().manual_seed(seed)
    unet, text = demo_linears()
    sd = {}
    groups = [("lora_unet_", unet)] + ([(_text_prefix(), text)] if text_encoder else [])
    for prefix, mods in groups:
        for name, n_in, n_out in mods:
            key = prefix + name.replace(".", "_")
            sd[f"{key}.lora_down.weight"] = torch.randn(rank, n_in, generator=g) * scale
            sd[f"{key}.lora_up.weight"] = torch.randn(n_out, rank, generator=g) * scale
            sd[f"{key}.alpha"] = torch.tensor(float(rank))
    meta = {"ss_network_module": "networks.lora",
            "ss_tag_frequency": json.dumps({"10_odette": {"odette": 12, "red coat": 5, "studio": 2}})}
    meta.update(metadata or {})
    path.parent.mkdir(parents=True, exist_ok=True)
    save_file(sd, str(path), metadata=meta)
    return path


def diffusers_lora(path, seed=1, rank=4, scale=0.5, metadata=None):
    """diffusers' own layout (`pipe.save_lora_weights` writes it): unet.<module>.lora_A/B."""
    import torch
    from safetensors.torch import save_file

    g = torch.Generator().manual_seed(seed)
    unet, _ = demo_linears()
    sd = {}
    for name, n_in, n_out in unet:
        sd[f"unet.{name}.lora_A.weight"] = torch.randn(rank, n_in, generator=g) * scale
        sd[f"unet.{name}.lora_B.weight"] = torch.randn(n_out, rank, generator=g) * scale
    path.parent.mkdir(parents=True, exist_ok=True)
    save_file(sd, str(path), metadata=metadata or {"trigger_words": "denim look"})
    return path


def lora_modules(pipe) -> int:
    """How many LoRA layers the pipeline's models hold now."""
    return sum("lora" in n.lower() for part in (pipe.unet, pipe.text_encoder) for n, _ in part.named_modules())
