"""`atelier boards [--json]` lists boards; `atelier board new NAME [--json]` makes one."""

from __future__ import annotations

import json
from dataclasses import asdict

from app.commands._studio import check_text, command_studio


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("boards", help="list boards")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run_list)
    p = subparsers.add_parser("board", help="manage boards: `board new NAME`")
    sub = p.add_subparsers(dest="board_command", required=True)
    new = sub.add_parser("new", help="make a new board")
    new.add_argument("name", help="the board's name (unique, case-insensitive)")
    new.add_argument("--json", action="store_true", help="print JSON")
    _use_options(new, required=False)
    new.set_defaults(run=run_new)
    use = sub.add_parser("use", help="declare what a board's pictures are for (client, channels, territories)")
    use.add_argument("name", help="the board (name or id)")
    _use_options(use, required=True)
    use.add_argument("--json", action="store_true", help="print JSON")
    use.set_defaults(run=run_use)


def _use_options(p, required: bool) -> None:
    p.add_argument("--client", required=required, metavar="CLIENT", help="the board's use: who it is for")
    p.add_argument("--channels", required=required, metavar="LIST",
                   help="comma-separated: ecommerce, social, campaign, print, ooh, internal")
    p.add_argument("--territories", required=required, metavar="LIST", help="ISO country codes, EU, WORLD")


def _use_dict(use) -> dict | None:
    return None if use is None else {"client": use.client, "channels": list(use.channels),
                                     "territories": list(use.territories)}


def run(args) -> int:
    return args.run(args)


def run_list(args) -> int:
    from app.store import repo

    with command_studio(args) as studio:
        boards = repo.list_boards(studio)
    if args.json:
        print(json.dumps([b.to_dict() for b in boards], ensure_ascii=False, indent=2))
        return 0
    if not boards:
        print("no boards yet; make one with `atelier board new NAME`")
    for b in boards:
        counts = ", ".join(f"{n} {s}" for s, n in b.counts.items() if n)
        print(f"{b.id:>4}  {b.name}  {b.shots} shot{'s' if b.shots != 1 else ''}"
              f"{f' ({counts})' if counts else ''}  board: {b.status}")
    return 0


def run_new(args) -> int:
    from app.store import repo

    from app.cli import UsageError

    name = check_text(args.name, "the board name")
    given = [args.client, args.channels, args.territories]
    if any(v is not None for v in given) and None in given:
        raise UsageError("a board's use needs all three: --client, --channels and --territories")
    for v in given:
        check_text(v, "the board's use")
    use = None
    with command_studio(args) as studio:
        if args.client is not None:
            from app.talent import policy

            try:  # checked before the board is made: bad input writes nothing
                policy.channels(args.channels), policy.territories(args.territories)
            except policy.PolicyError as exc:
                raise UsageError(str(exc)) from None
        board = repo.create_board(studio, name)
        if args.client is not None:
            from app.talent.repo import set_board_use

            use = set_board_use(studio, board.id, args.client, args.channels, args.territories)
    if args.json:
        print(json.dumps({**asdict(board), "use": _use_dict(use)}, ensure_ascii=False))
    else:
        print(f"board {board.id}: {board.name}" + (f"  use: {use.describe()}" if use else ""))
    return 0


def run_use(args) -> int:
    from app.talent.repo import set_board_use

    for v in (args.name, args.client, args.channels, args.territories):
        check_text(v, "the board's use")
    with command_studio(args) as studio:
        from app.store import repo

        board = repo.get_board(studio, args.name)
        use = set_board_use(studio, board.id, args.client, args.channels, args.territories)
    if args.json:
        print(json.dumps({"board": board.name, "use": _use_dict(use)}, ensure_ascii=False))
    else:
        print(f"board {board.id}: {board.name}  use: {use.describe()}")
    return 0
