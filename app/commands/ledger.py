"""`atelier ledger [--talent NAME] [--agency NAME] [--from DATE] [--until DATE]
[--json | --csv]`: every render and export of a twin, with the fee due."""

from __future__ import annotations

import json
import sys

from app.commands._studio import check_text, command_studio


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("ledger", help="the usage ledger of the twins, with fees and totals")
    p.add_argument("--talent", metavar="NAME")
    p.add_argument("--agency", metavar="NAME", help="only this agency's talents")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="YYYY-MM-DD, inclusive")
    p.add_argument("--until", dest="date_until", metavar="DATE", help="YYYY-MM-DD, inclusive")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true")
    out.add_argument("--csv", action="store_true")
    p.set_defaults(run=run)


def run(args) -> int:
    from app.talent import ledger

    for name in ("talent", "agency", "date_from", "date_until"):
        check_text(getattr(args, name), f"--{name}")
    with command_studio(args, read_only=True) as studio:
        found = ledger.lines(studio, args.talent, args.date_from, args.date_until, args.agency)
    if args.json:
        print(json.dumps(ledger.to_json(found), ensure_ascii=False, indent=2))
    elif args.csv:
        sys.stdout.write(ledger.to_csv(found))
    else:
        if not found:
            print("no use of a twin recorded yet")
        for line in found:
            print(f"{line.time[:19].replace('T', ' ')}  {line.talent}  {line.event:<6}  shot {line.shot}  "
                  f"consent {line.consent}  {line.channel}  {line.fee} {line.currency}")
        for talent, per in ledger.totals(found).items():
            print(f"total {talent}: " + ", ".join(f"{v} {c}" for c, v in per.items()))
    return 0
