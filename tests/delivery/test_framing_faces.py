"""Exports centre on a real face: dlib's detector finds it in a portrait that a package ships."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from app.delivery import framing

pytest.importorskip("dlib")


def _portrait() -> Image.Image:
    spec = importlib.util.find_spec("skimage")
    if spec is None:
        pytest.skip("scikit-image is not installed (pip install -e '.[test]')")
    path = Path(list(spec.submodule_search_locations)[0]) / "data" / "astronaut.png"
    with Image.open(path) as img:
        return img.convert("RGB")


def _wide_scene():
    """A 1800×600 grey scene: a large red block on the left (no face, but the most
    'figure-like' pixels) and the astronaut's portrait at the right."""
    scene = Image.new("RGB", (1800, 600), (128, 128, 128))
    ImageDraw.Draw(scene).rectangle([60, 40, 900, 580], fill=(200, 20, 20))
    portrait = _portrait().resize((500, 500))
    scene.paste(portrait, (1240, 50))
    return scene


def test_a_found_face_is_the_subject_and_the_crop_keeps_it():
    scene = _wide_scene()
    centre = framing._dlib_face(scene)
    assert centre is not None
    assert 1240 < centre[0] < 1740 and 50 < centre[1] < 550

    fit = framing.plan(scene, 800, 1000, "crop")  # 4:5 out of 3:1: most of the width goes
    assert fit.subject_kind == "face"
    x0, _, x1, _ = fit.box
    assert x0 < centre[0] < x1
    out = framing.apply(scene, fit, 800, 1000)
    assert framing._dlib_face(out) is not None  # the face is still in the delivered picture


def test_without_a_face_the_figure_is_the_subject():
    scene = _wide_scene()
    scene.paste((128, 128, 128), (1200, 0, 1800, 600))  # the portrait removed
    fit = framing.plan(scene, 800, 1000, "crop")
    assert fit.subject_kind == "figure"
    assert fit.box[2] <= 1100  # around the red block


def test_a_detector_that_fails_falls_back_to_the_figure(monkeypatch):
    def broken(image):
        raise RuntimeError("detector crashed")

    monkeypatch.setattr(framing, "_face_finder", broken)
    assert framing.plan(_wide_scene(), 800, 1000).subject_kind in {"figure", "centre"}
