"""Opening the studio for a command, and turning store errors into exit statuses."""

from __future__ import annotations

import sys
from contextlib import contextmanager

from app.cli import Refused, UsageError
from app.paths import default_studio
from app.store.db import open_studio
from app.store.errors import InvalidInput, NotFound, RuleViolation, StoreError, StudioDamaged

FAILED = 1  # the studio could not be used (damaged, locked too long, disk full): not a crash


def studio_path(args):
    return args.studio if getattr(args, "studio", None) else default_studio()


@contextmanager
def command_studio(args, read_only: bool = False, damaged_status: int = FAILED, damaged_says: str = ""):
    """The studio of `--studio` (or the default), closed afterwards. Bad input and unknown
    ids become UsageError (exit 2); rules become Refused (exit 4); a studio that cannot be
    used (damaged, newer schema, disk full) is exit 1 with its message, no crash log.
    Command-line processes never take the window's instance lock: they wait on SQLite's
    busy timeout. `damaged_status` is the exit status of a damaged studio (`history --verify`
    makes it 5: a failed verification)."""
    path = studio_path(args)
    _check_studio_path(args, path)
    try:
        with open_studio(path, read_only=read_only) as studio:
            yield studio
    except (InvalidInput, NotFound) as exc:
        raise UsageError(str(exc)) from None
    except RuleViolation as exc:
        raise Refused(str(exc)) from None
    except StudioDamaged as exc:
        print(f"atelier: {damaged_says}{exc}", file=sys.stderr)
        raise SystemExit(damaged_status) from None
    except StoreError as exc:
        print(f"atelier: {exc}", file=sys.stderr)
        raise SystemExit(FAILED) from None


# Commands that only read: pointed with --studio at a folder with no studio, they say so
# instead of making an empty studio there.
_READERS = {"history", "boards", "tidy", "ledger", "report"}


def _check_studio_path(args, path) -> None:
    """--studio must be a folder (or not exist yet, for a command that writes): exit 2
    before any work otherwise."""
    from pathlib import Path

    path = Path(path).expanduser()
    check_text(str(path), "the studio folder")
    if path.exists() and not path.is_dir():
        raise UsageError(f"the studio {path} is not a folder")
    given = bool(getattr(args, "studio", None))
    if given and getattr(args, "command", None) in _READERS and (
            not path.exists() or (path.is_dir() and not any(path.iterdir()))):
        raise UsageError(f"there is no studio at {path}; check --studio")


def check_text(value, what: str) -> str:
    """Reject arguments that were not valid UTF-8 (Python hands them over as surrogates)."""
    if isinstance(value, str) and any(0xD800 <= ord(c) <= 0xDFFF for c in value):
        raise UsageError(f"{what} is not valid UTF-8 text")
    return value
