"""Running Python children against a studio (for kill, lock and concurrency tests)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def child(code: str, *args: str, **kw) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-c", code, *map(str, args)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def atelier(*args: str, studio=None, input=None) -> subprocess.CompletedProcess:
    """The command line, from outside: `python -m app ...`."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    argv = [sys.executable, "-m", "app"] + (["--studio", str(studio)] if studio else []) + list(args)
    return subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, input=input)
