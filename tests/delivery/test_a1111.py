"""The AUTOMATIC1111 `parameters` chunk: what sd-parsers and other SD tools read."""

from __future__ import annotations

import pytest

from app.core.a1111 import parameters_text
from tests.delivery.conftest import add_shot


def test_parameters_text_in_a1111_syntax():
    text = parameters_text({"prompt": "a model, (smiling)1.2", "negative": "blurry", "steps": 20,
                            "guidance": 7.5, "seed": 42, "width": 512, "height": 768,
                            "scheduler": "EulerAncestralDiscreteScheduler", "model": "demo",
                            "model_hash": "0123456789abcdef",
                            "adapters": [{"name": "coat", "hash": "feedbeef" * 8, "weight": 0.8}]})
    first, neg, line = text.split("\n")
    assert first == "a model, (smiling:1.2) <lora:coat:0.8>"
    assert neg == "Negative prompt: blurry"
    assert line.startswith("Steps: 20, Sampler: Euler a, CFG scale: 7.5, Seed: 42, Size: 512x768, "
                           "Model hash: 0123456789, Model: demo")
    assert 'Lora hashes: "coat: feedbeeffeed"' in line


def test_studio_png_is_read_by_sd_parsers(studio, board):
    sd_parsers = pytest.importorskip("sd_parsers")
    from PIL import Image

    shot = add_shot(studio, board, 7, prompt="a model in a red coat, (smiling)1.2")
    with Image.open(studio.images.path(shot.image)) as im:
        assert "Seed: 7" in im.info["parameters"]
        info = sd_parsers.ParserManager().parse(im)
    assert info is not None
    prompts = [p.value for p in info.prompts]
    assert any("smiling:1.2" in p for p in prompts)
    sampler = info.samplers[0]
    assert sampler.parameters.get("seed") in (7, "7")
    assert sampler.parameters.get("steps") in (20, "20")
    assert any(m.name == "demo" for m in info.models)


def test_exports_carry_the_recipe_only_when_asked(studio, board, cli, tmp_path):
    import json

    from PIL import Image

    add_shot(studio, board, 8, "approved", prompt="a model in a secret coat")
    for flag, expect in (((), False), (("--with-recipe",), True)):
        code, out, err = cli("export", "--board", "Spring Look", "--preset", "square", "--format", "png",
                             "--to", tmp_path / str(expect), "--json", *flag)
        assert code == 0, err
        path = json.loads(out)["files"][0]["path"]
        data = open(path, "rb").read()
        assert (b"secret coat" in data) is expect
        with Image.open(path) as im:
            assert ("parameters" in im.info) is expect
