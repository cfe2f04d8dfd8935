"""Reading model files safely: pickle refused before any byte is read, safetensors headers
parsed without loading tensors, and the model family told from what the files say."""

from __future__ import annotations

import json
import struct
from pathlib import Path

# Formats that unpickle on load: opening one can run code hidden in the file.
PICKLE_EXTS = (".ckpt", ".bin", ".pt", ".pth", ".pkl", ".pickle")
# Magic bytes of a pickle (protocol 2+) and of torch.save's zip container.
_PICKLE_MAGIC = (b"\x80\x02", b"\x80\x03", b"\x80\x04", b"\x80\x05", b"PK\x03\x04")
_MAX_HEADER = 100 * 1024 * 1024  # safetensors' own limit


class ModelError(Exception):
    """A model that cannot be used, with a message a person understands."""


def pickle_refusal(path: Path) -> ModelError:
    return ModelError(
        f"{path.name}: refused — this is a pickle checkpoint, and loading a pickle can run "
        "arbitrary code hidden in the file. Convert it to .safetensors (for example with "
        "diffusers' conversion scripts on a machine you trust) and add that file instead.")


def refuse_pickle_name(path: Path) -> None:
    """Refuse by file name alone, before the file is opened."""
    if path.suffix.lower() in PICKLE_EXTS:
        raise pickle_refusal(path)


def read_header(path: Path) -> dict:
    """The JSON header of a .safetensors file (tensor names, dtypes, shapes, offsets and
    `__metadata__`), read without touching the tensor data. Raises ModelError when the file
    is missing, a pickle in disguise, truncated or corrupt."""
    path = Path(path)
    refuse_pickle_name(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(8)
            if any(head.startswith(m) for m in _PICKLE_MAGIC):
                raise pickle_refusal(path)
            if len(head) < 8:
                raise ModelError(f"{path.name}: not a safetensors file (only {size} bytes)")
            (n,) = struct.unpack("<Q", head)
            if n > _MAX_HEADER or 8 + n > size:
                raise ModelError(f"{path.name}: truncated or corrupt safetensors file (its header "
                                 f"claims {n} bytes, the file has {size}); copy it again")
            raw = fh.read(n)
    except FileNotFoundError:
        raise ModelError(f"{path}: no such model file") from None
    except IsADirectoryError:
        raise ModelError(f"{path}: is a folder, not a .safetensors file") from None
    except PermissionError:
        raise ModelError(f"{path}: cannot be read (permission denied)") from None
    try:
        header = json.loads(raw.decode("utf-8"))
        if not isinstance(header, dict):
            raise ValueError("header is not an object")
    except (UnicodeDecodeError, ValueError) as exc:
        raise ModelError(f"{path.name}: corrupt safetensors header ({exc}); copy the file again") from None
    end = max((t.get("data_offsets", [0, 0])[1] for k, t in header.items()
               if k != "__metadata__" and isinstance(t, dict)), default=0)
    if 8 + n + end > size:
        raise ModelError(f"{path.name}: truncated safetensors file ({size} bytes, its tensors "
                         f"need {8 + n + end}); the download or copy did not finish")
    return header


def family_from_keys(keys) -> str | None:
    """Model family of a single-file checkpoint from its tensor names (original layouts)."""
    keys = list(keys)
    has = lambda prefix: any(k.startswith(prefix) for k in keys)  # noqa: E731
    if has("double_blocks.") or has("model.diffusion_model.double_blocks."):
        return "FLUX"
    if has("model.diffusion_model.joint_blocks."):
        return "SD3"
    if has("conditioner.embedders.1.") or has("conditioner.embedders.0.model."):
        return "SDXL"
    if has("cond_stage_model.model.transformer.") or has("cond_stage_model.model.token_embedding"):
        return "SD 2.x"
    if has("cond_stage_model.transformer.") or has("model.diffusion_model.input_blocks."):
        return "SD 1.x"
    if has("lora_unet_") or has("lora_te") or any(".lora_" in k or "lora_A" in k for k in keys):
        return "LoRA"
    return None


def family_from_index(folder: Path) -> tuple[str | None, str | None]:
    """(family, pipeline class) of a diffusers folder from model_index.json and the UNet config."""
    try:
        index = json.loads((folder / "model_index.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{folder}: not a diffusers model folder (no model_index.json)") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ModelError(f"{folder.name}: model_index.json is corrupt ({exc})") from None
    cls = str(index.get("_class_name", ""))
    if "Flux" in cls:
        return "FLUX", cls
    if "StableDiffusion3" in cls:
        return "SD3", cls
    if "XL" in cls:
        return "SDXL", cls
    if cls.startswith("StableDiffusion"):
        try:
            unet = json.loads((folder / "unet" / "config.json").read_text(encoding="utf-8"))
            dim = unet.get("cross_attention_dim")
        except (OSError, ValueError):
            dim = None
        return {768: "SD 1.x", 1024: "SD 2.x"}.get(dim, "SD-shaped"), cls
    return None, cls or None


def license_from_card(folder: Path) -> str | None:
    """`license:` from a model card's YAML front matter (README.md), if the model says so."""
    card = folder / "README.md"
    try:
        text = card.read_text(encoding="utf-8", errors="replace")[:20000]
    except OSError:
        return None
    if not text.startswith("---"):
        return None
    for line in text.split("\n---", 1)[0].splitlines()[1:]:
        if line.lower().startswith(("license:", "license_name:")):
            value = line.split(":", 1)[1].strip().strip("'\"")
            if value:
                return value
    return None


def license_from_header(header: dict) -> str | None:
    meta = header.get("__metadata__") or {}
    for key in ("license", "modelspec.license", "ss_license"):
        if meta.get(key):
            return str(meta[key])
    return None
