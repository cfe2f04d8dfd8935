"""`atelier verify FILE [--json]`: the file's content credentials, XMP label and watermark.

Exit 0 when an AI label is found and nothing found is invalid; 5 when a manifest is
invalid or no label is found; 2 when the file cannot be read.
"""

from __future__ import annotations

import json
from pathlib import Path

from app.cli import UsageError
from app.commands._studio import check_text, studio_path

VERIFY_FAILED = 5


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("verify", help="check a file's content credentials and watermark",
                              usage="atelier verify FILE [--json]")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run)


def run(args) -> int:
    from app.delivery.verify import verify_bytes

    path = Path(check_text(args.file, "FILE")).expanduser()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    studio = _open_studio_if_there(args)
    try:
        finding = verify_bytes(data, studio)
    finally:
        if studio is not None:
            studio.close()
    if args.json:
        print(json.dumps(finding.to_dict(), ensure_ascii=False))
    else:
        print(describe(finding))
    return 0 if finding.ok else VERIFY_FAILED


def _open_studio_if_there(args):
    """The studio, read-only, when one exists (verify never creates a studio)."""
    folder = Path(studio_path(args))
    if not (folder / "atelier.db").is_file():
        return None
    from app.store.db import open_studio
    from app.store.errors import StoreError

    try:
        return open_studio(folder, read_only=True)
    except StoreError:
        return None


def describe(f) -> str:
    c = f.c2pa
    lines = []
    if not c["present"]:
        lines.append("content credentials (C2PA): none")
    else:
        state = "valid" if c["valid"] else "NOT VALID"
        trust = "" if c.get("trusted") else " (signer not on a trust list)"
        lines.append(f"content credentials (C2PA): {state}, signed by {c['signer']}{trust if c['valid'] else ''}")
        lines.append(f"  source type: {c['digital_source_type'] or 'not stated'}")
    lines.append(f"IPTC DigitalSourceType (XMP): {f.iptc_digital_source_type or 'none'}")
    w = f.watermark
    if w["found"]:
        where = "this studio" if w.get("this_studio") else f"studio tag {w.get('studio_tag')}"
        lines.append(f"watermark: found, shot {w['shot']} of {where}")
    else:
        lines.append("watermark: none found")
    if f.shot and f.shot.get("known"):
        lines.append(f"this is shot {f.shot['id']} on board {f.shot['board']} ({f.shot['status']})")
    for p in f.problems:
        lines.append(f"problem: {p}")
    lines.append("verdict: labelled as AI-made" if f.ok else
                 "verdict: FAILED (" + ("invalid credentials" if c["valid"] is False else "no AI label found") + ")")
    return "\n".join(lines)
