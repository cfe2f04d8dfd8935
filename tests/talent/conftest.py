"""Talent fixtures: a demo-model cache shared by the module, portraits that packages ship."""

import os
from datetime import date, timedelta
from pathlib import Path

import pytest

from app.cli import main


@pytest.fixture(scope="package", autouse=True)
def engine_cache(tmp_path_factory):
    old = {k: os.environ.get(k) for k in ("ATELIER_CACHE", "ATELIER_DEVICE", "ATELIER_MODELS")}
    os.environ["ATELIER_CACHE"] = str(tmp_path_factory.mktemp("atelier-cache"))
    os.environ["ATELIER_DEVICE"] = "cpu"
    os.environ.pop("ATELIER_MODELS", None)
    yield
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture
def no_real_models(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-hf-cache"))


def package_file(package: str, *parts: str) -> Path:
    """A file a pip package ships (found without importing the package)."""
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None:
        pytest.skip(f"{package} is not installed (pip install -e '.[test]')")
    return Path(list(spec.submodule_search_locations)[0]).joinpath(*parts)


@pytest.fixture
def astronaut():
    """Eileen Collins, NASA portrait (public domain), as scikit-image ships it."""
    return package_file("skimage", "data", "astronaut.png")


@pytest.fixture
def grace_hopper():
    """Grace Hopper's portrait (public domain), as matplotlib ships it."""
    return package_file("matplotlib", "mpl-data", "sample_data", "grace_hopper.jpg")


@pytest.fixture
def coffee():
    """A cup of coffee: no face."""
    return package_file("skimage", "data", "coffee.png")


class Cli:
    def __init__(self, capsys):
        self.capsys = capsys

    def __call__(self, *argv):
        code = main([str(a) for a in argv])
        out = self.capsys.readouterr()
        return code, out.out, out.err


@pytest.fixture
def cli(capsys, studio_dir):
    return Cli(capsys)


TODAY = date.today()
YESTERDAY = (TODAY - timedelta(days=1)).isoformat()
LAST_MONTH = (TODAY - timedelta(days=30)).isoformat()
NEXT_MONTH = (TODAY + timedelta(days=30)).isoformat()
