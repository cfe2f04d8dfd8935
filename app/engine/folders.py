"""Whether a diffusers folder can render offline: every component that model_index.json
names must be here with its files — weights (plain, or an fp16/bf16 variant), tokenizer
vocabularies, scheduler and processor configs. Reads only names and safetensors headers."""

from __future__ import annotations

import json
import re
from pathlib import Path

from app.engine.checkpoint import PICKLE_EXTS, ModelError, read_header

VARIANTS = ("fp16", "bf16")
# Components a text-to-image render does without (the engine passes None for them).
OPTIONAL = ("safety_checker", "feature_extractor", "image_encoder")
_TOKENIZER_FILES = (("tokenizer.json",), ("vocab.json", "merges.txt"), ("spiece.model",),
                    ("tokenizer.model",), ("vocab.txt",), ("sentencepiece.bpe.model",))
_SHARD = re.compile(r"-\d{5}-of-\d{5}$")


def read_index(folder: Path) -> dict:
    try:
        index = json.loads((folder / "model_index.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{folder}: not a diffusers model folder (no model_index.json)") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ModelError(f"{folder.name}: model_index.json is corrupt ({exc})") from None
    if not isinstance(index, dict):
        raise ModelError(f"{folder.name}: model_index.json is corrupt (not an object)")
    return index


def components(index: dict) -> dict[str, str]:
    """{component name: class name} of the components the pipeline loads."""
    out = {}
    for name, value in index.items():
        if name.startswith("_") or not isinstance(value, list) or len(value) != 2:
            continue
        if value[0] is None or value[1] is None:
            continue
        out[name] = str(value[1])
    return out


def weight_variant(name: str) -> str | None:
    """"" for plain weights, "fp16"/"bf16" for a variant file, None when not safetensors weights.
    Plain: model.safetensors, model-00001-of-00002.safetensors; variant: model.fp16.safetensors,
    model.fp16-00001-of-00002.safetensors."""
    if not name.endswith(".safetensors"):
        return None
    stem = name[: -len(".safetensors")]
    last = _SHARD.sub("", stem.rsplit(".", 1)[-1]) if "." in stem else ""
    return last if last in VARIANTS else ""


def check_folder(folder: Path, header_check=None) -> tuple[bool, str, str | None]:
    """(runnable, reason, variant) of a diffusers folder. `header_check(path)` validates one
    safetensors file (default: read its header); it raises ModelError for a broken one."""
    header_check = header_check or read_header
    index = read_index(folder)
    comps = {n: c for n, c in components(index).items() if n not in OPTIONAL}
    if not comps:
        return False, "model_index.json names no components", None
    plain_ok, by_variant, missing = set(), {v: set() for v in VARIANTS}, []
    models = []
    for name, cls in comps.items():
        sub = folder / name
        kind = _kind(cls)
        if kind == "scheduler":
            if not (sub / "scheduler_config.json").is_file():
                missing.append(f"{name} (no scheduler_config.json)")
        elif kind == "tokenizer":
            if not any(all((sub / f).is_file() for f in files) for files in _TOKENIZER_FILES):
                missing.append(f"{name} (no tokenizer vocabulary)")
        elif kind == "processor":
            if not sub.is_dir() or not any(sub.glob("*.json")):
                missing.append(f"{name} (no processor config)")
        else:
            models.append(name)
            if not (sub / "config.json").is_file():
                missing.append(f"{name} (no config.json)")
                continue
            found = _weights(sub)
            if not found:
                pickles = [p.name for p in sub.iterdir() if p.suffix.lower() in PICKLE_EXTS] if sub.is_dir() else []
                if pickles:
                    return False, (f"its {name} weights are pickle files ({pickles[0]}), refused: loading a "
                                   "pickle can run arbitrary code; convert them to .safetensors"), None
                missing.append(f"{name} (no weights)")
                continue
            for variant, files in found.items():
                for f in files:
                    header_check(f)
                (plain_ok if variant == "" else by_variant[variant]).add(name)
    if missing:
        what = "configs only, no weights" if all("weights" in m for m in missing) and \
            len(missing) == len(models) else "incomplete"
        return False, f"{what}: missing {', '.join(missing)}", None
    if len(plain_ok) == len(models):
        return True, "", None
    for variant in VARIANTS:  # components without plain weights must all have this variant
        if all(n in plain_ok or n in by_variant[variant] for n in models):
            return True, "", variant
    return False, "its components' weights are of mixed variants (fp16 and bf16) with no plain set", None


def _kind(cls: str) -> str:
    if cls.endswith("Scheduler") or "Scheduler" in cls:
        return "scheduler"
    if "Tokenizer" in cls:
        return "tokenizer"
    if "Processor" in cls or "FeatureExtractor" in cls:
        return "processor"
    return "model"


def _weights(sub: Path) -> dict[str, list[Path]]:
    """{variant: weight files} in a component folder; a sharded set counts only when every
    shard its index names is present."""
    if not sub.is_dir():
        return {}
    out: dict[str, list[Path]] = {}
    names = {p.name: p for p in sub.iterdir() if p.is_file()}
    for name, path in names.items():
        if name.endswith(".safetensors.index.json") or re.search(r"\.safetensors\.index\.(fp16|bf16)\.json$", name):
            try:
                shards = set(json.loads(path.read_text(encoding="utf-8")).get("weight_map", {}).values())
            except (OSError, ValueError, AttributeError):
                raise ModelError(f"{sub.name}/{name}: corrupt shard index; copy the model again") from None
            if shards and all(s in names for s in shards):
                variant = weight_variant(sorted(shards)[0]) or ""
                out.setdefault(variant, []).extend(names[s] for s in sorted(shards))
    for name, path in names.items():
        variant = weight_variant(name)
        if variant is None or _SHARD.search(name[: -len(".safetensors")]):
            continue  # shards are counted through their index
        out.setdefault(variant, []).append(path)
    return out
