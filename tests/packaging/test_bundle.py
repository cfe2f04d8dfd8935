"""The standalone bundle, built by its script and checked from a clean environment
(opt-in, about 12 minutes and 3 GB of disk: pytest -m heavy tests/packaging/test_bundle.py)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.heavy
def test_the_bundle_builds_and_runs_without_python(tmp_path):
    if shutil.which("python3") is None:
        pytest.skip("python3 is needed to build the bundle")
    done = subprocess.run([str(ROOT / "packaging" / "build_bundle.sh"), str(tmp_path / "bundle")],
                          capture_output=True, text=True, timeout=3600)
    assert done.returncode == 0, done.stderr[-4000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    binary = Path(report["bundle"]) / "atelier"
    assert binary.is_file() and report["size_mb"] > 100
    assert "interpret, models, board new and generate ran from the bundle" in done.stderr
    if shutil.which("xvfb-run"):
        assert (tmp_path / "bundle" / "bundle-window.png").stat().st_size > 10_000
