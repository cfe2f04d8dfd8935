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
    try:
        with open_studio(studio_path(args), read_only=read_only) as studio:
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


def check_text(value, what: str) -> str:
    """Reject arguments that were not valid UTF-8 (Python hands them over as surrogates)."""
    if isinstance(value, str) and any(0xD800 <= ord(c) <= 0xDFFF for c in value):
        raise UsageError(f"{what} is not valid UTF-8 text")
    return value
