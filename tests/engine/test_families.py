"""Every family renders (issue 9): tiny random-weight FLUX and SD3 pipelines and an
fp16-variant-only Hugging Face cache snapshot, through the same Runner as the demo model;
transformer models keep their own attention processors; a LoRA applies to FLUX too."""

import threading

import pytest

from . import tiny_pipelines
from .conftest import small_job


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny-models")
    tiny_pipelines.flux(root / "tiny-flux")
    tiny_pipelines.sd3(root / "tiny-sd3")
    return root


@pytest.fixture
def family_runner(models_dir, engine_cache, monkeypatch):
    from app.engine.runner import Runner

    monkeypatch.setenv("ATELIER_MODELS", str(models_dir))
    return Runner()


@pytest.mark.parametrize("name, family, guidance, processor", [
    ("tiny-flux", "FLUX", 3.5, "FluxAttnProcessor"), ("tiny-sd3", "SD3", 5.0, "JointAttnProcessor2_0")])
def test_transformer_families_render_with_their_own_attention(family_runner, studio, board, name, family,
                                                             guidance, processor):
    events = []
    shots = family_runner.run(studio, small_job(board.id, model=name, count=2), events.append, threading.Event())
    assert family_runner.info.family == family
    assert [(s.model, s.seed, s.guidance, s.width) for s in shots] == [(name, 7, guidance, 64), (name, 8, guidance, 64)]
    assert [e.kind for e in events].count("stored") == 2
    procs = {type(p).__name__ for p in family_runner.renderer.pipe.transformer.attn_processors.values()}
    assert procs == {processor}  # as diffusers set them: no AttnProcessor2_0 forced on


def test_a_lora_applies_to_a_flux_transformer_and_is_taken_out(family_runner, studio, board, models_dir):
    import numpy as np
    import torch
    from PIL import Image
    from safetensors.torch import save_file

    from app.engine.models import find_adapters

    family_runner.load("tiny-flux", studio_path=studio.path)
    tr = family_runner.renderer.pipe.transformer
    g = torch.Generator().manual_seed(3)
    sd = {}
    for n, m in tr.named_modules():
        if isinstance(m, torch.nn.Linear) and ".attn." in n and n.endswith(("to_q", "to_k", "to_v")):
            sd[f"transformer.{n}.lora_A.weight"] = torch.randn(2, m.in_features, generator=g)
            sd[f"transformer.{n}.lora_B.weight"] = torch.randn(m.out_features, 2, generator=g)
    (studio.path / "models" / "lora").mkdir(parents=True)
    save_file(sd, str(studio.path / "models" / "lora" / "flux-look.safetensors"))
    (adapter,) = find_adapters(studio=studio.path)
    assert adapter.base_family == "FLUX"
    plain = family_runner.run(studio, small_job(board.id, model="tiny-flux"), None, threading.Event())[0]
    styled = family_runner.run(studio, small_job(board.id, model="tiny-flux", adapters=[{"name": "flux-look"}]),
                               None, threading.Event())[0]
    assert styled.adapters[0]["name"] == "flux-look"
    assert not any("lora" in n for n, _ in tr.named_modules())
    again = family_runner.run(studio, small_job(board.id, model="tiny-flux"), None, threading.Event())[0]

    def px(s):
        return np.asarray(Image.open(studio.images.path(s.image)))

    assert not np.array_equal(px(plain), px(styled)) and again.image == plain.image


def test_a_cache_model_with_only_fp16_weights_renders(engine_cache, studio, board, tmp_path, monkeypatch):
    from app.engine.models import find_models
    from app.engine.runner import Runner

    hub = tmp_path / "hub"
    tiny_pipelines.demo_variant_snapshot(hub)
    monkeypatch.setenv("HF_HUB_CACHE", str(hub))
    (info,) = [m for m in find_models(studio=studio.path) if m.kind == "hf-cache"]
    assert (info.name, info.variant, info.runnable) == ("atelier-tests/tiny-sd", "fp16", True)
    [shot] = Runner().run(studio, small_job(board.id, model=info.name), None, threading.Event())
    assert shot.model == "atelier-tests/tiny-sd" and len(shot.model_hash) == 64
