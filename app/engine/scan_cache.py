"""What the model listing learnt from each safetensors header, kept by (path, size, mtime)
in `<cache>/model-scan.json`, so listing a few multi-gigabyte files stays fast and a file
is re-read only when it changes. No torch, no unpickling: headers are JSON."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from app.engine.checkpoint import ModelError, license_from_header, read_header

SCHEMA = 2  # bump when what is stored (or how it is judged) changes
_LOCK = threading.Lock()
_state: dict = {"data": None, "dirty": False, "file": None}


def _file() -> Path:
    from app.engine.demo import cache_dir

    return cache_dir() / "model-scan.json"


def _configs_stamp() -> str:
    from app.engine.singlefile import CONFIG_ROOT

    try:
        return ",".join(sorted(p.name for p in CONFIG_ROOT.iterdir() if (p / "model_index.json").is_file()))
    except OSError:
        return ""


def _data() -> dict:
    path = _file()
    if _state["data"] is None or _state["file"] != path:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("schema") != SCHEMA or data.get("configs") != _configs_stamp():
                raise ValueError("stale")
        except (OSError, ValueError, AttributeError):
            data = {"schema": SCHEMA, "configs": _configs_stamp(), "files": {}}
        _state.update(data=data, file=path, dirty=False)
    return _state["data"]


def _key(path: Path) -> tuple[str, list]:
    st = path.stat()
    return str(path.resolve()), [st.st_size, st.st_mtime_ns]


def _lookup(path: Path, what: str, compute):
    with _LOCK:
        try:
            key, stamp = _key(path)
        except FileNotFoundError:
            raise ModelError(f"{path}: no such model file") from None
        entry = _data()["files"].get(key)
        if entry and entry.get("stamp") == stamp and what in entry:
            value = entry[what]
        else:
            try:
                value = {"ok": compute(path)}
            except ModelError as exc:
                value = {"error": str(exc)}
            if not entry or entry.get("stamp") != stamp:
                entry = {"stamp": stamp}
            entry[what] = value
            _data()["files"][key] = entry
            _state["dirty"] = True
    if "error" in value:
        raise ModelError(value["error"])
    return value["ok"]


def check_header(path: Path) -> None:
    """Raise ModelError when `path` is not a readable, complete safetensors file."""
    _lookup(Path(path), "valid", lambda p: bool(read_header(p)) or True)


def single_file(path: Path) -> dict:
    """{family, config, variant, problem, license} of a checkpoint, or for a LoRA
    {family: "LoRA", base_family, trigger_words, layout, license}."""
    return _lookup(Path(path), "summary", _summarise)


def _summarise(path: Path) -> dict:
    from app.engine import adapters, singlefile

    header = read_header(path)
    keys = [k for k in header if k != "__metadata__"]
    lic = license_from_header(header)
    if singlefile.is_lora(keys):
        return {"family": "LoRA", "base_family": adapters.base_family(header),
                "trigger_words": adapters.trigger_words(header), "layout": adapters.layout(keys),
                "license": lic}
    found = singlefile.inspect(header, path.name)
    return {"family": found.family, "config": found.config, "variant": found.variant,
            "problem": found.problem, "license": lic}


def save() -> None:
    """Write what was learnt (atomically; a read-only cache only costs re-reading)."""
    with _LOCK:
        if not _state["dirty"] or _state["data"] is None:
            return
        path = _state["file"]
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps(_state["data"]), encoding="utf-8")
            tmp.replace(path)
            _state["dirty"] = False
        except OSError:
            pass
