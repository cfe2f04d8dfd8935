"""`atelier export (--board NAME | SHOT...) --preset NAME[,NAME...] --to DIR ...`

Approved shots out to channel presets, each file carrying content credentials (a signed
C2PA manifest, IPTC DigitalSourceType in XMP, an invisible watermark). Exit 0 done; 2 bad
input (before any work); 4 refused by a rule (an unapproved shot named, a twin outside its
consent: nothing written); 1 the export could not finish (a full disk: nothing left behind).
"""

from __future__ import annotations

import json
import sys

from app.cli import Refused, UsageError
from app.commands._studio import check_text, command_studio


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "export", help="deliver approved shots in channel presets, with content credentials",
        usage="atelier export (--board NAME | SHOT...) --preset NAME[,NAME...] --to DIR "
              "[--include-unapproved] [--visible-label] [--format jpeg|png|webp] "
              "[--fit crop|pad] [--with-recipe] [--json]")
    p.add_argument("shots", nargs="*", metavar="SHOT", help="shot ids (or --board)")
    p.add_argument("--board", metavar="NAME", help="every approved shot of a board")
    p.add_argument("--preset", required=True, metavar="NAME[,NAME...]",
                   help="pdp-4x5, pdp-3x4, square, instagram-feed, story, original")
    p.add_argument("--to", required=True, metavar="DIR", help="the folder that receives the files")
    p.add_argument("--include-unapproved", action="store_true", help="also shots not approved")
    p.add_argument("--visible-label", action="store_true", help='add a small visible "AI-generated" mark')
    p.add_argument("--format", default="jpeg", choices=("jpeg", "png", "webp"))
    p.add_argument("--fit", default="crop", choices=("crop", "pad"),
                   help="where the preset's shape differs from the render: crop around the subject, or pad")
    p.add_argument("--with-recipe", action="store_true",
                   help="also put the prompt and settings in the file (clients' copies usually should not)")
    p.add_argument("--json", action="store_true", help='print {"files": [...]}')
    p.set_defaults(run=run)


def run(args) -> int:
    from app.delivery import export as ex
    from app.delivery.presets import PresetError, parse_presets
    from app.delivery.rules import ExportRefused
    from app.store import repo, validate
    from app.store.errors import InvalidInput

    for value, what in ((args.board, "the board name"), (args.to, "--to"), (args.preset, "--preset")):
        check_text(value, what)
    if bool(args.board) == bool(args.shots):
        raise UsageError("give shot ids or --board NAME (one of them)")
    try:
        presets = parse_presets(args.preset)
        ids = [validate.ident(check_text(s, "a shot id"), "the shot id") for s in args.shots]
    except (PresetError, InvalidInput) as exc:
        raise UsageError(str(exc)) from None

    def progress(done, total, what):
        print(f"export: {done}/{total} {what}", file=sys.stderr, flush=True)

    with command_studio(args) as studio:
        if args.board:
            board = repo.get_board(studio, args.board)
            shots, offset = [], 0
            while True:
                page = repo.board_page(studio, board.id, offset=offset, limit=200)
                shots += page.shots
                offset += len(page.shots)
                if not page.shots or offset >= page.total:
                    break
            shots.sort(key=lambda s: s.id)
        else:
            shots = [repo.get_shot(studio, i) for i in dict.fromkeys(ids)]
        try:
            files, plan = ex.export(studio, shots, presets, args.to, fmt=args.format, fit=args.fit,
                                    visible_label=args.visible_label, with_recipe=args.with_recipe,
                                    include_unapproved=args.include_unapproved,
                                    from_board=bool(args.board), progress=progress)
        except ex.ExportError as exc:
            raise UsageError(str(exc)) from None
        except ExportRefused as exc:
            raise Refused(str(exc)) from None
        except ex.ExportFailed as exc:
            print(f"atelier: {exc}", file=sys.stderr)
            return 1
    for shot_id, why in plan.skipped:
        print(f"export: left out {why.split(' (')[0]}", file=sys.stderr)
    for f in files:
        for note in f.notes:
            print(f"export: shot {f.shot} {f.preset}: {note}", file=sys.stderr)
    if args.json:
        print(json.dumps({"files": [f.to_dict() for f in files]}, ensure_ascii=False))
    else:
        for f in files:
            print(f"{f.path}  (shot {f.shot}, {f.preset}, {f.width}×{f.height})")
        if not files:
            print("nothing to export: no approved shots" + (" on the board" if args.board else ""))
    return 0
