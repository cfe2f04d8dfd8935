"""LoRA adapters for a render: `--lora NAME|PATH[:WEIGHT]`, AUTOMATIC1111 `<lora:NAME:W>`
tags in a prompt, which adapter files they mean, whether they fit the model, and the
sha256 each shot's recipe records. No torch here; `Renderer.apply_adapters` loads them.

Only safetensors are ever read: a pickle adapter (.ckpt, .pt, .bin, …) is refused by its
name before it is opened (app/engine/models.resolve_adapter)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from app.engine.checkpoint import ModelError

DEFAULT_WEIGHT = 0.8
MAX_WEIGHT = 4.0
# <lora:NAME> / <lora:NAME:W> / <lora:NAME:W_TEXT:W_UNET> (A1111; the first weight is used)
_TAG = re.compile(r"<\s*lora\s*:\s*([^:<>]+?)\s*(?::\s*([^:<>]*?)\s*)?(?::\s*[^<>]*?\s*)?>", re.IGNORECASE)

# Model family -> adapter families it takes (an edit model takes its base family's LoRAs).
_TAKES = {"FLUX Kontext": ("FLUX Kontext", "FLUX"), "Qwen-Image-Edit": ("Qwen-Image-Edit", "Qwen-Image"),
          "SD-shaped": ("SD-shaped", "SD 1.x", "SD 2.x")}


@dataclass(frozen=True)
class Adapter:
    """One adapter as a render applies it and a recipe records it."""

    name: str
    path: str
    hash: str  # sha256 of the file
    weight: float
    base_family: str | None = None

    def recipe(self) -> dict:
        return {"name": self.name, "hash": self.hash, "weight": self.weight}


def weight_of(text: str, what: str) -> float:
    try:
        weight = float(text)
    except ValueError:
        raise ValueError(f"{what}: the weight must be a number such as 0.8 (got {text!r})") from None
    if weight != weight or not -MAX_WEIGHT <= weight <= MAX_WEIGHT:
        raise ValueError(f"{what}: the weight must be between {-MAX_WEIGHT:g} and {MAX_WEIGHT:g}")
    return round(weight, 4)


def parse_lora(text: str) -> dict:
    """`NAME|PATH[:WEIGHT]` -> {"name", "weight"}; ValueError with one line when unreadable.
    A colon belongs to the name unless what follows it is a number (C:\\loras\\x.safetensors)."""
    text = (text or "").strip()
    name, weight = text, DEFAULT_WEIGHT
    head, sep, tail = text.rpartition(":")
    if sep and head and re.fullmatch(r"\s*[-+]?(\d+\.?\d*|\.\d+)\s*", tail):
        name, weight = head.strip(), weight_of(tail, f"--lora {text}")
    elif sep and len(head) > 1 and not re.search(r"[\\/]", tail):  # "C:\\x" is a drive, not a weight
        raise ValueError(f"--lora {text}: the weight must be a number such as 0.8 (got {tail!r})")
    if not name or (sep and not head.strip()):
        raise ValueError("--lora needs an adapter name or file, e.g. --lora denim-look:0.8")
    return {"name": name, "weight": weight}


def take_tags(prompt: str) -> tuple[str, list[dict]]:
    """The prompt without its `<lora:NAME:W>` tags (never text for the encoder), and the
    adapters they ask for, in order."""
    found: list[dict] = []

    def take(m: re.Match) -> str:
        weight = DEFAULT_WEIGHT if not (m.group(2) or "").strip() else weight_of(m.group(2), m.group(0))
        found.append({"name": m.group(1).strip(), "weight": weight})
        return " "

    text = _TAG.sub(take, prompt or "")
    if not found:
        return prompt, []
    text = re.sub(r"\s*,(\s*,)+", ",", text)  # "a, <lora:x>, b" leaves no empty item
    text = re.sub(r"\s+,", ",", " ".join(text.split()))
    return text.strip(" ,"), found


def merge(requests: list[dict]) -> list[dict]:
    """One entry per adapter name (the last weight said wins), in first-said order."""
    out: dict[str, dict] = {}
    for r in requests:
        key = str(r.get("name") or r.get("path") or "").lower()
        if key in out:
            out[key] = {**out[key], **r, "name": out[key].get("name") or r.get("name")}
        else:
            out[key] = dict(r)
    return list(out.values())


def fits(base_family: str | None, model_family: str | None) -> bool:
    """Whether an adapter made for `base_family` can be applied to a model of `model_family`.
    An adapter that does not say (and a model of unknown family) is tried: loading then
    tells, in the error."""
    if not base_family or not model_family:
        return True
    takes = _TAKES.get(model_family, (model_family,))
    return base_family in takes


def resolve(requests: list[dict], model, extra=(), studio=None) -> list[Adapter]:
    """The adapters `requests` ({"name" (a name or path), "weight", optional "hash"}) mean,
    checked against `model` (a ModelInfo); ModelError with one clear line otherwise. With a
    recorded hash (re-rendering a shot) the file must still have it: a file with the same name
    but other content is looked for by its hash among the adapters found, else refused."""
    from app.engine.models import find_adapters, resolve_adapter

    out = []
    for req in merge(requests):
        name = str(req.get("name") or "").strip()
        weight = weight_of(str(req.get("weight", DEFAULT_WEIGHT)), f"adapter {name}")
        wanted = req.get("hash")
        try:
            info = resolve_adapter(req.get("path") or name, extra=extra, studio=studio)
            digest = file_sha256(Path(info.path))
        except ModelError:
            if not wanted:
                raise
            info, digest = None, ""
        if wanted and digest != wanted:
            info = next((a for a in find_adapters(extra, studio)
                         if a.runnable and file_sha256(Path(a.path)) == wanted), None)
            if info is None:
                raise ModelError(f"adapter {name}: the file with the content this shot was made with "
                                 f"(sha256 {wanted[:12]}…) is not on this machine; put it back in a models "
                                 "folder to render this shot again")
            digest = wanted
        if not fits(info.base_family, model.family):
            raise ModelError(f"{info.name}: a LoRA for {info.base_family} models, and {model.name} is "
                             f"{model.family}: choose a {info.base_family} model or another adapter")
        out.append(Adapter(name=req.get("label") or info.name, path=info.path, hash=digest,
                           weight=weight, base_family=info.base_family))
    return out


def file_sha256(path: Path) -> str:
    """The sha256 of a file, cached by (path, size, mtime) in <cache>/adapter-hashes.json."""
    from app.engine.hashes import cached, sha256_file

    st = path.stat()
    key = f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}"
    return cached("adapter-hashes.json", key, lambda: sha256_file(path))
