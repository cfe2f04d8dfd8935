"""Building Atelier's wheel from a copy of the checkout, and installing it away from it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def source_copy(dest: Path) -> Path:
    """The files git would ship (tracked, plus new files not ignored), copied to `dest`, so a
    build never writes build/ or *.egg-info into the working tree."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    for raw in listed:
        if not raw:
            continue
        rel = Path(os.fsdecode(raw))
        src = ROOT / rel
        if not src.is_file():  # deleted in the work tree but still in the index
            continue
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dest / rel)
    return dest


def build_wheel(tmp: Path) -> Path:
    src = source_copy(tmp / "src")
    out = tmp / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--quiet", "-w", str(out), str(src)], check=True, capture_output=True,
                   timeout=300)
    wheels = sorted(out.glob("atelier_studio-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """An environment with no trace of the checkout: a fresh HOME, no PYTHONPATH."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "ATELIER_STUDIO", "ATELIER_MODELS", "XDG_DATA_HOME",
                        "XDG_CONFIG_HOME", "XDG_CACHE_HOME")}
    env.update(HOME=str(home), QT_QPA_PLATFORM="offscreen", HF_HUB_OFFLINE="1",
               TRANSFORMERS_OFFLINE="1", **extra)
    return env
