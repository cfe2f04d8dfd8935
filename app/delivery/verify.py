"""`verify`: what a file says about itself — its C2PA manifest, its XMP, its watermark.

A file passes (exit 0) when an AI label is found (a valid manifest with the source type,
the IPTC DigitalSourceType in XMP, or the watermark) and nothing found is invalid; it
fails (exit 5) when a manifest is invalid (its picture or claim changed after signing) or
no label is found at all.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from app.delivery import watermark
from app.delivery.credentials import AI_SOURCE_TYPE, SHOT_ASSERTION

_XMP_DST = re.compile(rb"Iptc4xmpExt:DigitalSourceType(?:=\"([^\"]*)\"|>([^<]*)<)")
_PNG_DST = re.compile(rb"DigitalSourceType\x00(http[^\x00]{8,200})")
# Validation codes that do not make a manifest invalid: our own certificates are untrusted.
_TOLERATED = {"signingCredential.untrusted", "signingCredential.ocsp.skipped",
              "timeStamp.untrusted", "signingCredential.ocsp.inaccessible"}
_MIMES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "TIFF": "image/tiff",
          "GIF": "image/gif", "AVIF": "image/avif", "HEIF": "image/heif"}


@dataclass
class Finding:
    c2pa: dict = field(default_factory=lambda: {"present": False, "valid": None, "signer": None,
                                                "digital_source_type": None})
    iptc_digital_source_type: str | None = None
    watermark: dict = field(default_factory=lambda: {"found": False, "shot": None})
    shot: dict | None = None  # what this studio knows of the shot, when it is one of its own
    problems: list = field(default_factory=list)

    @property
    def labelled(self) -> bool:
        return bool((self.c2pa["valid"] and self.c2pa["digital_source_type"])
                    or self.iptc_digital_source_type or self.watermark["found"])

    @property
    def ok(self) -> bool:
        return self.labelled and self.c2pa["valid"] is not False

    def to_dict(self) -> dict:
        d = {"c2pa": dict(self.c2pa), "iptc_digital_source_type": self.iptc_digital_source_type,
             "watermark": dict(self.watermark), "ok": self.ok}
        if self.shot is not None:
            d["shot"] = self.shot
        if self.problems:
            d["problems"] = list(self.problems)
        return d


def _mime(data: bytes, image) -> str | None:
    if image is not None and image.format in _MIMES:
        return _MIMES[image.format]
    if data[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def _read_c2pa(data: bytes, mime: str | None, f: Finding) -> dict | None:
    import c2pa

    if mime is None:
        return None
    try:
        reader = c2pa.Reader(mime, io.BytesIO(data))
    except c2pa.C2paError as exc:
        text = str(exc)
        if "ManifestNotFound" in type(exc).__name__ or "not found" in text.lower() \
                or "no manifest" in text.lower() or "JumbfNotFound" in text:
            return None
        f.c2pa.update(present=True, valid=False)
        f.problems.append(f"the C2PA manifest cannot be read: {text}")
        return None
    with reader:
        active = reader.get_active_manifest()
        state = reader.get_validation_state()
        results = reader.get_validation_results() or {}
    f.c2pa["present"] = True
    failures = [r for r in (results.get("activeManifest") or {}).get("failure", [])
                if r.get("code") not in _TOLERATED]
    valid = state in ("Valid", "Trusted") and not failures
    f.c2pa["valid"] = valid
    if not valid:
        why = "; ".join(f"{r.get('code')}: {r.get('explanation')}" for r in failures) or state
        f.problems.append(f"the C2PA manifest is not valid ({why})")
    if active:
        sig = active.get("signature_info") or {}
        f.c2pa["signer"] = sig.get("common_name") or sig.get("issuer")
        f.c2pa["issuer"] = sig.get("issuer")
        f.c2pa["trusted"] = state == "Trusted"
        for a in active.get("assertions", []):
            if a.get("label", "").startswith("c2pa.actions"):
                for act in (a.get("data") or {}).get("actions", []):
                    if act.get("action") == "c2pa.created" and act.get("digitalSourceType"):
                        f.c2pa["digital_source_type"] = act["digitalSourceType"]
            if a.get("label") == SHOT_ASSERTION:
                return a.get("data") or {}
    return None


def verify_bytes(data: bytes, studio=None) -> Finding:
    from PIL import Image, UnidentifiedImageError

    f = Finding()
    image = None
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        f.problems.append(f"the picture cannot be decoded: {exc}")
        image = None
    mime = _mime(data, image)
    claimed = _read_c2pa(data, mime, f)
    m = _XMP_DST.search(data) or _PNG_DST.search(data)
    if m:
        f.iptc_digital_source_type = (m.group(1) or (m.group(2) if m.lastindex and m.lastindex > 1 else b"")
                                      or b"").decode("utf-8", "replace").strip() or None
    if image is not None:
        mark = watermark.detect(image)
        if mark is not None:
            f.watermark.update(found=True, shot=mark.shot, studio_tag=f"{mark.studio_tag:04x}",
                               confidence=mark.confidence)
    _name_shot(f, claimed, studio)
    return f


def _name_shot(f: Finding, claimed: dict | None, studio) -> None:
    """Say which shot of this studio the file is, from the manifest or the watermark."""
    if studio is None:
        return
    from app.delivery import journal
    from app.store import repo
    from app.store.errors import StoreError

    sid = journal.known_studio_id(studio)
    if sid is None:
        return
    shot_id, source = None, None
    if claimed and claimed.get("studio") == sid and f.c2pa["valid"]:
        shot_id, source = claimed.get("shot"), "c2pa"
    elif f.watermark["found"] and f.watermark.get("studio_tag") == f"{watermark.studio_tag(sid):04x}":
        shot_id, source = f.watermark["shot"], "watermark"
    f.watermark["this_studio"] = f.watermark["found"] and \
        f.watermark.get("studio_tag") == f"{watermark.studio_tag(sid):04x}"
    if shot_id is None:
        return
    try:
        shot = repo.get_shot(studio, shot_id)
        board = repo.get_board(studio, shot.board_id).name
    except StoreError:
        f.shot = {"id": shot_id, "known": False, "from": source}
        return
    f.shot = {"id": shot.id, "board": board, "status": shot.status, "known": True, "from": source}


def is_ai_source(value: str | None) -> bool:
    return value == AI_SOURCE_TYPE
