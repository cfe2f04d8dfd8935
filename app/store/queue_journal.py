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


MAX_BYTES = 8 << 20  # a queue of thousands of jobs is well under a megabyte
MAX_DEPTH = 32  # a job is a few levels deep (job -> note -> edits -> edit)


def _depth(text: str) -> int:
    """How deeply brackets nest, without parsing (json.loads recurses, so a 100,000-deep
    file would end in RecursionError, or worse, before anything could be said)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_DEPTH:
                    return deepest
        elif ch in "]}":
            depth -= 1
    return deepest


def _set_aside(path: Path, copy: bool) -> Path:
    bad = path.with_name(FILE + ".bad")
    try:
        if copy:
            bad.write_bytes(path.read_bytes())
        else:
            os.replace(path, bad)
    except OSError:
        pass
    return bad


def load_pending(studio: Path, parse=None, problems: list | None = None) -> list:
    """The jobs the journal holds, oldest first. `parse(dict)` turns each into a job (and
    raises for one it cannot run); a job it refuses is left out. Whatever cannot be read
    (cut short, nested absurdly deep, too big, not a list of objects, a job refused) is kept
    as `queue.json.bad` and said in `problems` (one line each), never a crash."""
    path = Path(studio) / FILE
    problems = [] if problems is None else problems
    try:
        if os.path.islink(path):
            problems.append(f"{path} is a link; it was not read")
            return []
        with open(path, "rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return []
    except OSError as exc:
        problems.append(f"{path} could not be read ({exc.strerror or exc})")
        return []
    try:
        if len(raw) > MAX_BYTES:
            raise ValueError(f"it is larger than {MAX_BYTES >> 20} MiB")
        text = raw.decode("utf-8")
        if _depth(text) > MAX_DEPTH:
            raise ValueError("it is nested too deeply to be a render queue")
        data = json.loads(text)
        jobs = data["jobs"] if isinstance(data, dict) else None
        if not isinstance(jobs, list) or not all(isinstance(j, dict) for j in jobs):
            raise ValueError("its jobs are not a list of objects")
    except (ValueError, KeyError, TypeError, RecursionError) as exc:
        bad = _set_aside(path, copy=False)
        problems.append(f"the render queue {path} could not be read ({exc}); it was kept as {bad.name}")
        return []
    if parse is None:
        return jobs
    out, refused = [], []
    for i, d in enumerate(jobs, 1):
        try:
            out.append(parse(d))
        except Exception as exc:  # noqa: BLE001 - any job this version cannot run is left out
            refused.append(f"job {i}: {exc}")
    if refused:
        bad = _set_aside(path, copy=True)
        problems.append(f"{len(refused)} of {len(jobs)} jobs in the render queue could not be read "
                        f"({refused[0]}); the file was kept as {bad.name}")
    return out
