"""The bundled configs describe the published architectures: built empty (no memory for
weights), each component has exactly the parameter count of the released model."""

import json

import pytest

from app.paths import resource

ROOT = resource("model_configs")
# Published parameter counts of each released component.
UNET = {"sd15": 859_520_964, "sd15-inpainting": 859_535_364, "sd2": 865_910_724, "sd2-base": 865_910_724,
        "sdxl": 2_567_463_684, "sdxl-inpainting": 2_567_478_084, "sdxl-refiner": 2_259_526_660}
TEXT = {"CLIP ViT-L/14": 123_060_480, "OpenCLIP ViT-H/14 (23 layers)": 340_387_840,
        "OpenCLIP ViT-bigG/14": 694_659_840}
VAE = 83_653_863


def _count(part, cfg):
    from accelerate import init_empty_weights
    from diffusers import AutoencoderKL, UNet2DConditionModel
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTextModelWithProjection

    with init_empty_weights():
        if part.startswith("text"):
            cls = CLIPTextModelWithProjection if "WithProjection" in cfg["architectures"][0] else CLIPTextModel
            model = cls(CLIPTextConfig(**cfg))
        else:
            model = (UNet2DConditionModel if part == "unet" else AutoencoderKL).from_config(cfg)
    return sum(p.numel() for p in model.parameters())


# SD 1.5 and SDXL in every run; the other five (about 40 s on two cores) with -m heavy.
@pytest.mark.parametrize("name", [n if n in ("sd15", "sdxl") else pytest.param(n, marks=pytest.mark.heavy)
                                  for n in sorted(UNET)])
def test_bundled_config_has_the_released_parameter_counts(name):
    folder = ROOT / name
    index = json.loads((folder / "model_index.json").read_text())
    assert _count("unet", json.loads((folder / "unet" / "config.json").read_text())) == UNET[name]
    assert _count("vae", json.loads((folder / "vae" / "config.json").read_text())) == VAE
    for part in ("text_encoder", "text_encoder_2"):
        if index.get(part, [None])[0] is None:
            continue
        assert _count(part, json.loads((folder / part / "config.json").read_text())) in TEXT.values()
    pads = json.loads((folder / "tokenizers.json").read_text())
    assert set(pads) == {p for p in ("tokenizer", "tokenizer_2") if index.get(p, [None])[0] is not None}


def test_bundled_clip_tokenizer_matches_clips_own_ids():
    from app.engine.single_load import clip_tokenizer

    tok = clip_tokenizer("<|endoftext|>")
    assert len(tok) == 49408
    assert tok("a photo of a cat").input_ids == [49406, 320, 1125, 539, 320, 2368, 49407]
    assert clip_tokenizer("!").pad_token_id == 0
