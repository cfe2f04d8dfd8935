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
    new.set_defaults(run=run_new)


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

    name = check_text(args.name, "the board name")
    with command_studio(args) as studio:
        board = repo.create_board(studio, name)
    if args.json:
        print(json.dumps(asdict(board), ensure_ascii=False))
    else:
        print(f"board {board.id}: {board.name}")
    return 0
