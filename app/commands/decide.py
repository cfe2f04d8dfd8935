"""`atelier decide SHOT|--board NAME approve|reject|hold|changes --by NAME --role ROLE [--why TEXT]`

Appends a decision (never rewrites one) through `app.services.decisions`, the rule the
window uses too: approving and rejecting are the art director's, rejecting and requesting
changes need --why, and an approved board's shots are settled until an art director
reopens the board. A refusal is exit status 4, before anything is written.
"""

from __future__ import annotations

import json

from app.cli import UsageError
from app.commands._studio import check_text, command_studio

VERBS = ("approve", "reject", "hold", "changes")


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "decide", help="approve, reject, hold or request changes on a shot or a board",
        usage="atelier decide SHOT|--board NAME approve|reject|hold|changes --by NAME "
              "--role ROLE [--why TEXT] [--json]")
    p.add_argument("words", nargs="+", metavar="SHOT VERDICT",
                   help="the shot id and the verdict (only the verdict with --board)")
    p.add_argument("--board", metavar="NAME", help="decide on a whole board")
    p.add_argument("--by", required=True, metavar="NAME", help="who decides")
    p.add_argument("--role", required=True, help="stylist, art-director or photographer")
    p.add_argument("--why", metavar="TEXT", help="the reason (at most 2000 characters)")
    p.add_argument("--json", action="store_true", help="print the decision as JSON")
    p.set_defaults(run=run)


def run(args) -> int:
    from app.services import decisions
    from app.store import repo, validate
    from app.store.errors import InvalidInput

    words = [check_text(w, "an argument") for w in args.words]
    for value, what in ((args.board, "the board name"), (args.by, "--by"),
                        (args.role, "--role"), (args.why, "--why")):
        check_text(value, what)
    if args.board is not None:
        if len(words) != 1:
            raise UsageError("with --board give only the verdict: approve, reject, hold or changes")
        shot_word, verdict = None, words[0]
    else:
        if len(words) != 2:
            raise UsageError("give a shot id and a verdict, e.g. `atelier decide 12 approve ...`,"
                             " or --board NAME and a verdict")
        shot_word, verdict = words
    try:  # check everything a person typed before opening the studio
        validate.verdict(verdict)
        validate.name(args.by, "--by")
        validate.role(args.role)
        validate.long_text(args.why, "--why", optional=True)
        shot_id = validate.ident(shot_word, "the shot id") if shot_word is not None else None
    except InvalidInput as exc:
        raise UsageError(str(exc)) from None
    with command_studio(args) as studio:
        board_id = repo.get_board(studio, args.board).id if args.board is not None else None
        decision = decisions.decide(studio, verdict, args.by, args.role, reason=args.why,
                                    shot_id=shot_id, board_id=board_id)
    if args.json:
        print(json.dumps(decision.to_dict(), ensure_ascii=False))
    else:
        target = f"shot {decision.shot_id}" if decision.shot_id else f"board {args.board}"
        print(f"decision {decision.id}: {target} {decision.verdict} by {decision.person} "
              f"({decision.role})")
    return 0
