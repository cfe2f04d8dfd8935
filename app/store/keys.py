"""What the record keeps outside the studio, in the user's config folder (app.paths.config_dir,
`$ATELIER_CONFIG` in tests): the key that seals a studio's record, and the record's head as
this machine last saw it.

- `keys/<studio id>.key`: 32 random bytes (hex), readable by this user only. Whoever holds it
  (with write access to the studio) can seal records; whoever only has the studio folder
  cannot, so a record rewritten with recomputed hashes no longer verifies. To work on a
  studio from a second machine, copy this file into that machine's config folder.
- `heads/<sha256 of the studio's real path>.json`: `{"path", "studio", "count", "mac",
  "time"}`, the last entry this machine sealed or accepted in the studio at that path. A
  record shorter than it (its last entries removed, or an old backup put in its place), an
  entry there with another seal (rewritten), or another studio's database in that folder
  is reported by `history --verify`.

Both are written atomically (temporary file, rename). Nothing here follows a link.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
from datetime import datetime, timezone
from pathlib import Path

from app.paths import config_dir

_ID = re.compile(r"^[0-9a-f]{32}$")


def valid_id(studio_id) -> bool:
    return isinstance(studio_id, str) and bool(_ID.match(studio_id))


def key_path(studio_id: str) -> Path:
    if not valid_id(studio_id):
        raise ValueError(f"not a studio id: {studio_id!r}")
    return config_dir() / "keys" / f"{studio_id}.key"


def load_key(studio_id: str) -> bytes | None:
    """The studio's record key, or None when this machine does not have it."""
    if not valid_id(studio_id):
        return None
    path = key_path(studio_id)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        text = os.read(fd, 256).decode("ascii", "replace").strip()
    finally:
        os.close(fd)
    try:
        key = bytes.fromhex(text)
    except ValueError:
        return None
    return key if len(key) >= 32 else None


def create_key(studio_id: str) -> bytes:
    """A new key for a studio that has none (an existing key file is kept and returned)."""
    existing = load_key(studio_id)
    if existing is not None:
        return existing
    path = key_path(studio_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.chmod(path.parent, 0o700)
    except OSError:
        pass
    key = secrets.token_bytes(32)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key.hex().encode("ascii") + b"\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return key


def _head_path(studio_path: Path) -> Path:
    real = os.path.realpath(studio_path)
    return config_dir() / "heads" / (hashlib.sha256(real.encode("utf-8", "surrogateescape")).hexdigest()[:32] + ".json")


def load_head(studio_path: Path) -> dict | None:
    """The head this machine last saw for the studio at this path, or None."""
    try:
        data = json.loads(_head_path(studio_path).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    if not (isinstance(data, dict) and isinstance(data.get("count"), int)
            and isinstance(data.get("mac"), str) and isinstance(data.get("studio"), str)):
        return None
    return data


def save_head(studio_path: Path, studio_id: str, count: int, mac: str, *, force: bool = False) -> None:
    """Remember the record's head. Only moves forward (a slower writer never moves it back)
    unless `force` (a restore through Atelier, a new studio in this folder). Best effort: a
    full disk here must not fail the action whose commit already happened."""
    path = _head_path(studio_path)
    try:
        if not force:
            old = load_head(studio_path)
            if old is not None and old["studio"] == studio_id and old["count"] >= count:
                return
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        data = {"path": os.path.realpath(studio_path), "studio": studio_id, "count": count, "mac": mac,
                "time": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(data, fh)
        os.replace(tmp, path)
    except OSError:
        pass
