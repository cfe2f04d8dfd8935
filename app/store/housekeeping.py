"""Finding image files that no shot uses (left by undone notes or interrupted writes)."""

from __future__ import annotations

import os
import time
from pathlib import Path

# A file younger than this may belong to an add_shots whose rows are not committed yet.
GRACE_S = 600


def orphan_files(studio, grace_s: float = GRACE_S) -> list[Path]:
    with studio.reading() as conn:
        used = {r[0] for r in conn.execute("SELECT DISTINCT image FROM shots")}
    cutoff = time.time() - grace_s
    found = []
    for path, digest in studio.images.files():
        if digest in used:
            continue
        try:
            if os.lstat(path).st_mtime > cutoff:
                continue
        except OSError:
            continue
        found.append(path)
    return found


def shot_count(studio) -> int:
    with studio.reading() as conn:
        return conn.execute("SELECT COUNT(*) FROM shots").fetchone()[0]


def remove_files(studio, paths) -> tuple[int, int]:
    """Delete the files (only image-store files, never through a link); returns
    (files removed, bytes freed)."""
    count = freed = 0
    for path in paths:
        try:
            size = os.lstat(path).st_size
        except OSError:
            continue
        if studio.images.unlink(path):
            count += 1
            freed += size
    return count, freed


def damaged_pictures(studio) -> list[tuple[Path, str]]:
    """Pictures that shots use whose file is missing or whose content is not the one the
    shot records (replaced, cut short): (path, what is wrong). Never deleted by tidy."""
    from app.store.seal import _file_problem

    with studio.reading() as conn:
        used = [r[0] for r in conn.execute("SELECT DISTINCT image FROM shots ORDER BY image")]
    found = []
    for digest in used:
        if not isinstance(digest, str):
            continue
        path = studio.images.path(digest)
        problem = _file_problem(path, digest)
        if problem:
            found.append((path, problem))
    return found
