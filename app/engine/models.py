"""Models and adapters on this machine: diffusers folders, single-file .safetensors
checkpoints, models in the Hugging Face cache, LoRA files, and the demo model. Finding and
describing them reads only small files (model_index.json, configs, model cards, safetensors
headers), never weights, and imports neither torch nor diffusers; what a header said is
cached by path, size and mtime (app/engine/scan_cache.py)."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path

from app.engine import scan_cache
from app.engine.checkpoint import PICKLE_EXTS, ModelError, license_from_card, pickle_refusal
from app.engine.demo import DEMO_NAME, demo_path
from app.engine.families import FAMILIES, family_of_class, is_edit, pipeline_available

__all__ = ["ModelInfo", "AdapterInfo", "ModelError", "find_models", "find_adapters", "resolve_model",
           "resolve_adapter", "search_paths"]

_LARGE_ON_CPU = 3 * 1024**3  # above this, CPU renders take minutes


@dataclass(frozen=True)
class ModelInfo:
    name: str  # what --model accepts; stored in each shot's recipe
    path: str
    kind: str  # "demo" | "folder" | "hf-cache" | "single-file" | "pickle"
    family: str | None
    size_bytes: int
    license: str | None
    runnable: bool
    reason: str  # why it cannot run, or a caveat ("slow on CPU"); "" when none
    license_assumed: bool = False  # the family's usual licence: the model itself does not say
    variant: str | None = None  # weights variant a folder is loaded with ("fp16", "bf16")
    config: str | None = None  # bundled config (app/resources/model_configs/<config>) of a single file
    edit: bool = False  # an instruction-edit model (FLUX Kontext, Qwen-Image-Edit)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class AdapterInfo:
    name: str  # what --lora and <lora:NAME:W> accept
    path: str
    kind: str  # "adapter"
    family: str  # "LoRA"
    base_family: str | None  # the model family it was trained for
    trigger_words: list
    size_bytes: int
    license: str | None
    runnable: bool
    reason: str
    layout: str = ""  # "kohya" | "diffusers" | "peft"

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
    return scan(extra, studio)[0]


def find_adapters(extra=(), studio: Path | None = None) -> list[AdapterInfo]:
    """Every LoRA adapter found on the search paths (and their lora/ sub-folders)."""
    return scan(extra, studio)[1]


def scan(extra=(), studio: Path | None = None) -> tuple[list[ModelInfo], list[AdapterInfo]]:
    found: list[ModelInfo] = [demo_info()]
    adapters: list[AdapterInfo] = []
    seen = {Path(found[0].path).resolve()}
    try:
        for base in search_paths(extra, studio):
            for candidate in _candidates(base):
                key = candidate.resolve()
                if key in seen:
                    continue
                seen.add(key)
                item = describe_any(candidate)
                (adapters if isinstance(item, AdapterInfo) else found).append(item)
        for name, snapshot in _hf_snapshots():
            if snapshot.resolve() not in seen:
                seen.add(snapshot.resolve())
                found.append(describe(snapshot, name=name, kind="hf-cache"))
    finally:
        scan_cache.save()
    return found, adapters


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
        info = describe_any(path)
        scan_cache.save()
        if isinstance(info, AdapterInfo):
            raise ModelError(f"{path.name}: a LoRA adapter, not a full model: use it with --lora "
                             f"on a {info.base_family or 'matching'} model")
        info = _renamed(info, str(path.resolve()))
        for known in find_models(extra, studio):  # a listed model keeps its short name
            if Path(known.path).resolve() == path.resolve():
                info = known
                break
        if not info.runnable:
            named = info.reason.startswith((path.name, str(path)))
            raise ModelError(info.reason if named else f"{path.name}: {info.reason}")
        return info
    models, adapters = scan(extra, studio)
    for match in (lambda m: m.name == text, lambda m: m.name.lower() == text.lower(),
                  lambda m: m.name.split("/")[-1].lower() == text.lower()):
        hits = [m for m in models if match(m)]
        if hits:
            if not hits[0].runnable:
                raise ModelError(f"{hits[0].name}: {hits[0].reason}")
            return hits[0]
    if any(a.name.lower() == text.lower() for a in adapters):
        raise ModelError(f"{text}: a LoRA adapter, not a full model: use it with --lora on a model of its family")
    if text.endswith(".safetensors") or path.is_absolute() or text.startswith((".", "~")):
        raise ModelError(f"{path}: no such model file or folder")
    raise ModelError(f"no model named {text!r} on this machine; `atelier models` lists the ones found")


def resolve_adapter(name_or_path: str, extra=(), studio: Path | None = None) -> AdapterInfo:
    """The adapter named (as listed) or at a path; ModelError with one clear line otherwise."""
    text = str(name_or_path).strip()
    path = Path(text).expanduser()
    if path.suffix.lower() in PICKLE_EXTS:
        raise pickle_refusal(path)
    if path.exists():
        item = describe_any(path)
        scan_cache.save()
        if not isinstance(item, AdapterInfo):
            raise ModelError(f"{path.name}: not a LoRA adapter ({item.family or 'unknown'} model file)")
    else:
        adapters = find_adapters(extra, studio)
        hits = [a for a in adapters if a.name == text] or [a for a in adapters if a.name.lower() == text.lower()]
        if not hits:
            if text.endswith(".safetensors") or path.is_absolute() or text.startswith((".", "~")):
                raise ModelError(f"{path}: no such adapter file")
            raise ModelError(f"no adapter named {text!r} on this machine; `atelier models` lists the ones found")
        item = hits[0]
    if not item.runnable:
        raise ModelError(f"{item.name}: {item.reason}")
    return item


def demo_info() -> ModelInfo:
    """The demo model that ships with Atelier (a 64×64 sketch model, a few MB)."""
    path = demo_path()
    here = (path / "model_index.json").is_file()
    size = _size(path) if here else 0
    return ModelInfo(DEMO_NAME, str(path), "demo", "SD-shaped (demo)", size, "MIT", here,
                     "a 64×64 sketch model for trying the studio" if here else
                     f"the demo model is missing from {path}")


def model_name(path: Path) -> str:
    """A file's name without .safetensors; a folder's whole name (dots kept: sd3.5-large)."""
    if path.suffix.lower() == ".safetensors" or path.suffix.lower() in PICKLE_EXTS:
        return path.stem
    return path.name


def describe_any(path: Path, name: str | None = None, kind: str | None = None):
    """A ModelInfo, or an AdapterInfo for a LoRA file (or a folder holding one)."""
    path = Path(path)
    lora = _lora_file(path)
    if lora is not None:
        return describe_adapter(lora, name or model_name(path))
    return describe(path, name, kind)


def describe(path: Path, name: str | None = None, kind: str | None = None) -> ModelInfo:
    """Describe one model folder or file. Unusable models are described (runnable=False,
    with the reason) rather than raised, so a listing shows everything that was found."""
    from app.engine.folders import check_folder, read_index

    path = Path(path)
    name = name or model_name(path)
    if path.suffix.lower() in PICKLE_EXTS:
        return ModelInfo(name, str(path), "pickle", None, _size(path), None, False, str(pickle_refusal(path)))
    if not path.exists():
        return ModelInfo(name, str(path), kind or "missing", None, 0, None, False, f"{path}: no such file or folder")
    try:
        if path.is_dir():
            kind = kind or "folder"
            index = read_index(path)
            cls = str(index.get("_class_name", ""))
            family = family_of_class(cls, _cross_attention(path))
            lic, assumed = _licence(license_from_card(path), family)
            size = _size(path)
            ok, why = pipeline_available(cls) if cls else (False, "model_index.json names no pipeline class")
            variant = None
            if ok:
                ok, why, variant = check_folder(path, header_check=scan_cache.check_header)
            if ok:
                why = _caveat(size)
            return ModelInfo(name, str(path), kind, family, size, lic, ok, why, assumed, variant,
                             None, is_edit(family))
        summary = scan_cache.single_file(path)
        size = path.stat().st_size
        family = summary["family"]
        lic, assumed = _licence(summary.get("license"), family)
        problem = summary.get("problem") or ""
        if family == "LoRA":
            problem = "a LoRA adapter, not a full model: use it with --lora on a model of its family"
        elif not problem and family in FAMILIES:
            ok, problem = pipeline_available(FAMILIES[family].pipeline)
        runnable = not problem
        return ModelInfo(name, str(path), "single-file", family, size, lic, runnable,
                         problem or _caveat(size), assumed, None, summary.get("config"), is_edit(family))
    except ModelError as exc:
        return ModelInfo(name, str(path), kind or ("folder" if path.is_dir() else "single-file"), None,
                         _size(path), None, False, str(exc))


def describe_adapter(path: Path, name: str | None = None) -> AdapterInfo:
    path = Path(path)
    name = name or model_name(path)
    try:
        summary = scan_cache.single_file(path)
    except ModelError as exc:
        return AdapterInfo(name, str(path), "adapter", "LoRA", None, [], _size(path), None, False, str(exc))
    base = summary.get("base_family")
    reason = "" if base else "cannot tell which model family it was made for"
    return AdapterInfo(name, str(path), "adapter", "LoRA", base, list(summary.get("trigger_words") or []),
                       _size(path), summary.get("license"), True, reason, summary.get("layout", ""))


def _licence(stated: str | None, family: str | None) -> tuple[str | None, bool]:
    """The model's own licence, else its family's usual one (marked as assumed)."""
    if stated:
        return stated, False
    fam = FAMILIES.get(family or "")
    if fam is None or fam.licence == "unknown":
        return None, False
    return fam.licence, True


def _cross_attention(folder: Path):
    import json

    try:
        return json.loads((folder / "unet" / "config.json").read_text(encoding="utf-8")).get("cross_attention_dim")
    except (OSError, ValueError, AttributeError):
        return None


def _caveat(size: int) -> str:
    if size > _LARGE_ON_CPU and not _has_accelerator():
        return "runs, but slowly on this machine's CPU (minutes per image)"
    return ""


def _has_accelerator() -> bool:
    """Judged without importing torch (the listing must stay fast)."""
    from app.engine.device import guess

    return guess()[0] != "cpu"


_ADAPTER_DIRS = ("lora", "loras", "adapters", "adapter")


def _candidates(base: Path):
    """Model folders, checkpoint files and LoRA files directly in `base` (or `base` itself),
    and in its lora/ (loras/, adapters/) sub-folders."""
    exts = (".safetensors",) + PICKLE_EXTS
    if base.is_file() and base.suffix.lower() in exts:
        yield base
        return
    if not base.is_dir():
        return
    if (base / "model_index.json").is_file():
        yield base
        return
    for child in sorted(base.iterdir()):
        if child.is_symlink() and not child.resolve().is_relative_to(base.resolve()):
            continue  # nothing follows a link out of the folder
        if child.is_dir() and (child / "model_index.json").is_file():
            yield child
        elif child.is_dir() and _lora_file(child) is not None:
            yield child
        elif child.is_dir() and child.name.lower() in _ADAPTER_DIRS:
            for inner in sorted(child.iterdir()):
                if inner.is_file() and inner.suffix.lower() == ".safetensors":
                    yield inner
        elif child.is_file() and child.suffix.lower() in exts:
            yield child


_LORA_NAMES = ("pytorch_lora_weights.safetensors", "adapter_model.safetensors")


def _lora_file(path: Path) -> Path | None:
    """The LoRA weights file of `path` (a LoRA .safetensors, or a folder holding one)."""
    if path.is_dir():
        if (path / "model_index.json").is_file():
            return None
        for n in _LORA_NAMES:
            if (path / n).is_file():
                return path / n
        return None
    if path.suffix.lower() != ".safetensors":
        return None
    try:
        return path if scan_cache.single_file(path)["family"] == "LoRA" else None
    except ModelError:
        return None


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
    from dataclasses import replace

    return replace(info, name=name)
