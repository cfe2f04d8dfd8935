"""`atelier brief --prompt TEXT [--negative TEXT] [--syntax auto|compel|a1111] [--json]`:
how a prompt is read into the brief's slots, the reading every later note edits.
Exit 0, or 2 for an empty or unreadable prompt. Imports only app.core.
"""

from __future__ import annotations

import json


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "brief", help="show how a prompt is read into the brief's slots",
        description="Show how a prompt (compel or AUTOMATIC1111 syntax) is split into the brief's slots.")
    p.add_argument("--prompt", required=True, metavar="TEXT", help="the prompt to read")
    p.add_argument("--negative", default="", metavar="TEXT", help="the negative prompt")
    p.add_argument("--syntax", default="auto", choices=("auto", "compel", "a1111"), help="weight syntax (default: auto)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(run=run)


def run(args) -> int:
    from app.cli import OK, UsageError
    from app.core.brief import Brief
    from app.core.prompt_syntax import PromptError

    if not args.prompt.strip():
        raise UsageError("the prompt is empty: give --prompt TEXT")
    try:
        brief = Brief.from_prompt(args.prompt, args.negative, args.syntax)
    except (PromptError, ValueError) as exc:
        raise UsageError(str(exc)) from None
    data = brief.reading()
    if not data["slots"]:
        raise UsageError("the prompt has no words to read")
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
        return OK
    for slot, terms in data["slots"].items():
        print(f"{slot:<12} " + "; ".join(_show(t) for t in terms))
    if data["negative"]:
        print(f"{'negative':<12} " + "; ".join(_show(t) for t in data["negative"]))
    return OK


def _show(t: dict) -> str:
    return t["text"] if t["weight"] == 1.0 else f"{t['text']} ({t['weight']:g})"
