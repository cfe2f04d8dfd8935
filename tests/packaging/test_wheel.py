"""The wheel carries everything Atelier reads at run time, and works installed away from
the checkout (issue 15). The default run builds the wheel and runs it from a target folder
with this venv's dependencies; the heavy test installs it into a fresh virtual environment."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from app import __version__
from tests.packaging.wheel_tools import ROOT, build_wheel, clean_env


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    return build_wheel(tmp_path_factory.mktemp("wheel"))


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory):
    """The wheel unpacked by pip into a folder of its own (no dependencies: this venv has
    them); commands run with that folder first on sys.path and a cwd outside the checkout."""
    target = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet",
                    "--target", str(target), str(wheel)], check=True, capture_output=True,
                   timeout=300)
    return target


def test_the_wheel_carries_every_resource_and_the_version(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    resources = ROOT / "app" / "resources"
    expected = {f"app/resources/{p.relative_to(resources).as_posix()}"
                for p in resources.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert expected, "no resources found in the checkout"
    assert not expected - names, sorted(expected - names)[:5]
    assert wheel.name.startswith(f"atelier_studio-{__version__}-")
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "atelier = app.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
    assert not any(n.startswith("tests/") for n in names)


def _run(installed: Path, cwd: Path, *args: str, timeout=300):
    env = clean_env(cwd / "home", PYTHONPATH=str(installed))
    (cwd / "home").mkdir(exist_ok=True)
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


def test_installed_wheel_runs_from_outside_the_checkout(installed, tmp_path):
    where = _run(installed, tmp_path, "--version")
    assert where.returncode == 0, where.stderr
    assert where.stdout.strip() == f"atelier {__version__}"
    probe = subprocess.run([sys.executable, "-c", "import app, app.paths as p; "
                            "print(app.__file__); print(p.resource('lexicons'))"],
                           cwd=tmp_path, env=clean_env(tmp_path, PYTHONPATH=str(installed)),
                           capture_output=True, text=True, timeout=60)
    assert probe.returncode == 0, probe.stderr
    for line in probe.stdout.split():
        assert Path(line).is_relative_to(installed), line  # not the checkout's copy

    out = _run(installed, tmp_path, "interpret", "--json", "smile more")
    assert out.returncode == 0, out.stderr
    edit = json.loads(out.stdout)["edits"][0]
    assert (edit["slot"], edit["op"]) == ("expression", "increase")

    studio = tmp_path / "studio"
    out = _run(installed, tmp_path, "--studio", str(studio), "models", "--json")
    assert out.returncode == 0, out.stderr
    assert any(m["kind"] == "demo" and m["runnable"] for m in json.loads(out.stdout)["models"])


@pytest.mark.slow
def test_installed_wheel_renders_the_demo_model_and_opens_the_window(installed, tmp_path):
    studio = tmp_path / "studio"
    out = _run(installed, tmp_path, "--studio", str(studio), "board", "new", "b")
    assert out.returncode == 0, out.stderr
    out = _run(installed, tmp_path, "--studio", str(studio), "generate", "--board", "b",
               "--prompt", "a model in a red coat", "--model", "demo", "--steps", "2",
               "--size", "64x64", "--json")
    assert out.returncode == 0, out.stderr
    shots = json.loads(out.stdout)["shots"]
    assert len(shots) == 1 and Path(shots[0]["image"]).is_file()
    assert Path(shots[0]["image"]).is_relative_to(studio)
    shot = tmp_path / "window.png"
    out = _run(installed, tmp_path, "--studio", str(studio), "--screenshot", str(shot))
    assert out.returncode == 0, out.stderr
    from PIL import Image

    with Image.open(shot) as picture:
        assert picture.width > 600 and picture.height > 400
        colours = picture.convert("RGB").resize((32, 32)).getcolors(32 * 32)
        assert len(colours) > 8  # a drawn window, not a blank surface
