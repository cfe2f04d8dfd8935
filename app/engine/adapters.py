"""LoRA adapters on this machine: which base family each was trained for (from its metadata,
else from its key names and shapes) and its trigger words. Headers only, no torch."""

from __future__ import annotations

import json
from collections import Counter

# kohya `ss_base_model_version` / modelspec architecture -> family
_META_FAMILY = (("sdxl", "SDXL"), ("stable-diffusion-xl", "SDXL"), ("sd_v2", "SD 2.x"),
                ("stable-diffusion-v2", "SD 2.x"), ("sd_v1", "SD 1.x"), ("stable-diffusion-v1", "SD 1.x"),
                ("sd3", "SD3"), ("stable-diffusion-3", "SD3"), ("flux", "FLUX"),
                ("qwen-image-edit", "Qwen-Image-Edit"), ("qwen", "Qwen-Image"))
# cross-attention width (the text side of attn2.to_k) -> UNet family
_CROSS = {768: "SD 1.x", 1024: "SD 2.x", 2048: "SDXL", 64: "SD-shaped (demo)"}


def layout(keys) -> str:
    """"kohya" (lora_unet_…), "diffusers" (unet./transformer. with lora_A or lora.down), or "peft"."""
    keys = list(keys)
    if any(k.startswith(("lora_unet_", "lora_te", "lora_transformer_")) for k in keys):
        return "kohya"
    if any(k.startswith(("unet.", "text_encoder", "transformer.")) for k in keys):
        return "diffusers"
    return "peft"


def base_family(header: dict) -> str | None:
    """The family an adapter was trained for: its metadata first, then its keys."""
    meta = header.get("__metadata__") or {}
    for field in ("modelspec.architecture", "ss_base_model_version", "base_model", "ss_sd_model_name"):
        value = str(meta.get(field) or "").lower()
        for needle, family in _META_FAMILY:
            if needle in value:
                return family
    keys = [k for k in header if k != "__metadata__"]
    if any("double_blocks" in k or "single_transformer_blocks" in k or "single_blocks" in k for k in keys):
        return "FLUX"
    if any("joint_blocks" in k or "context_block" in k for k in keys):
        return "SD3"
    if any("img_mod" in k or "txt_mlp" in k for k in keys):
        return "Qwen-Image"
    if any(k.startswith(("lora_te1_", "lora_te2_", "text_encoder_2.")) for k in keys):
        return "SDXL"
    for k in keys:  # the text side of a cross-attention's key projection gives its width
        flat = k.replace(".", "_")
        if "attn2_to_k" in flat and ("lora_down" in flat or "lora_A" in flat):
            shape = (header.get(k) or {}).get("shape") or []
            if len(shape) == 2 and shape[1] in _CROSS:
                return _CROSS[shape[1]]
    return None


def trigger_words(header: dict, limit: int = 3) -> list[str]:
    """Words that call the adapter up: stated in its metadata, else its most frequent
    training tags (kohya's ss_tag_frequency)."""
    meta = header.get("__metadata__") or {}
    for field in ("modelspec.trigger_phrase", "trigger_words", "ss_trigger_words", "activation_text"):
        value = meta.get(field)
        if value:
            words = value if isinstance(value, list) else str(value).replace(";", ",").split(",")
            return [w.strip() for w in words if str(w).strip()][:limit]
    freq = meta.get("ss_tag_frequency")
    if not freq:
        return []
    try:
        data = json.loads(freq) if isinstance(freq, str) else freq
        counts = Counter()
        for tags in data.values():
            for tag, n in tags.items():
                counts[tag.strip()] += int(n)
    except (ValueError, AttributeError, TypeError):
        return []
    return [t for t, _ in counts.most_common(limit) if t]
