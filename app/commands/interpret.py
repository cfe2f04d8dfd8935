"""`atelier interpret [--prompt TEXT] [--negative TEXT] [--json] NOTE`: what a note would
do to a prompt, without rendering. Exit 0 understood, 3 not understood, 2 bad input.

Imports only app.core (no torch, diffusers or Qt), so it answers fast from a cold start.
"""

from __future__ import annotations

import json
import sys


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "interpret", help="show the prompt edit a direction note would make",
        description="Show what a direction note (English or Dutch) would change in a prompt.")
    p.add_argument("note", metavar="NOTE", help="the direction, e.g. 'smile more' or 'lach iets meer'")
    p.add_argument("--prompt", default="", metavar="TEXT", help="the prompt to edit (compel or AUTOMATIC1111 syntax)")
    p.add_argument("--negative", default="", metavar="TEXT", help="the negative prompt to edit")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(run=run)


def run(args) -> int:
    from app.cli import NOT_UNDERSTOOD, OK, UsageError
    from app.core.brief import Brief
    from app.core.interpret import EmptyNote, interpret

    try:
        before = Brief.from_prompt(args.prompt, args.negative)
        result = interpret(args.note, before)
    except EmptyNote as exc:
        raise UsageError(str(exc)) from None
    after = result.apply(before)
    data = result.to_json(before, after)
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
    else:
        _print_human(result, data)
    return OK if result.understood else NOT_UNDERSTOOD


def _print_human(result, data: dict) -> None:
    out = sys.stdout
    if not data["understood"]:
        print(f"Not understood ({data['language']}): {data['message']}", file=out)
        return
    print(f"Note ({data['language']}): {data['note']}", file=out)
    for edit in result.edits:
        print(f"  {edit.op:<8} {edit.describe()}", file=out)
    if not result.edits:
        print(f"  {data['message']}", file=out)
    for label, key in (("Prompt", "prompt"), ("Negative", "negative")):
        before, after = data[key]["before"], data[key]["after"]
        if before != after:
            print(f"{label} before: {before or '(empty)'}", file=out)
            print(f"{label} after:  {after or '(empty)'}", file=out)
        elif after:
            print(f"{label} (unchanged): {after}", file=out)
