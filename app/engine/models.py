"""Models on this machine: diffusers folders, single-file .safetensors checkpoints, models
in the Hugging Face cache, and the demo model. Finding and describing them reads only
small files (model_index.json, model cards, safetensors headers), never weights."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path

from app.engine.checkpoint import (PICKLE_EXTS, ModelError, family_from_index, family_from_keys,
                                   license_from_card, license_from_header, pickle_refusal, read_header)
from app.engine.demo import DEMO_NAME, demo_path

__all__ = ["ModelInfo", "ModelError", "find_models", "resolve_model", "search_paths"]

# Families the engine knows how to drive, and the diffusers class each one needs.
_PIPELINES = {"SD 1.x": "StableDiffusionPipeline", "SD 2.x": "StableDiffusionPipeline",
              "SD-shaped": "StableDiffusionPipeline", "SDXL": "StableDiffusionXLPipeline",
              "SD3": "StableDiffusion3Pipeline", "FLUX": "FluxPipeline"}
_LARGE_ON_CPU = 3 * 1024**3  # above this, CPU renders take minutes


@dataclass(frozen=True)
class ModelInfo:
    name: str  # what --model accepts; stored in each shot's recipe
    path: str
    kind: str  # "demo" | "diffusers" | "hf-cache" | "single-file" | "pickle"
    family: str | None
    size_bytes: int
    license: str | None
    runnable: bool
    reason: str  # why it cannot run, or a caveat ("slow on CPU"); "" when none

    def to_dict(self) -> dict:
        return asdict(self)


def human_size(n: int) -> str:
    """A file size as people read it: 512 B, 4.3 MB, 6.9 GB."""
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"


def search_paths(extra=(), studio: Path | None = None) -> list[Path]:
    """<studio>/models, then $ATELIER_MODELS (os.pathsep-separated), then `extra`."""
    from app.paths import default_studio

    paths = [Path(studio or default_studio()) / "models"]
    paths += [Path(p).expanduser() for p in os.environ.get("ATELIER_MODELS", "").split(os.pathsep) if p]
    paths += [Path(p).expanduser() for p in extra]
    return paths


def hf_cache_dir() -> Path:
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"]).expanduser()
    home = os.environ.get("HF_HOME") or os.path.join(os.path.expanduser("~"), ".cache", "huggingface")
    return Path(home).expanduser() / "hub"


def find_models(extra=(), studio: Path | None = None) -> list[ModelInfo]:
    """Every model found on the search paths and in the HF cache, the demo model first."""
    found = [demo_info()]
    seen = {Path(found[0].path)}
    for base in search_paths(extra, studio):
        for candidate in _candidates(base):
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                found.append(describe(candidate))
    for name, snapshot in _hf_snapshots():
        if snapshot.resolve() not in seen:
            seen.add(snapshot.resolve())
            found.append(describe(snapshot, name=name, kind="hf-cache"))
    return found


def resolve_model(name_or_path: str | os.PathLike, extra=(), studio: Path | None = None) -> ModelInfo:
    """The model named (as `atelier models` lists it) or at a path; ModelError otherwise.
    A pickle path is refused by its name before the file is opened."""
    text = str(name_or_path).strip()
    if text in ("", DEMO_NAME):
        return demo_info()
    path = Path(text).expanduser()
    if path.suffix.lower() in PICKLE_EXTS:
        raise pickle_refusal(path)
    if path.exists():
        info = _renamed(describe(path), str(path.resolve()))
        for known in find_models(extra, studio):  # a listed model keeps its short name
            if Path(known.path).resolve() == path.resolve():
                info = known
                break
        if not info.runnable:
            named = info.reason.startswith((path.name, str(path)))
            raise ModelError(info.reason if named else f"{path.name}: {info.reason}")
        return info
    models = find_models(extra, studio)
    for match in (lambda m: m.name == text, lambda m: m.name.lower() == text.lower(),
                  lambda m: m.name.split("/")[-1].lower() == text.lower()):
        hits = [m for m in models if match(m)]
        if hits:
            if not hits[0].runnable:
                raise ModelError(f"{hits[0].name}: {hits[0].reason}")
            return hits[0]
    if text.endswith(".safetensors") or path.is_absolute() or text.startswith((".", "~")):
        raise ModelError(f"{path}: no such model file or folder")
    raise ModelError(f"no model named {text!r} on this machine; `atelier models` lists the ones found")


def demo_info() -> ModelInfo:
    """The demo model (built on first use; about 5 MB)."""
    path = demo_path()
    size = _size(path) if path.is_dir() else 5_000_000
    return ModelInfo(DEMO_NAME, str(path), "demo", "SD-shaped (demo)", size, "MIT", True,
                     "untrained placeholder pictures")


def describe(path: Path, name: str | None = None, kind: str | None = None) -> ModelInfo:
    """Describe one model folder or file. Unusable models are described (runnable=False,
    with the reason) rather than raised, so a listing shows everything that was found."""
    path = Path(path)
    name = name or (path.stem if path.is_file() or path.suffix else path.name)
    if path.suffix.lower() in PICKLE_EXTS:
        return ModelInfo(name, str(path), "pickle", None, _size(path), None, False, str(pickle_refusal(path)))
    if not path.exists():
        return ModelInfo(name, str(path), kind or "missing", None, 0, None, False, f"{path}: no such file or folder")
    try:
        if path.is_dir():
            family, cls = family_from_index(path)
            kind = kind or "diffusers"
            lic = license_from_card(path)
            if not _has_safetensors(path):
                return ModelInfo(name, str(path), kind, family, _size(path), lic, False,
                                 "its weights are pickle files (.bin), refused: loading a pickle can run "
                                 "arbitrary code; convert them to .safetensors")
            runnable, reason = _can_run(family, cls, _size(path))
            return ModelInfo(name, str(path), kind, family, _size(path), lic, runnable, reason)
        header = read_header(path)
        family = family_from_keys(k for k in header if k != "__metadata__")
        size = path.stat().st_size
        if family in (None, "LoRA"):
            why = ("a LoRA, not a full model" if family == "LoRA"
                   else "cannot tell which model family this checkpoint is (not a full SD/SDXL/FLUX checkpoint?)")
            return ModelInfo(name, str(path), "single-file", family, size, license_from_header(header), False, why)
        runnable, reason = _can_run(family, _PIPELINES.get(family), size)
        return ModelInfo(name, str(path), "single-file", family, size, license_from_header(header), runnable, reason)
    except ModelError as exc:
        return ModelInfo(name, str(path), kind or "single-file", None, _size(path), None, False, str(exc))


def _can_run(family: str | None, cls: str | None, size: int) -> tuple[bool, str]:
    import diffusers

    if not cls or not hasattr(diffusers, cls):
        return False, f"needs {cls or 'an unknown pipeline'}, which the installed diffusers {diffusers.__version__} lacks"
    if family is None:
        return False, f"unknown model family ({cls})"
    if size > _LARGE_ON_CPU and not _has_accelerator():
        return True, "runs, but slowly on this machine's CPU (minutes per image)"
    return True, ""


def _has_accelerator() -> bool:
    try:
        import torch
    except ImportError:
        return False
    mps = getattr(torch.backends, "mps", None)
    return torch.cuda.is_available() or bool(mps and mps.is_available())


def _candidates(base: Path):
    """Model folders and checkpoint files directly in `base` (or `base` itself)."""
    if base.is_file() and (base.suffix.lower() == ".safetensors" or base.suffix.lower() in PICKLE_EXTS):
        yield base
        return
    if not base.is_dir():
        return
    if (base / "model_index.json").is_file():
        yield base
        return
    for child in sorted(base.iterdir()):
        if child.is_dir() and (child / "model_index.json").is_file():
            yield child
        elif child.is_file() and child.suffix.lower() in (".safetensors",) + PICKLE_EXTS:
            yield child


def _hf_snapshots():
    """(org/name, snapshot folder) of each diffusers model in the Hugging Face cache."""
    hub = hf_cache_dir()
    if not hub.is_dir():
        return
    for repo in sorted(hub.glob("models--*")):
        snaps = repo / "snapshots"
        ref = repo / "refs" / "main"
        chosen = None
        if ref.is_file():
            chosen = snaps / ref.read_text(encoding="utf-8").strip()
        if chosen is None or not chosen.is_dir():
            options = sorted(snaps.glob("*"), key=lambda p: p.stat().st_mtime) if snaps.is_dir() else []
            chosen = options[-1] if options else None
        if chosen is not None and (chosen / "model_index.json").is_file():
            yield repo.name[len("models--"):].replace("--", "/"), chosen


def _has_safetensors(folder: Path) -> bool:
    weights = [p for p in folder.rglob("*") if p.suffix in (".safetensors", ".bin", ".ckpt", ".pt", ".pth")]
    return not weights or any(p.suffix == ".safetensors" for p in weights)


def _size(path: Path) -> int:
    try:
        if path.is_file():
            return path.stat().st_size
        seen, total = set(), 0
        for p in path.rglob("*"):
            real = p.resolve()  # HF cache snapshots link to shared blobs: count each once
            if real not in seen and real.is_file():
                seen.add(real)
                total += real.stat().st_size
        return total
    except OSError:
        return 0


def _renamed(info: ModelInfo, name: str) -> ModelInfo:
    return ModelInfo(name, info.path, info.kind, info.family, info.size_bytes, info.license, info.runnable, info.reason)
