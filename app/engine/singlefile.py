"""What a single-file checkpoint is, told from its safetensors header alone (key names and
shapes, never the tensors): family, the bundled config that fits it, or why none does.

Original (CompVis/LDM, Stability) layouts: `model.diffusion_model.*` (UNet or MMDiT),
`first_stage_model.*` (VAE), `cond_stage_model.*` (SD 1.x/2.x text encoder),
`conditioner.embedders.N.*` (SDXL), `text_encoders.*` (SD3). FLUX files usually hold the
transformer alone (`double_blocks.*`)."""

from __future__ import annotations

from dataclasses import dataclass

from app.paths import resource

CONFIG_ROOT = resource("model_configs")


@dataclass(frozen=True)
class SingleFile:
    family: str | None  # "SD 1.x", "SDXL", ..., "LoRA", or None (not recognised)
    config: str | None  # name of the folder under app/resources/model_configs that fits
    variant: str = ""  # "", "inpainting", "refiner", "base" (SD 2.x 512 px, epsilon)
    problem: str = ""  # why it cannot render here ("" when it can)


def _shape(header: dict, key: str):
    entry = header.get(key)
    return entry.get("shape") if isinstance(entry, dict) else None


def is_lora(keys) -> bool:
    for k in keys:
        if k.startswith(("lora_unet_", "lora_te", "lora_transformer_")) or ".lora_" in k \
                or "lora_A" in k or "lora_B" in k or ".lora." in k or k.endswith(".alpha") and "lora" in k:
            return True
    return False


def inspect(header: dict, filename: str = "") -> SingleFile:
    """The family and bundled config of a checkpoint from its header."""
    keys = [k for k in header if k != "__metadata__"]
    has = lambda prefix: any(k.startswith(prefix) for k in keys)  # noqa: E731
    lower = filename.lower()
    if is_lora(keys):
        return SingleFile("LoRA", None, problem="a LoRA adapter, not a full model: use it with --lora "
                          "on a model of its family")
    unet_in = _shape(header, "model.diffusion_model.input_blocks.0.0.weight")
    inpaint = bool(unet_in and len(unet_in) > 1 and unet_in[1] == 9)
    if has("double_blocks.") or has("model.diffusion_model.double_blocks."):
        family = "FLUX Kontext" if "kontext" in lower else "FLUX"
        return SingleFile(family, None, problem=(
            "a FLUX single file holds the transformer only; FLUX also needs its T5 and CLIP text "
            "encoders and VAE, which no bundled file can supply — use a FLUX diffusers folder "
            "(or the model in the Hugging Face cache)"))
    if has("model.diffusion_model.joint_blocks."):
        return _sd3(header, has)
    if has("conditioner.embedders.1.") or has("conditioner.embedders.0.model."):
        if not has("conditioner.embedders.1."):
            return _full("SDXL", "sdxl-refiner", "refiner", has)
        return _full("SDXL", "sdxl-inpainting" if inpaint else "sdxl", "inpainting" if inpaint else "", has)
    if has("cond_stage_model.model."):
        if inpaint:
            return _full("SD 2.x", "sd2-inpainting", "inpainting", has)
        base = "base" in lower or "512" in lower
        return _full("SD 2.x", "sd2-base" if base else "sd2", "base" if base else "", has)
    if has("cond_stage_model.transformer."):
        return _full("SD 1.x", "sd15-inpainting" if inpaint else "sd15", "inpainting" if inpaint else "", has)
    if has("model.diffusion_model.input_blocks."):
        return SingleFile("SD-shaped", None, problem=(
            "holds a UNet without its text encoder (not a full checkpoint); use a full .safetensors "
            "checkpoint or a diffusers folder"))
    return SingleFile(None, None, problem="cannot tell which model family this checkpoint is "
                      "(not a full SD 1.x/2.x, SDXL, SD3 or FLUX checkpoint?)")


def _full(family: str, config: str, variant: str, has) -> SingleFile:
    if not has("first_stage_model."):
        return SingleFile(family, config, variant, problem=(
            f"this {family} checkpoint has no VAE (first_stage_model) in it; use a full checkpoint"))
    return SingleFile(family, config, variant, problem=_missing_config(config))


def _sd3(header: dict, has) -> SingleFile:
    pos = _shape(header, "model.diffusion_model.pos_embed") or []
    large = has("model.diffusion_model.joint_blocks.37.")
    config = "sd35-large" if large else ("sd35-medium" if len(pos) > 1 and pos[1] == 147456 else "sd3")
    if not (has("text_encoders.clip_l.") and has("text_encoders.clip_g.")):
        return SingleFile("SD3", config, problem=(
            "this SD3 file holds the transformer without its CLIP text encoders; use a checkpoint "
            "that includes them (text_encoders.clip_l/clip_g) or a diffusers folder"))
    if not has("first_stage_model."):
        return SingleFile("SD3", config, problem="this SD3 file has no VAE (first_stage_model); "
                          "use a checkpoint that includes it or a diffusers folder")
    return SingleFile("SD3", config, problem=_missing_config(config))


def _missing_config(config: str) -> str:
    if (CONFIG_ROOT / config / "model_index.json").is_file():
        return ""
    return (f"Atelier has no bundled configuration for {config} checkpoints, so it cannot be "
            "loaded offline; use a diffusers folder of this model instead")
