"""`atelier report --board NAME --pdf FILE`: the board's contact sheet as a PDF."""

from __future__ import annotations

import json
import sys

from app.cli import UsageError
from app.commands._studio import check_text, command_studio


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("report", help="write a board's contact sheet as a PDF",
                              usage="atelier report --board NAME --pdf FILE [--json]")
    p.add_argument("--board", required=True, metavar="NAME")
    p.add_argument("--pdf", required=True, metavar="FILE")
    p.add_argument("--json", action="store_true", help='print {"path", "shots", "pages"}')
    p.set_defaults(run=run)


def run(args) -> int:
    from app.delivery.report import ReportError, write

    check_text(args.board, "the board name")
    check_text(args.pdf, "--pdf")
    if not args.pdf.lower().endswith(".pdf"):
        raise UsageError("--pdf names a .pdf file")
    with command_studio(args, read_only=True) as studio:
        try:
            result = write(studio, args.board, args.pdf)
        except ReportError as exc:
            raise UsageError(str(exc)) from None
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(f"{result['path']}: {result['shots']} shots on {result['pages']} pages", file=sys.stdout)
    return 0
