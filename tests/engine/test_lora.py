"""LoRA adapters (issue 9): found and described, applied with their weights from --lora or
<lora:NAME:W> tags, recorded in the recipe by name, sha256 and weight, re-applied from the
recipe, and taken out again so one job's adapter never reaches the next."""

import hashlib
import threading

import numpy as np
import pytest
from PIL import Image

from app.engine import lora
from app.engine.checkpoint import ModelError
from app.engine.models import find_adapters, resolve_adapter
from app.store import repo

from . import fakes
from .conftest import brief, small_job
from .tiny_lora import diffusers_lora, kohya_lora, lora_modules


def _pixels(studio, shot):
    with Image.open(studio.images.path(shot.image)) as img:
        return np.asarray(img.convert("RGB")).astype(int)


@pytest.fixture
def loras(studio):
    folder = studio.path / "models" / "lora"
    return {"odette": kohya_lora(folder / "odette.safetensors"),
            "denim": diffusers_lora(folder / "denim-look.safetensors")}


def _run(runner, studio, job):
    return runner.run(studio, job, None, threading.Event())


def test_adapters_are_listed_with_base_family_layout_and_trigger_words(studio, loras):
    found = {a.name: a for a in find_adapters(studio=studio.path)}
    odette, denim = found["odette"], found["denim-look"]
    assert (odette.layout, odette.base_family, odette.runnable) == ("kohya", "SD-shaped (demo)", True)
    assert odette.trigger_words[0] == "odette"
    assert (denim.layout, denim.trigger_words) == ("diffusers", ["denim look"])


def test_a_lora_changes_the_picture_and_the_recipe_records_it(runner, studio, board, loras):
    plain = _run(runner, studio, small_job(board.id))[0]
    [shot] = _run(runner, studio, small_job(board.id, adapters=[{"name": "odette", "weight": 0.9}]))
    digest = hashlib.sha256(loras["odette"].read_bytes()).hexdigest()
    assert shot.adapters == [{"name": "odette", "hash": digest, "weight": 0.9}]
    assert repo.get_shot(studio, shot.id).adapters == shot.adapters
    assert shot.recipe()["adapters"] == shot.adapters
    assert np.abs(_pixels(studio, shot) - _pixels(studio, plain)).mean() > 1
    assert plain.adapters == []


def test_nothing_of_an_adapter_stays_for_the_next_job(runner, studio, board, loras):
    pipe = runner.renderer.pipe
    before = _run(runner, studio, small_job(board.id, seed=3))[0]
    _run(runner, studio, small_job(board.id, seed=3, adapters=[{"name": "odette"}, {"name": "denim-look"}]))
    assert lora_modules(pipe) == 0 and runner.renderer.adapters == []
    after = _run(runner, studio, small_job(board.id, seed=3))[0]
    assert after.image == before.image  # the same pixels, so the same stored file


def test_the_recipe_renders_the_same_pixels_again(runner, studio, board, loras):
    first = _run(runner, studio, small_job(board.id, adapters=[{"name": "denim-look", "weight": 0.6}]))[0]
    _run(runner, studio, small_job(board.id, adapters=[{"name": "odette", "weight": 1.2}]))  # another in between
    again = _run(runner, studio, small_job(board.id, adapters=first.adapters))[0]
    assert again.image == first.image and again.adapters == first.adapters


def test_weights_scale_the_effect(runner, studio, board, loras):
    base = _pixels(studio, _run(runner, studio, small_job(board.id))[0])
    weak, strong = (_pixels(studio, _run(runner, studio, small_job(
        board.id, adapters=[{"name": "odette", "weight": w}]))[0]) for w in (0.2, 1.5))
    assert np.abs(weak - base).mean() < np.abs(strong - base).mean()


def test_a_prompt_tag_is_an_adapter_not_words(runner, studio, board, loras):
    job = small_job(board.id, brief=brief("a woman in a red coat <lora:odette:0.5>"))
    [shot] = _run(runner, studio, job)
    assert "lora" not in shot.prompt and shot.prompt.startswith("a woman in a red coat")
    assert [(a["name"], a["weight"]) for a in shot.adapters] == [("odette", 0.5)]


def test_a_changed_file_is_found_by_its_hash_or_refused(runner, studio, board, loras, tmp_path):
    [shot] = _run(runner, studio, small_job(board.id, adapters=[{"name": "odette"}]))
    moved = studio.path / "models" / "lora" / "odette-v1.safetensors"
    loras["odette"].rename(moved)
    kohya_lora(loras["odette"], seed=5)  # a new version under the old name
    again = _run(runner, studio, small_job(board.id, adapters=shot.adapters))[0]
    assert np.array_equal(_pixels(studio, again), _pixels(studio, shot))
    assert again.adapters == [{**shot.adapters[0], "name": "odette-v1"}]  # the file it really used
    moved.unlink()
    with pytest.raises(ModelError, match="not on this machine"):
        _run(runner, studio, small_job(board.id, adapters=shot.adapters))


