"""Renders asked for but not finished, kept in `<studio>/queue.json`, so a crash, a power
cut or a closed window loses no request: the window offers them again on the next open.

Plain JSON (the jobs' own `to_dict()`), written atomically like the images. A file that
cannot be read is moved aside to `queue.json.bad`, never silently dropped.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

FILE = "queue.json"


def save_pending(studio: Path, jobs: list[dict]) -> None:
    """Replace the journal with `jobs` (oldest first); no jobs removes it."""
    path = Path(studio) / FILE
    if not jobs:
        path.unlink(missing_ok=True)
        return
    tmp = path.with_name(f".{FILE}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump({"version": 1, "jobs": jobs}, fh, ensure_ascii=False)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def load_pending(studio: Path) -> list[dict]:
    path = Path(studio) / FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        jobs = data["jobs"]
        if not isinstance(jobs, list) or not all(isinstance(j, dict) for j in jobs):
            raise ValueError("jobs is not a list of objects")
        return jobs
    except FileNotFoundError:
        return []
    except (OSError, ValueError, KeyError, TypeError):
        os.replace(path, path.with_name(FILE + ".bad"))
        return []
