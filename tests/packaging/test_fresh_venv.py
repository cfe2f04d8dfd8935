"""Heavy (opt-in: pytest -m heavy): the issue's judgement as it is written. `python -m
build` makes the sdist and wheel; the wheel goes into a brand-new virtual environment
(torch==2.13.0 first, as the README says), and the commands run from a folder outside the
checkout. Several minutes: it installs torch, diffusers and Qt afresh."""

from __future__ import annotations

import json
import subprocess
import sys
import venv

import pytest

from tests.packaging.wheel_tools import clean_env, source_copy

pytestmark = pytest.mark.heavy


def test_built_wheel_in_a_fresh_venv_runs_every_command(tmp_path):
    src = source_copy(tmp_path / "src")
    subprocess.run([sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir",
                    str(tmp_path / "dist"), str(src)], check=True, timeout=900)
    wheel = next((tmp_path / "dist").glob("atelier_studio-*.whl"))
    assert next((tmp_path / "dist").glob("atelier_studio-*.tar.gz"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    subprocess.run([py, "-m", "pip", "install", "--quiet", "torch==2.13.0"], check=True, timeout=1800)
    subprocess.run([py, "-m", "pip", "install", "--quiet", str(wheel)], check=True, timeout=1800)
    atelier = env_dir / "bin" / "atelier"
    away = tmp_path / "elsewhere"
    (away / "home").mkdir(parents=True)
    env = clean_env(away / "home")
    studio = ["--studio", str(away / "studio")]

    def run(*args):
        out = subprocess.run([atelier, *args], cwd=away, env=env, capture_output=True,
                             text=True, timeout=900)
        assert out.returncode == 0, (args, out.stderr)
        return out.stdout

    assert run("--version").startswith("atelier ")
    assert json.loads(run("interpret", "--json", "smile more"))["understood"] is True
    assert any(m["kind"] == "demo" for m in json.loads(run(*studio, "models", "--json"))["models"])
    run(*studio, "board", "new", "b")
    shots = json.loads(run(*studio, "generate", "--board", "b", "--prompt",
                           "a model in a red coat", "--model", "demo", "--json"))["shots"]
    assert len(shots) == 1
    run(*studio, "--screenshot", str(away / "window.png"))
    assert (away / "window.png").stat().st_size > 10_000