def test_pickle_adapters_are_refused_by_name_before_they_are_opened(studio, tmp_path):
    for ext in (".ckpt", ".pt", ".bin", ".pth"):
        path = tmp_path / f"look{ext}"
        path.write_bytes(b"\x80\x04 never read")
        path.chmod(0)  # opening it would fail differently
        with pytest.raises(ModelError, match="pickle"):
            resolve_adapter(str(path), studio=studio.path)


def test_an_adapter_for_another_family_is_refused_and_nothing_is_stored(runner, studio, board, loras):
    fakes.kohya_lora(studio.path / "models" / "lora" / "xl-look.safetensors", cross=2048)
    with pytest.raises(ModelError, match="a LoRA for SDXL models.*choose a SDXL model"):
        _run(runner, studio, small_job(board.id, adapters=[{"name": "xl-look"}]))
    assert repo.board_page(studio, board.id).total == 0


def test_an_adapter_that_does_not_fit_leaves_nothing_behind(runner, studio, board, loras):
    # Trained on a model of unknown family with other shapes: loading it tells.
    fakes.safetensors(studio.path / "models" / "lora" / "odd.safetensors", {
        "lora_unet_down_blocks_1_attentions_0_transformer_blocks_0_attn1_to_q.lora_down.weight": ("F32", (4, 48)),
        "lora_unet_down_blocks_1_attentions_0_transformer_blocks_0_attn1_to_q.lora_up.weight": ("F32", (48, 4))})
    with pytest.raises(ModelError, match="odd: this adapter does not fit"):
        _run(runner, studio, small_job(board.id, adapters=[{"name": "odd"}]))
    assert lora_modules(runner.renderer.pipe) == 0 and repo.board_page(studio, board.id).total == 0


def test_an_unknown_adapter_name_says_where_to_look(runner, studio, board):
    with pytest.raises(ModelError, match="no adapter named 'nope'.*atelier models"):
        _run(runner, studio, small_job(board.id, adapters=[{"name": "nope"}]))


@pytest.mark.parametrize("text, expected", [
    ("denim", {"name": "denim", "weight": 0.8}),
    ("denim:0.5", {"name": "denim", "weight": 0.5}),
    ("./loras/x.safetensors:1.2", {"name": "./loras/x.safetensors", "weight": 1.2}),
    ("C:\\loras\\x.safetensors", {"name": "C:\\loras\\x.safetensors", "weight": 0.8}),
    ("C:\\loras\\x.safetensors:-0.5", {"name": "C:\\loras\\x.safetensors", "weight": -0.5}),
])
def test_lora_arguments(text, expected):
    assert lora.parse_lora(text) == expected


@pytest.mark.parametrize("text", ["denim:strong", "denim:9", ":0.5", ""])
def test_bad_lora_arguments_say_why(text):
    with pytest.raises(ValueError, match="--lora"):
        lora.parse_lora(text)


def test_prompt_tags_are_taken_out():
    assert lora.take_tags("a woman, <lora:odette:0.7>, red coat <LORA:Denim Look> <lora:x:0.5:0.3>") == (
        "a woman, red coat", [{"name": "odette", "weight": 0.7}, {"name": "Denim Look", "weight": 0.8},
                              {"name": "x", "weight": 0.5}])
    assert lora.take_tags("(smiling)1.2, no tags") == ("(smiling)1.2, no tags", [])
    with pytest.raises(ValueError, match="weight"):
        lora.take_tags("<lora:x:lots>")


def test_one_entry_per_adapter_the_last_weight_wins():
    assert lora.merge([{"name": "a", "weight": 0.8, "hash": "h"}, {"name": "b", "weight": 1},
                       {"name": "A", "weight": 0.3}]) == [{"name": "a", "weight": 0.3, "hash": "h"},
                                                           {"name": "b", "weight": 1}]


def test_families_an_adapter_fits():
    assert lora.fits("SD 1.x", "SD 1.x") and lora.fits("FLUX", "FLUX Kontext")
    assert lora.fits(None, "SDXL") and lora.fits("SDXL", None)
    assert not lora.fits("SDXL", "SD 1.x") and not lora.fits("FLUX", "SD3")


def test_a_twin_renders_with_the_talent_s_own_adapter(runner, studio, board, tmp_path):
    from datetime import date, timedelta

    from app.talent import repo as talent_repo

    own = kohya_lora(tmp_path / "mila.safetensors", seed=9)
    talent_repo.add_talent(studio, "Mila", "Elite", adapter=own, trigger="m1la")
    today = date.today()
    talent_repo.grant_consent(studio, "Mila", "Acme", "ecommerce", "EU", (today - timedelta(days=1)).isoformat(),
                              (today + timedelta(days=30)).isoformat(), "25", "EUR", basis="render")
    talent_repo.set_board_use(studio, board.id, "Acme", "ecommerce", "EU")
    [shot] = _run(runner, studio, small_job(board.id, twin="Mila"))
    digest = hashlib.sha256(own.read_bytes()).hexdigest()
    assert shot.adapters == [{"name": "mila", "hash": digest, "weight": lora.DEFAULT_WEIGHT}]
    assert "m1la" in shot.prompt and lora_modules(runner.renderer.pipe) == 0
