"""Delivery tests: shots drawn in-process (a figure on a backdrop, no render), a signing
folder of the test's own (never the user's config), and the command line in-process."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter


@pytest.fixture(autouse=True)
def signing_dir(tmp_path, monkeypatch):
    path = tmp_path / "signing"
    monkeypatch.setenv("ATELIER_SIGNING_DIR", str(path))
    monkeypatch.delenv("ATELIER_SIGNING_CERT", raising=False)
    monkeypatch.delenv("ATELIER_SIGNING_KEY", raising=False)
    return path


def figure(seed: int, size=(512, 512), centre_x=0.5) -> Image.Image:
    """A figure (head and body) on a textured backdrop: something to crop around."""
    rng = np.random.default_rng(seed)
    w, h = size
    img = Image.new("RGB", size, tuple(int(v) for v in rng.integers(150, 220, 3)))
    d = ImageDraw.Draw(img)
    cx = int(w * centre_x)
    d.ellipse([cx - w // 12, h // 8, cx + w // 12, h // 8 + w // 6], fill=(200, 150, 120))
    d.rectangle([cx - w // 7, h // 8 + w // 6, cx + w // 7, h], fill=tuple(int(v) for v in rng.integers(0, 120, 3)))
    img = img.filter(ImageFilter.GaussianBlur(1.5))
    a = np.asarray(img, dtype=np.float64) + rng.normal(0, 5, (h, w, 1))
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))


def add_shot(studio, board, seed, status=None, size=(512, 512), centre_x=0.5, prompt=None):
    from app.store import repo
    from app.store.records import ShotDraft

    draft = ShotDraft(board_id=board.id, brief={}, prompt=prompt or f"a model in a red coat, look {seed}",
                      negative="blurry", model="demo", model_hash="ab" * 32, seed=seed, steps=20,
                      guidance=7.5, width=size[0], height=size[1], scheduler="EulerDiscreteScheduler")
    (shot,) = repo.add_shots(studio, [draft], [figure(seed, size, centre_x)])
    if status == "approved":
        repo.decide(studio, "approve", "Mira", "art-director", reason="the coat works", shot_id=shot.id)
    elif status:
        repo.decide(studio, status, "Mira", "art-director", reason="not yet", shot_id=shot.id)
    return repo.get_shot(studio, shot.id)


@pytest.fixture
def board(studio):
    from app.store import repo

    return repo.create_board(studio, "Spring Look")


@pytest.fixture
def cli(studio_dir, capsys):
    """Run `atelier ...` in-process: (exit status, stdout, stderr)."""
    from app.cli import main

    def run(*argv):
        code = main(["--studio", str(studio_dir), *map(str, argv)])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run
