"""The talent's files in the studio: reference photos, twin adapters and consent evidence,
content-addressed under `<studio>/talent/` (`photos/`, `adapters/`, `evidence/`), each
named by the sha256 of its bytes. Files are copied in (written to a temporary name, then
renamed), never linked, and nothing here follows a symlink inside the studio.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import struct
from pathlib import Path

from app.store.errors import InvalidInput, StoreError

MAX_PHOTO = 50 * 2**20
MAX_EVIDENCE = 50 * 2**20
MAX_ADAPTER = 8 * 2**30
KINDS = ("photos", "adapters", "evidence")
_PICKLE_SUFFIXES = (".ckpt", ".bin", ".pt", ".pth", ".pkl", ".pickle")
_PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "TIFF": "tif"}


def folder(studio_path, kind: str) -> Path:
    assert kind in KINDS
    root = Path(studio_path) / "talent"
    for part in (root, root / kind):
        if part.is_symlink():
            raise StoreError(f"{part} is a symbolic link; Atelier does not follow links in the studio")
        part.mkdir(exist_ok=True)
    return root / kind


def path(studio_path, kind: str, digest: str, ext: str) -> Path:
    return Path(studio_path) / "talent" / kind / f"{digest}.{ext}"


def _source(file, what: str, limit: int) -> Path:
    src = Path(os.fspath(file)).expanduser()
    if not src.is_file():
        raise InvalidInput(f"{what} {str(src)!r} is not a file")
    size = src.stat().st_size
    if size == 0:
        raise InvalidInput(f"{what} {str(src)!r} is empty")
    if size > limit:
        raise InvalidInput(f"{what} {str(src)!r} is too large ({size // 2**20} MB; at most {limit // 2**20} MB)")
    return src


def check_photo(file) -> tuple[bytes, str]:
    """The bytes of a readable photo and its extension; InvalidInput otherwise."""
    from PIL import Image, UnidentifiedImageError

    src = _source(file, "the reference photo", MAX_PHOTO)
    data = src.read_bytes()
    try:
        with Image.open(io.BytesIO(data)) as img:
            fmt = img.format
            img.verify()
        with Image.open(io.BytesIO(data)) as img:
            img.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise InvalidInput(f"the reference photo {str(src)!r} is not a picture Atelier can read") from None
    if fmt not in _PHOTO_FORMATS:
        raise InvalidInput(f"the reference photo {str(src)!r} is {fmt}; use JPEG, PNG, WebP or TIFF")
    return data, _PHOTO_FORMATS[fmt]


def check_adapter(file) -> tuple[Path, dict]:
    """A LoRA file that is safetensors (never a pickle): its path and its metadata."""
    src = Path(os.fspath(file)).expanduser()
    if src.suffix.lower() in _PICKLE_SUFFIXES:
        raise InvalidInput(f"the adapter {src.name!r} is a pickle file ({src.suffix}); loading one can "
                           "run arbitrary code — use a .safetensors adapter")
    src = _source(file, "the adapter", MAX_ADAPTER)
    with open(src, "rb") as fh:
        head = fh.read(8)
        if head[:1] == b"\x80" or head[:2] == b"PK":
            raise InvalidInput(f"the adapter {src.name!r} is a pickle or zip file, not safetensors")
        if len(head) < 8:
            raise InvalidInput(f"the adapter {src.name!r} is not a safetensors file (too short)")
        (n,) = struct.unpack("<Q", head)
        if n < 2 or n > 100 * 2**20 or n + 8 > src.stat().st_size:
            raise InvalidInput(f"the adapter {src.name!r} is not a safetensors file (bad header)")
        try:
            header = json.loads(fh.read(n).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise InvalidInput(f"the adapter {src.name!r} is not a safetensors file (bad header)") from None
    if not isinstance(header, dict) or not any(k != "__metadata__" for k in header):
        raise InvalidInput(f"the adapter {src.name!r} holds no tensors")
    meta = header.get("__metadata__") if isinstance(header.get("__metadata__"), dict) else {}
    return src, meta


def check_evidence(file) -> tuple[Path, str]:
    src = _source(file, "the evidence file", MAX_EVIDENCE)
    ext = src.suffix.lower().lstrip(".")
    if not re.fullmatch(r"[a-z0-9]{1,8}", ext):
        ext = "bin"
    return src, ext


def put_bytes(studio_path, kind: str, data: bytes, ext: str) -> str:
    digest = hashlib.sha256(data).hexdigest()
    target = path(studio_path, kind, digest, ext)
    folder(studio_path, kind)
    if target.is_file() and not target.is_symlink():
        return digest
    tmp = target.with_name(f".{digest}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, target)
    return digest


def put_file(studio_path, kind: str, src: Path, ext: str) -> str:
    """Copy a (possibly large) file in, hashing while copying."""
    dest = folder(studio_path, kind)
    tmp = dest / f".incoming.{os.getpid()}.tmp"
    h = hashlib.sha256()
    try:
        with open(src, "rb") as fin, open(tmp, "wb") as fout:
            for block in iter(lambda: fin.read(2**20), b""):
                h.update(block)
                fout.write(block)
            fout.flush()
            os.fsync(fout.fileno())
        digest = h.hexdigest()
        target = path(studio_path, kind, digest, ext)
        if target.is_symlink():
            target.unlink()
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()
    return digest


def remove(studio_path, kind: str, digest: str, ext: str) -> bool:
    """Erase one file (not a link: a link is only unlinked, its target is never touched)."""
    target = path(studio_path, kind, digest, ext)
    try:
        target.unlink()
        return True
    except FileNotFoundError:
        return False
