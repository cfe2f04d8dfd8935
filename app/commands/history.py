"""`atelier history [--board NAME | --shot ID] [--json] [--verify]`

Notes (with their edits) and decisions, oldest first. `--verify` checks the whole sealed
record first (app/store/seal.py: every board, shot and its picture file, note, edit,
decision, talent, consent, revocation, board use and ledger line, the triggers, and the head
kept outside the studio), then the decision and talent chains and the exports journal:
exit 0 when intact, exit 5 naming the first bad record (every problem follows, one a line).
A database too damaged to open is a failed verification too (exit 5, with the backup).
`--export DIR [--csv]` writes the record (or `--board`'s part) as plain files
(app/store/export.py).
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
    p.add_argument("--export", metavar="DIR",
                   help="write the record (or the board's part) as plain files into DIR (new or empty)")
    p.add_argument("--csv", action="store_true", help="with --export: CSV files instead of JSON")
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
    if args.csv and not args.export:
        raise UsageError("--csv goes with --export DIR")
    if args.export is not None:
        from app.store.export import check_folder

        check_text(args.export, "the export folder")
        try:
            check_folder(args.export)
        except InvalidInput as exc:
            raise UsageError(str(exc)) from None
        if shot_id is not None:
            raise UsageError("--export takes the whole record or --board NAME, not --shot")
    with _verifiable(args) as studio:
        verified, problems = None, []
        if args.verify:
            verified, message, problems = _verify(studio)
        if args.export is not None and not (args.verify and not verified):
            return _export(studio, args, verified)
        board = repo.get_board(studio, args.board) if args.board is not None else None
        if shot_id is not None:
            decisions = repo.decisions(studio, shot_id=shot_id)
            notes = repo.notes_of(studio, shot_id)
        else:
            decisions = repo.decisions(studio, board_id=board.id if board else None)
            notes = repo.notes_in(studio, board.id if board else None)
    if verified is False:
        print(f"atelier: history: verification failed: {message}", file=sys.stderr)
        for problem in problems[1:20]:
            print(f"  - {problem}", file=sys.stderr)
        if len(problems) > 20:
            print(f"  - … {len(problems) - 20} more", file=sys.stderr)
    if args.json:
        out = {"board": board.name if board else None, "shot": shot_id,
               "notes": [n.to_dict() for n in notes],
               "decisions": [d.to_dict() for d in decisions]}
        if args.verify:
            out["verified"] = verified
            out["verify_message"] = message
            out["problems"] = problems
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        if verified:
            print(f"verified: {message}")
        _print_text(notes, decisions)
    return CHAIN_BROKEN if verified is False else 0


def _export(studio, args, verified) -> int:
    from app.store import repo
    from app.store.export import export_record

    board = repo.get_board(studio, args.board) if args.board is not None else None
    manifest = export_record(studio, args.export, "csv" if args.csv else "json",
                             board.id if board else None)
    rows = sum(f["rows"] for f in manifest["files"].values())
    if args.json:
        print(json.dumps({"folder": str(args.export), **manifest}, ensure_ascii=False))
    else:
        if verified:
            print("verified: the record is intact")
        print(f"exported {rows} rows in {len(manifest['files'])} files (and manifest.json) to {args.export}")
    return 0


def _verifiable(args):
    """The studio; with --verify a database too damaged to open fails the verification
    (exit 5, naming the damage and the backup) rather than exit 1."""
    if args.verify:
        return command_studio(args, damaged_status=CHAIN_BROKEN, damaged_says="history: verification failed: ")
    return command_studio(args)


def _verify(studio) -> tuple[bool, str, list[str]]:
    from app.store import repo

    ok, message, problems = repo.verify_record(studio)
    for check in (repo.verify_chain, _talent_check, _exports_check):
        good, line = check(studio)
        if good:
            message = f"{message}; {line}"
        else:
            problems.append(line)
    if problems:
        more = len(problems) - 1
        return False, problems[0] + (f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""), problems
    return True, message, problems


def _talent_check(studio):
    """Consents, revocations, board uses and ledger lines against their terms (app/talent)."""
    from app.talent.repo import verify

    return verify(studio)


def _exports_check(studio):
    """The exports journal beside the database (app/delivery)."""
    from app.delivery.journal import verify_exports

    return verify_exports(studio)


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
