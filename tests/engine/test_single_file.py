"""Single-file checkpoints in the original layout load offline with the bundled configs:
the right config is picked from the header, every weight arrives where diffusers' own
converter puts it, nothing reaches stdout, and the picture renders."""

from __future__ import annotations

import pytest

from tests.engine.tiny_single import tiny_config_root, tiny_pipeline, write_single_file


@pytest.fixture(scope="module")
def tiny_root(tmp_path_factory):
    return tiny_config_root(tmp_path_factory.mktemp("model-configs"))


@pytest.fixture
def tiny_configs(tiny_root, monkeypatch, tmp_path):
    from app.engine import singlefile

    monkeypatch.setattr(singlefile, "CONFIG_ROOT", tiny_root)
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-hf-cache"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")  # even so, nothing may ask the network
    return tiny_root


@pytest.mark.parametrize("family, config", [("SD 1.x", "sd15"), ("SDXL", "sdxl")])
def test_single_file_lists_loads_offline_and_renders(tiny_configs, studio_dir, capfd, family, config):
    from app.engine.loading import load_pipeline
    from app.engine.device import choose
    from app.engine.models import resolve_model

    original = tiny_pipeline(tiny_configs / config, seed=3)
    write_single_file(original, studio_dir / "models" / f"my-{config}.safetensors")
    info = resolve_model(f"my-{config}", studio=studio_dir)
    assert (info.family, info.config, info.kind, info.runnable) == (family, config, "single-file", True)
    capfd.readouterr()
    pipe = load_pipeline(info, choose("cpu", "fp32"))
    out, _err = capfd.readouterr()
    assert out == ""  # nothing but the command's own output reaches stdout
    for name in ("unet", "vae", "text_encoder") + (("text_encoder_2",) if config == "sdxl" else ()):
        want, got = getattr(original, name).state_dict(), getattr(pipe, name).state_dict()
        missing = [k for k in want if "position_ids" not in k and k not in got]
        assert not missing, f"{name}: {missing[:3]}"
        wrong = [k for k in want if k in got and not want[k].equal(got[k])]
        assert not wrong, f"{name} weights moved: {wrong[:3]}"
    assert pipe.tokenizer is not None and pipe.tokenizer("a photo of a cat").input_ids == [
        49406, 320, 1125, 539, 320, 2368, 49407]


def test_single_file_renders_through_the_runner(tiny_configs, studio, engine_cache):
    from app.engine.runner import Runner
    from app.store import repo
    from tests.engine.conftest import small_job

    write_single_file(tiny_pipeline(tiny_configs / "sd15", seed=1), studio.path / "models" / "tiny15.safetensors")
    board = repo.create_board(studio, "single files")
    shots = Runner().run(studio, small_job(board.id, model="tiny15", steps=1), None, __import__("threading").Event())
    assert len(shots) == 1 and shots[0].model == "tiny15" and shots[0].width == 64
