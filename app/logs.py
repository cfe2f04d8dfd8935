"""Logging to a rotating file in the user's log folder (no Qt, no fixed /tmp path).

`log_dir()` is $ATELIER_LOG_DIR when set (tests, bundles), else the platform's user log
folder for Atelier (platformdirs: ~/.local/state/Atelier/log on Linux,
~/Library/Logs/Atelier on macOS, %LOCALAPPDATA%\\Atelier\\Logs on Windows). `setup()` sends
the `app` loggers there: `atelier.log`, 1 MiB, five old files kept.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

LOG_NAME = "atelier.log"
MAX_BYTES = 1 << 20
BACKUPS = 5
_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"


def log_dir() -> Path:
    env = os.environ.get("ATELIER_LOG_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_log_dir

    return Path(user_log_dir("Atelier", appauthor=False))


def log_file() -> Path:
    return log_dir() / LOG_NAME


def setup(level: int = logging.INFO) -> Path | None:
    """Send the `app` loggers to the rotating file (once per folder); the file's path, or
    None when the folder cannot be written (the program runs on without a log)."""
    path = log_file()
    logger = logging.getLogger("app")
    for handler in logger.handlers:
        if getattr(handler, "atelier_log", None) == str(path):
            return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES,
                                                       backupCount=BACKUPS, encoding="utf-8")
    except OSError:
        return None
    handler.atelier_log = str(path)  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter(_FORMAT))
    for old in [h for h in logger.handlers if getattr(h, "atelier_log", None)]:
        logger.removeHandler(old)  # another folder (a test, a changed override)
        old.close()
    logger.addHandler(handler)
    logger.setLevel(min(logger.level or level, level))
    return path
