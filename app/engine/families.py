"""Model families the engine drives: the diffusers pipeline class of each, its defaults
(steps, guidance, side), its usual licence, and whether it is an instruction-edit model.

Plain data, no torch or diffusers: the model listing reads it without importing either."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Family:
    name: str
    pipeline: str  # diffusers class name
    steps: int
    guidance: float
    side: int
    licence: str  # the family's usual licence, shown (marked) when a file does not say
    edit: bool = False  # an instruction-edit model: takes a picture and an instruction
    since: str = "0.30"  # first diffusers version with `pipeline`
    flow: bool = False  # flow matching: keeps its own scheduler, no SD latent previews


FAMILIES = {f.name: f for f in (
    Family("SD-shaped (demo)", "StableDiffusionPipeline", 8, 5.0, 64, "MIT"),
    Family("SD-shaped", "StableDiffusionPipeline", 25, 7.0, 512, "unknown"),
    Family("SD 1.x", "StableDiffusionPipeline", 25, 7.0, 512, "creativeml-openrail-m"),
    Family("SD 2.x", "StableDiffusionPipeline", 25, 7.0, 768, "openrail++"),
    Family("SDXL", "StableDiffusionXLPipeline", 30, 6.0, 1024, "openrail++"),
    Family("SD3", "StableDiffusion3Pipeline", 28, 5.0, 1024, "stabilityai-ai-community", flow=True),
    Family("FLUX", "FluxPipeline", 28, 3.5, 1024, "flux-1-dev-non-commercial-license", flow=True),
    Family("FLUX Kontext", "FluxKontextPipeline", 28, 2.5, 1024, "flux-1-dev-non-commercial-license",
           edit=True, since="0.34", flow=True),
    Family("Qwen-Image", "QwenImagePipeline", 30, 4.0, 1024, "apache-2.0", since="0.35", flow=True),
    Family("Qwen-Image-Edit", "QwenImageEditPipeline", 30, 4.0, 1024, "apache-2.0", edit=True,
           since="0.35", flow=True),
)}

# Pipeline classes (model_index.json `_class_name`) -> family. Variants of a family that
# render from text (inpainting/img2img checkpoints) are driven through the text-to-image class.
_CLASS_FAMILY = {
    "FluxKontextPipeline": "FLUX Kontext", "FluxPipeline": "FLUX",
    "StableDiffusion3Pipeline": "SD3", "StableDiffusionXLPipeline": "SDXL",
    "StableDiffusionXLImg2ImgPipeline": "SDXL", "StableDiffusionXLInpaintPipeline": "SDXL",
    "QwenImagePipeline": "Qwen-Image", "QwenImageEditPipeline": "Qwen-Image-Edit",
    "QwenImageEditPlusPipeline": "Qwen-Image-Edit",
    "StableDiffusionPipeline": None, "StableDiffusionInpaintPipeline": None,  # 1.x or 2.x: by UNet
}


def family_of_class(cls: str, cross_attention_dim=None) -> str | None:
    """Family of a diffusers pipeline class; SD 1.x and 2.x are told apart by the UNet's
    cross-attention width (768 and 1024)."""
    if cls in _CLASS_FAMILY and _CLASS_FAMILY[cls] is not None:
        return _CLASS_FAMILY[cls]
    if cls.startswith("StableDiffusion") and "XL" not in cls and "3" not in cls:
        return {768: "SD 1.x", 1024: "SD 2.x"}.get(cross_attention_dim, "SD-shaped")
    return None


def defaults(family: str | None) -> tuple[int, float, int]:
    """(steps, guidance, side) for a family; SD 1.x's when the family is unknown."""
    f = FAMILIES.get(family or "") or FAMILIES["SD 1.x"]
    return f.steps, f.guidance, f.side


def is_edit(family: str | None) -> bool:
    f = FAMILIES.get(family or "")
    return bool(f and f.edit)


def version_tuple(text: str) -> tuple[int, ...]:
    out = []
    for part in text.split(".")[:3]:
        digits = "".join(ch for ch in part if ch.isdigit())
        out.append(int(digits) if digits else 0)
    return tuple(out)


def installed_diffusers() -> str | None:
    """The installed diffusers version, read from its metadata (diffusers is not imported)."""
    from importlib import metadata

    try:
        return metadata.version("diffusers")
    except metadata.PackageNotFoundError:
        return None


def pipeline_available(cls: str) -> tuple[bool, str]:
    """Whether the installed diffusers has `cls`, judged without importing diffusers: the
    class must be one the engine knows, and diffusers at least the version that added it."""
    version = installed_diffusers()
    if version is None:
        return False, "diffusers is not installed"
    family = family_of_class(cls, 768)
    known = FAMILIES.get(family or "")
    if known is None:
        return False, f"needs {cls}, a pipeline Atelier does not drive (diffusers {version} installed)"
    since = "0.36" if cls == "QwenImageEditPlusPipeline" else known.since
    if version_tuple(version) < version_tuple(since):
        return False, f"needs {cls}, which the installed diffusers {version} lacks (diffusers {since} or later)"
    return True, ""
