"""What the studio delivered: its delivery id and the exports journal, in `<studio>/delivery/`.

- `studio.json`: `{"id": "<uuid hex>"}`, made on first export. The watermark carries a
  16-bit tag of it and the C2PA manifest the whole id, so `verify` knows this studio's files.
- `exports.jsonl`: one line per exported file, appended, never rewritten:
  `{"n", "time", "shot", "board", "preset", "channel", "path", "sha256", "width", "height",
  "consent", "prev", "hash"}`; `hash` = sha256 of `prev` + the line's canonical JSON without
  `hash`, so a changed or removed line breaks the chain (`verify_exports`).

A journal file rather than a table: only the store and talent areas add migrations; when
the store chains its own record (issue 8) these lines can move into the database.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from datetime import datetime, timezone
from pathlib import Path

GENESIS = "0" * 64


def folder(studio) -> Path:
    return Path(studio.path) / "delivery"


def known_studio_id(studio) -> str | None:
    """This studio's delivery id, None before its first export (nothing is written)."""
    try:
        return str(json.loads((folder(studio) / "studio.json").read_text(encoding="utf-8"))["id"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def studio_id(studio) -> str:
    """This studio's delivery id (made and kept on first use)."""
    known = known_studio_id(studio)
    if known is not None:
        return known
    path = folder(studio) / "studio.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    ident = uuid.uuid4().hex
    tmp = path.with_name(".studio.json.tmp")
    tmp.write_text(json.dumps({"id": ident}), encoding="utf-8")
    os.replace(tmp, path)
    return ident


def _canon(d: dict) -> str:
    return json.dumps(d, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def entries(studio) -> list[dict]:
    path = folder(studio) / "exports.jsonl"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    out = []
    for line in text.splitlines():
        if line.strip():
            try:
                out.append(json.loads(line))
            except ValueError:
                out.append({"unreadable": line})
    return out


def exported_shots(studio) -> dict[int, list[dict]]:
    """shot id -> its export lines."""
    by_shot: dict[int, list[dict]] = {}
    for e in entries(studio):
        if isinstance(e.get("shot"), int):
            by_shot.setdefault(e["shot"], []).append(e)
    return by_shot


def record(studio, lines: list[dict]) -> list[dict]:
    """Append export lines (one write, fsynced). Returns them with n, time, prev, hash."""
    old = entries(studio)
    prev = old[-1].get("hash", GENESIS) if old else GENESIS
    n = len(old)
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    done, text = [], ""
    for line in lines:
        n += 1
        entry = dict(line, n=n, time=now, prev=prev)
        entry["hash"] = hashlib.sha256((prev + _canon(entry)).encode("utf-8")).hexdigest()
        prev = entry["hash"]
        done.append(entry)
        text += _canon(entry) + "\n"
    path = folder(studio) / "exports.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    return done


def verify_exports(studio) -> tuple[bool, str]:
    prev = GENESIS
    lines = entries(studio)
    for i, e in enumerate(lines, 1):
        body = {k: v for k, v in e.items() if k != "hash"}
        if e.get("n") != i or e.get("prev") != prev or \
                hashlib.sha256((prev + _canon(body)).encode("utf-8")).hexdigest() != e.get("hash"):
            return False, f"exports journal line {i} was changed, removed or reordered"
        prev = e["hash"]
    return True, f"{len(lines)} export lines intact"
