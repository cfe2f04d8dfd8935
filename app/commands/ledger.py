"""`atelier ledger [--talent NAME] [--agency NAME] [--from DATE] [--until DATE]
[--json | --csv | --statement FILE.pdf]`: every render and export of a twin, with the fee
due; `--statement` writes one agency's lines as a PDF it can invoice from."""

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
    out.add_argument("--statement", metavar="FILE", help="write a PDF statement for --agency and the period")
    p.set_defaults(run=run)


def run(args) -> int:
    from app.talent import ledger

    for name in ("talent", "agency", "date_from", "date_until"):
        check_text(getattr(args, name), f"--{name}")
    if args.statement is not None:
        return _statement(args)
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


def _statement(args) -> int:
    from app.cli import UsageError
    from app.delivery.pdf import PdfError
    from app.talent import statement

    check_text(args.statement, "--statement")
    if not args.agency:
        raise UsageError("a statement is per agency: add --agency NAME")
    if args.talent:
        raise UsageError("a statement covers all of an agency's talents: leave out --talent")
    if not args.statement.lower().endswith(".pdf"):
        raise UsageError("--statement names a .pdf file")
    with command_studio(args, read_only=True) as studio:
        try:
            result = statement.write(studio, args.agency, args.statement, args.date_from, args.date_until)
        except PdfError as exc:
            raise UsageError(str(exc)) from None
    totals = ", ".join(f"{v:.2f} {c}" for c, v in result["totals"].items()) or "nothing due"
    print(f"{result['path']}: {result['lines']} lines for {result['agency']}, {totals}")
    return 0
