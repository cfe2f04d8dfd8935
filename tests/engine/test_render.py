"""Rendering with the demo model through the Runner: stored recipes, identical re-renders,
compel weights, image-to-image, cancel that stores nothing."""

import threading

import numpy as np
import pytest
from PIL import Image

from app.engine.jobs import RenderJob
from app.store import repo

from .conftest import small_job


def _pixels(studio, shot):
    with Image.open(studio.images.path(shot.image)) as img:
        return np.asarray(img.convert("RGB"))


def _png_files(studio):
    return sorted(studio.images.root.rglob("*.png"))


def _rerender(runner, studio, shot):
    """A job built from nothing but the shot's stored recipe."""
    job = RenderJob(board_id=shot.board_id, brief=shot.brief, seed=shot.seed, steps=shot.steps,
                    guidance=shot.guidance, width=shot.width, height=shot.height, model=shot.model,
                    scheduler=shot.scheduler, parent_id=shot.parent_id,
                    init_shot_id=shot.parent_id if shot.strength is not None else None,
                    strength=shot.strength)
    return runner.run(studio, job, None, threading.Event())[0]


def test_a_render_stores_rows_files_and_the_complete_recipe(runner, studio, board):
    events = []
    shots = runner.run(studio, small_job(board.id, count=2), events.append, threading.Event(), job_id="j")
    assert [s.seed for s in shots] == [7, 8]
    for shot in shots:
        stored = repo.get_shot(studio, shot.id)
        assert stored.prompt == "a woman in a red silk dress, smiling" and stored.negative == "blurry"
        assert (stored.model, stored.steps, stored.width, stored.height) == ("demo", 2, 64, 64)
        assert stored.scheduler == "dpm++2m" and stored.guidance == 5.0  # the demo family's default
        assert len(stored.model_hash) == 64 and stored.brief == small_job(board.id).brief
        assert studio.images.path(stored.image).is_file() and studio.images.thumb_path(stored.image).is_file()
        assert _pixels(studio, stored).shape == (64, 64, 3)
    assert not np.array_equal(_pixels(studio, shots[0]), _pixels(studio, shots[1]))  # seeds differ
    kinds = [e.kind for e in events]
    assert kinds[0] == "started" and kinds[-1] == "finished" and events[-1].shot_ids == [s.id for s in shots]
    progress = [(e.step, e.total) for e in events if e.kind == "progress"]
    assert progress == [(1, 4), (2, 4), (3, 4), (4, 4)]
    previews = [e.image for e in events if e.kind == "preview"]
    assert previews and all(max(p.size) <= 128 for p in previews)


def test_the_same_recipe_gives_identical_pixels(runner, studio, board):
    first, second = runner.run(studio, small_job(board.id, count=2), None, threading.Event())
    again = _rerender(runner, studio, second)  # the second of a batch, alone
    assert np.array_equal(_pixels(studio, again), _pixels(studio, second))
    assert again.image == second.image  # same pixels and recipe: the same stored file


def test_a_weight_changes_the_conditioning_and_the_picture(runner):
    cond = runner.renderer.conditioner
    plain = cond("a woman, smiling", "blurry")
    weighted = cond("a woman, (smiling)1.2", "blurry")
    assert plain["prompt_embeds"].shape == plain["negative_prompt_embeds"].shape
    assert not np.allclose(plain["prompt_embeds"].numpy(), weighted["prompt_embeds"].numpy())
    assert np.allclose(plain["prompt_embeds"].numpy(), cond("a woman, smiling", "")["prompt_embeds"].numpy())
    kw = dict(negative="", seed=3, steps=2, guidance=7.0, width=64, height=64)
    a = np.asarray(runner.renderer.render(prompt="a woman, smiling", **kw))
    b = np.asarray(runner.renderer.render(prompt="a woman, (smiling)1.5", **kw))
    assert not np.array_equal(a, b)


def test_image_to_image_from_a_parent_keeps_its_recipe(runner, studio, board):
    parent = runner.run(studio, small_job(board.id), None, threading.Event())[0]
    job = small_job(board.id, steps=4, parent_id=parent.id, init_shot_id=parent.id, strength=0.5)
    events = []
    child = runner.run(studio, job, events.append, threading.Event())[0]
    assert (child.parent_id, child.strength, child.seed) == (parent.id, 0.5, parent.seed)
    assert [e.total for e in events if e.kind == "started"] == [2]  # strength 0.5 of 4 steps
    assert np.array_equal(_pixels(studio, _rerender(runner, studio, child)), _pixels(studio, child))
    with pytest.raises(ValueError, match="no step"):
        runner.run(studio, small_job(board.id, steps=4, init_shot_id=parent.id, strength=0.1), None,
                   threading.Event())


def test_cancel_mid_render_stores_nothing(runner, studio, board):
    cancel = threading.Event()
    seen = []

    def emit(event):
        seen.append(event)
        if event.kind == "progress" and event.step == 2:
            cancel.set()

    shots = runner.run(studio, small_job(board.id, steps=8, count=2), emit, cancel)
    assert shots == [] and seen[-1].kind == "cancelled"
    assert max(e.step for e in seen if e.kind == "progress") == 2
    assert runner.renderer.steps_run <= 3  # at most the one step already under way
    assert repo.board_page(studio, board.id).total == 0
    assert _png_files(studio) == []


def test_bad_settings_fail_with_one_clear_message(runner, studio, board):
    events = []
    with pytest.raises(ValueError, match="multiple of 8"):
        runner.run(studio, small_job(board.id, width=100), events.append, threading.Event())
    assert events[-1].kind == "failed" and "multiple of 8" in events[-1].message
    with pytest.raises(ValueError, match="steps"):
        runner.run(studio, small_job(board.id, steps=0), None, threading.Event())


def test_demo_model_renders_other_sizes_like_a_real_sd_model(runner):
    image = runner.renderer.render(prompt="portrait of a woman", negative="", seed=1, steps=1,
                                   guidance=7.0, width=256, height=128)
    assert image.size == (256, 128)
    assert runner.renderer.pipe.vae_scale_factor == 4  # the demo VAE: 64 px pictures, 16 px latents


def test_models_without_compel_get_the_words_without_the_weight_syntax():
    from app.engine.prompts import plain_text

    assert plain_text("a woman, (smiling)1.2, (red dress)0.9, hat-") == "a woman, smiling, red dress, hat"
