"""File hashes the recipes record (models, adapters), cached so big files are read once.

The cache is a JSON file per kind in the engine's cache folder, keyed by what identifies
a file's version (path, size, mtime); a read-only or full cache folder only costs a
re-hash next time."""

from __future__ import annotations

import hashlib
import json
import threading
from typing import Callable

_LOCK = threading.Lock()


def sha256_file(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def cached(store_name: str, key: str, compute: Callable[[], str]) -> str:
    """`compute()`'s answer for `key`, from <cache>/`store_name` when it holds one."""
    from app.engine.demo import cache_dir

    store = cache_dir() / store_name
    with _LOCK:
        try:
            known = json.loads(store.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            known = {}
        if not isinstance(known, dict):
            known = {}
        if isinstance(known.get(key), str):
            return known[key]
        known[key] = compute()
        try:
            store.parent.mkdir(parents=True, exist_ok=True)
            tmp = store.with_suffix(f".{threading.get_ident()}.tmp")
            tmp.write_text(json.dumps(known), encoding="utf-8")
            tmp.replace(store)
        except OSError:
            pass  # not kept: the next use hashes the file again
        return known[key]
