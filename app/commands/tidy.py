"""`atelier tidy [--delete] [--json]`: image files no shot uses (from undone notes or
interrupted writes). Lists them; `--delete` removes them. Files younger than ten minutes
are left alone: they may belong to shots being saved right now."""

from __future__ import annotations

import json
import sys

from app.commands._studio import command_studio


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("tidy", help="find (and with --delete remove) image files no shot uses")
    p.add_argument("--delete", action="store_true", help="remove the files found")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run)


def run(args) -> int:
    import os

    from app.store.housekeeping import damaged_pictures, orphan_files, remove_files, shot_count

    with command_studio(args) as studio:
        found = orphan_files(studio)
        size = sum(os.lstat(p).st_size for p in found if os.path.lexists(p))
        if args.delete and found and shot_count(studio) == 0:
            print(f"atelier: tidy: the database knows no shots, yet {len(found)} picture files "
                  "are here; is this the right atelier.db? Nothing was deleted.", file=sys.stderr)
            return 4
        removed, freed = remove_files(studio, found) if args.delete else (0, 0)
        damaged = damaged_pictures(studio)
    if args.json:
        print(json.dumps({"files": [str(p) for p in found], "bytes": size,
                          "deleted": removed, "freed_bytes": freed,
                          "damaged": [{"path": str(p), "problem": why} for p, why in damaged]}))
        return 0
    for p, why in damaged:
        print(f"atelier: tidy: the picture {p} {why}; it was left alone "
              "(restore it from a copy, and see `atelier history --verify`)", file=sys.stderr)
    for p in found:
        print(p)
    if args.delete:
        print(f"removed {removed} file{'s' if removed != 1 else ''} ({freed / 1e6:.1f} MB)")
    elif found:
        print(f"{len(found)} file{'s' if len(found) != 1 else ''} no shot uses ({size / 1e6:.1f} MB); "
              "remove them with `atelier tidy --delete`")
    elif not damaged:
        print("every image file belongs to a shot, and every shot's picture is intact")
    return 0
