"""The `atelier` command: the window by default, scriptable subcommands otherwise.

Each subcommand lives in `app/commands/<name>.py` and exposes `add_parser(subparsers)`
and `run(args) -> int`. Modules are imported only when their command runs, so
`atelier --version` and `atelier interpret` never pay for torch or Qt.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import tempfile
import traceback
from pathlib import Path

from app import __version__

# Exit statuses shared by every command (DESIGN.md, The command line).
OK, INTERNAL, BAD_INPUT, NOT_UNDERSTOOD, REFUSED = 0, 1, 2, 3, 4

# subcommand name -> module under app.commands
COMMANDS = {
    "interpret": "interpret",
    "brief": "brief",
    "boards": "boards",
    "board": "boards",
    "generate": "generate",
    "direct": "generate",
    "decide": "decide",
    "history": "history",
    "models": "models",
    "tidy": "tidy",
    "talent": "talent",
    "consent": "talent",
    "ledger": "ledger",
    "likeness": "likeness",
    "export": "export",
    "verify": "verify",
    "report": "report",
}


class UsageError(Exception):
    """Bad input: reported as one line on stderr with exit status 2."""


class Refused(Exception):
    """Refused by a rule: one line on stderr with exit status 4."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse exits 2 as well; keep its one-line form
        self.exit(BAD_INPUT, f"atelier: {message}\n")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    parser = _Parser(prog="atelier", description="Atelier: AI art direction for fashion.")
    parser.add_argument("--version", action="version", version=f"atelier {__version__}")
    parser.add_argument("--studio", metavar="DIR", help="studio folder (default: $ATELIER_STUDIO or the user data folder)")
    _desktop_options(parser)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    seen = set()
    for name, module in COMMANDS.items():
        if module in seen or (only is not None and module != COMMANDS.get(only)):
            continue
        seen.add(module)
        mod = importlib.import_module(f"app.commands.{module}")
        mod.add_parser(sub)
    return parser


def _write_crash_log() -> Path:
    log = Path(tempfile.gettempdir()) / "atelier-crash.log"
    with open(log, "a", encoding="utf-8") as fh:
        traceback.print_exc(file=fh)
    return log


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # Import only the module of the command asked for (fast start for `interpret`).
    first = _first_word(argv)
    if first in COMMANDS:
        parser = build_parser(only=first)
    elif first is None and any(a in ("-h", "--help") for a in argv):
        parser = build_parser()
    else:
        parser = _window_parser()
    args = parser.parse_args(argv)
    try:
        if getattr(args, "install_desktop", False) or getattr(args, "uninstall_desktop", False):
            return _desktop(args)
        if not getattr(args, "command", None):
            from app.ui.main import run_window

            return run_window(args)
        return args.run(args)
    except UsageError as exc:
        print(f"atelier: {exc}", file=sys.stderr)
        return BAD_INPUT
    except Refused as exc:
        print(f"atelier: {exc}", file=sys.stderr)
        return REFUSED
    except KeyboardInterrupt:
        print("atelier: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `atelier history | head -1`: the reader had enough
        _quiet_stdout()
        return 141  # as a command stopped by SIGPIPE
    except Exception as exc:  # noqa: BLE001 - last resort: say where the details are
        log = _write_crash_log()
        print(f"atelier: internal error: {exc} (details in {log})", file=sys.stderr)
        return INTERNAL


def _quiet_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the interpreter's last flush at
    exit is silent too."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # stdout replaced (tests) or closed
        pass


def _first_word(argv: list[str]) -> str | None:
    """The subcommand, skipping global options and the value of --studio."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--studio":
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def _window_parser() -> argparse.ArgumentParser:
    """Parser for the bare `atelier` (window) invocation: global options only."""
    parser = _Parser(prog="atelier", description="Atelier: AI art direction for fashion. "
                     "Subcommands: " + ", ".join(sorted(COMMANDS)))
    parser.add_argument("--version", action="version", version=f"atelier {__version__}")
    parser.add_argument("--studio", metavar="DIR", help="studio folder")
    parser.add_argument("--screenshot", metavar="PNG",
                        help="open the window, save a picture of it to PNG and quit (install checks)")
    _desktop_options(parser)
    parser.set_defaults(command=None)
    return parser


def _desktop_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--install-desktop", action="store_true",
                       help="add Atelier to this user's application menu (Linux) and exit")
    group.add_argument("--uninstall-desktop", action="store_true",
                       help="remove what --install-desktop added and exit")


def _desktop(args) -> int:
    from app import desktop

    try:
        if args.install_desktop:
            files = desktop.install()
            print(f"atelier: added to the application menu ({files[0]})")
        else:
            files = desktop.uninstall()
            print("atelier: removed from the application menu" if files
                  else "atelier: was not in the application menu; nothing removed")
    except desktop.DesktopError as exc:
        raise UsageError(str(exc)) from exc
    return OK
