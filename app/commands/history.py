"""`atelier history [--board NAME | --shot ID] [--json] [--verify]`

Notes (with their edits) and decisions, oldest first. `--verify` recomputes the hash
chain of all decisions first: exit 0 when intact, exit 5 naming the first bad row.
"""

from __future__ import annotations

import json
import sys

from app.commands._studio import check_text, command_studio

CHAIN_BROKEN = 5


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("history", help="notes and decisions, oldest first")
    scope = p.add_mutually_exclusive_group()
    scope.add_argument("--board", metavar="NAME", help="only this board (its own and its shots' history)")
    scope.add_argument("--shot", metavar="ID", help="only this shot")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--verify", action="store_true",
                   help="check that no decision was changed or removed (exit 5 if one was)")
    p.set_defaults(run=run)


def run(args) -> int:
    from app.cli import UsageError
    from app.store import repo, validate
    from app.store.errors import InvalidInput

    check_text(args.board, "the board name")
    check_text(args.shot, "the shot id")
    try:
        shot_id = validate.ident(args.shot, "the shot id") if args.shot is not None else None
    except InvalidInput as exc:
        raise UsageError(str(exc)) from None
    with command_studio(args) as studio:
        verified, broken = None, "decision chain"
        if args.verify:
            verified, message = repo.verify_chain(studio)
            if verified:  # consents, revocations, board uses and ledger lines (app/talent)
                from app.talent.repo import verify as verify_talent

                verified, talent_message = verify_talent(studio)
                if not verified:
                    broken = "talent record"
                message = f"{message}; {talent_message}" if verified else talent_message
        board = repo.get_board(studio, args.board) if args.board is not None else None
        if shot_id is not None:
            decisions = repo.decisions(studio, shot_id=shot_id)
            notes = repo.notes_of(studio, shot_id)
        else:
            decisions = repo.decisions(studio, board_id=board.id if board else None)
            notes = repo.notes_in(studio, board.id if board else None)
    if verified is False:
        print(f"atelier: history: the {broken} is broken: {message}", file=sys.stderr)
    if args.json:
        out = {"board": board.name if board else None, "shot": shot_id,
               "notes": [n.to_dict() for n in notes],
               "decisions": [d.to_dict() for d in decisions]}
        if args.verify:
            out["verified"] = verified
            out["verify_message"] = message
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        if verified:
            print(f"verified: {message}")
        _print_text(notes, decisions)
    return CHAIN_BROKEN if verified is False else 0


def _print_text(notes, decisions) -> None:
    events = [(n.created_at, 0, n.id, _note_line(n)) for n in notes]
    events += [(d.created_at, 1, d.id, _decision_line(d)) for d in decisions]
    if not events:
        print("no notes or decisions yet")
    for when, _, _, line in sorted(events):
        print(f"{when[:19].replace('T', ' ')}  {line}")


def _note_line(n) -> str:
    from app.core.edits import Edit  # says "absent" and "negative" the way interpret does

    edits = "; ".join(f"{e.op} " + Edit(e.slot, e.op, e.term, e.weight_before, e.weight_after).describe()
                      for e in n.edits)
    return f"shot {n.shot_id}  note {n.id} by {n.author} ({n.role}): {n.text}" + (f"  [{edits}]" if edits else "")


def _decision_line(d) -> str:
    target = f"shot {d.shot_id}" if d.shot_id is not None else f"board {d.board_id}"
    why = f": {d.reason}" if d.reason else ""
    return f"{target}  decision {d.id}: {d.verdict} by {d.person} ({d.role}){why}"
