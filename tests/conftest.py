"""Shared test setup: headless Qt, and a fresh studio folder per test."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import tempfile  # noqa: E402

import pytest  # noqa: E402

# The user's config folder holds the record keys and heads (app/store/keys.py): tests never
# touch the real one. Each test gets its own (below); this one covers anything outside tests.
os.environ["ATELIER_CONFIG"] = tempfile.mkdtemp(prefix="atelier-test-config-")


@pytest.fixture(autouse=True)
def config_dir(tmp_path, monkeypatch):
    """This test's own config folder (record keys and heads), shared with CLI subprocesses."""
    path = tmp_path / "config"
    monkeypatch.setenv("ATELIER_CONFIG", str(path))
    return path


@pytest.fixture
def studio_dir(tmp_path, monkeypatch):
    """An empty studio folder, also exported as ATELIER_STUDIO for CLI subprocesses."""
    path = tmp_path / "studio"
    monkeypatch.setenv("ATELIER_STUDIO", str(path))
    return path


@pytest.fixture
def studio(studio_dir):
    """The studio in `studio_dir`, open (created on first use), closed after the test."""
    from app.store.db import open_studio

    with open_studio(studio_dir) as s:
        yield s
