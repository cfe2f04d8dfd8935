"""Writes the diffusers configs that single-file checkpoints lack, one folder per kind of
checkpoint (model_index.json plus each component's config), and the CLIP BPE tokenizer
they share (clip-tokenizer/vocab.json, merges.txt).

The configs are the published architectures of each family (SD 1.x, SD 2.x 768-v and
512-base, SDXL base / refiner / inpainting, SD 1.x and 2.x inpainting). The tokenizer is
derived from the CLIP BPE merges file that open_clip_torch (MIT) ships,
open_clip/bpe_simple_vocab_16e6.txt.gz, exactly as CLIP's own tokenizer builds its vocabulary:
256 byte symbols, their end-of-word forms, the first 48,894 merges, then the two special
tokens (49,408 tokens).

    python make_configs.py [path/to/bpe_simple_vocab_16e6.txt.gz]

Without the path only the JSON configs are rewritten."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

SCALED = {"beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear", "num_train_timesteps": 1000,
          "trained_betas": None, "clip_sample": False, "set_alpha_to_one": False, "steps_offset": 1}

VAE = {"_class_name": "AutoencoderKL", "act_fn": "silu", "block_out_channels": [128, 256, 512, 512],
       "down_block_types": ["DownEncoderBlock2D"] * 4, "up_block_types": ["UpDecoderBlock2D"] * 4,
       "in_channels": 3, "out_channels": 3, "latent_channels": 4, "layers_per_block": 2,
       "norm_num_groups": 32, "sample_size": 512, "scaling_factor": 0.18215}

CLIP_L = {"architectures": ["CLIPTextModel"], "model_type": "clip_text_model", "vocab_size": 49408,
          "hidden_size": 768, "intermediate_size": 3072, "projection_dim": 768, "num_hidden_layers": 12,
          "num_attention_heads": 12, "max_position_embeddings": 77, "hidden_act": "quick_gelu",
          "layer_norm_eps": 1e-05, "attention_dropout": 0.0, "dropout": 0.0, "initializer_range": 0.02,
          "initializer_factor": 1.0, "bos_token_id": 0, "eos_token_id": 2, "pad_token_id": 1}
# OpenCLIP ViT-H/14 text tower as SD 2.x uses it: the penultimate layer, so 23 of 24 layers.
CLIP_H = {**CLIP_L, "hidden_size": 1024, "intermediate_size": 4096, "projection_dim": 512,
          "num_hidden_layers": 23, "num_attention_heads": 16, "hidden_act": "gelu"}
# OpenCLIP ViT-bigG/14 text tower (SDXL's second encoder), with its projection.
CLIP_G = {**CLIP_L, "architectures": ["CLIPTextModelWithProjection"], "hidden_size": 1280,
          "intermediate_size": 5120, "projection_dim": 1280, "num_hidden_layers": 32,
          "num_attention_heads": 20, "hidden_act": "gelu"}

SD_UNET = {"_class_name": "UNet2DConditionModel", "act_fn": "silu", "attention_head_dim": 8,
           "block_out_channels": [320, 640, 1280, 1280], "center_input_sample": False,
           "cross_attention_dim": 768,
           "down_block_types": ["CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"],
           "up_block_types": ["UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"],
           "downsample_padding": 1, "flip_sin_to_cos": True, "freq_shift": 0, "in_channels": 4,
           "out_channels": 4, "layers_per_block": 2, "mid_block_scale_factor": 1, "norm_eps": 1e-05,
           "norm_num_groups": 32, "sample_size": 64}
SD2_UNET = {**SD_UNET, "attention_head_dim": [5, 10, 20, 20], "cross_attention_dim": 1024,
            "use_linear_projection": True}

XL_UNET = {"_class_name": "UNet2DConditionModel", "act_fn": "silu", "addition_embed_type": "text_time",
           "addition_embed_type_num_heads": 64, "addition_time_embed_dim": 256,
           "attention_head_dim": [5, 10, 20], "block_out_channels": [320, 640, 1280],
           "center_input_sample": False, "cross_attention_dim": 2048,
           "down_block_types": ["DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"],
           "up_block_types": ["CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"],
           "downsample_padding": 1, "flip_sin_to_cos": True, "freq_shift": 0, "in_channels": 4,
           "out_channels": 4, "layers_per_block": 2, "mid_block_scale_factor": 1,
           "mid_block_type": "UNetMidBlock2DCrossAttn", "norm_eps": 1e-05, "norm_num_groups": 32,
           "projection_class_embeddings_input_dim": 2816, "sample_size": 128,
           "transformer_layers_per_block": [1, 2, 10], "use_linear_projection": True}
XL_REFINER_UNET = {**XL_UNET, "attention_head_dim": [6, 12, 24, 24], "block_out_channels": [384, 768, 1536, 1536],
                   "cross_attention_dim": 1280,
                   "down_block_types": ["DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"],
                   "up_block_types": ["UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"],
                   "projection_class_embeddings_input_dim": 2560, "transformer_layers_per_block": 4}
XL_VAE = {**VAE, "sample_size": 1024, "scaling_factor": 0.13025, "force_upcast": True}
XL_SCHEDULER = {"_class_name": "EulerDiscreteScheduler", **SCALED, "interpolation_type": "linear",
                "prediction_type": "epsilon", "sample_max_value": 1.0, "skip_prk_steps": True,
                "timestep_spacing": "leading", "use_karras_sigmas": False}

NONE = [None, None]


def sd_index(cls, scheduler="PNDMScheduler", **extra):
    return {"_class_name": cls, "_diffusers_version": "0.30.0", "feature_extractor": NONE, "safety_checker": NONE,
            "requires_safety_checker": False, "scheduler": ["diffusers", scheduler],
            "text_encoder": ["transformers", "CLIPTextModel"], "tokenizer": ["transformers", "CLIPTokenizer"],
            "unet": ["diffusers", "UNet2DConditionModel"], "vae": ["diffusers", "AutoencoderKL"], **extra}


def xl_index(cls, refiner=False):
    index = {"_class_name": cls, "_diffusers_version": "0.30.0", "feature_extractor": NONE, "image_encoder": NONE,
             "force_zeros_for_empty_prompt": not refiner, "scheduler": ["diffusers", "EulerDiscreteScheduler"],
             "text_encoder": NONE if refiner else ["transformers", "CLIPTextModel"],
             "tokenizer": NONE if refiner else ["transformers", "CLIPTokenizer"],
             "text_encoder_2": ["transformers", "CLIPTextModelWithProjection"],
             "tokenizer_2": ["transformers", "CLIPTokenizer"],
             "unet": ["diffusers", "UNet2DConditionModel"], "vae": ["diffusers", "AutoencoderKL"]}
    if refiner:
        index["requires_aesthetics_score"] = True
    return index


def pndm():
    return {"_class_name": "PNDMScheduler", **SCALED, "prediction_type": "epsilon", "skip_prk_steps": True,
            "timestep_spacing": "leading"}


def ddim(prediction="epsilon"):
    return {"_class_name": "DDIMScheduler", **SCALED, "prediction_type": prediction, "timestep_spacing": "leading"}


CONFIGS = {
    "sd15": {"model_index.json": sd_index("StableDiffusionPipeline"), "unet": SD_UNET, "vae": VAE,
             "text_encoder": CLIP_L, "scheduler": pndm()},
    "sd15-inpainting": {"model_index.json": sd_index("StableDiffusionInpaintPipeline", "DDIMScheduler"),
                        "unet": {**SD_UNET, "in_channels": 9}, "vae": VAE, "text_encoder": CLIP_L,
                        "scheduler": ddim()},
    "sd2": {"model_index.json": sd_index("StableDiffusionPipeline", "DDIMScheduler"),
            "unet": {**SD2_UNET, "sample_size": 96, "upcast_attention": True}, "vae": {**VAE, "sample_size": 768},
            "text_encoder": CLIP_H, "scheduler": ddim("v_prediction")},
    "sd2-base": {"model_index.json": sd_index("StableDiffusionPipeline"), "unet": SD2_UNET, "vae": VAE,
                 "text_encoder": CLIP_H, "scheduler": pndm()},
    "sd2-inpainting": {"model_index.json": sd_index("StableDiffusionInpaintPipeline", "DDIMScheduler"),
                       "unet": {**SD2_UNET, "in_channels": 9}, "vae": VAE, "text_encoder": CLIP_H,
                       "scheduler": ddim()},
    "sdxl": {"model_index.json": xl_index("StableDiffusionXLPipeline"), "unet": XL_UNET, "vae": XL_VAE,
             "text_encoder": CLIP_L, "text_encoder_2": CLIP_G, "scheduler": XL_SCHEDULER},
    "sdxl-inpainting": {"model_index.json": xl_index("StableDiffusionXLInpaintPipeline"),
                        "unet": {**XL_UNET, "in_channels": 9}, "vae": XL_VAE, "text_encoder": CLIP_L,
                        "text_encoder_2": CLIP_G, "scheduler": XL_SCHEDULER},
    "sdxl-refiner": {"model_index.json": xl_index("StableDiffusionXLImg2ImgPipeline", refiner=True),
                     "unet": XL_REFINER_UNET, "vae": XL_VAE, "text_encoder_2": CLIP_G, "scheduler": XL_SCHEDULER},
}
# Which padding token each tokenizer uses: OpenAI CLIP pads with <|endoftext|>, the
# OpenCLIP towers (SD 2.x, SDXL's second) with "!".
PAD = {"sd15": {"tokenizer": "<|endoftext|>"}, "sd15-inpainting": {"tokenizer": "<|endoftext|>"},
       "sd2": {"tokenizer": "!"}, "sd2-base": {"tokenizer": "!"}, "sd2-inpainting": {"tokenizer": "!"},
       "sdxl": {"tokenizer": "<|endoftext|>", "tokenizer_2": "!"},
       "sdxl-inpainting": {"tokenizer": "<|endoftext|>", "tokenizer_2": "!"},
       "sdxl-refiner": {"tokenizer_2": "!"}}


def write_configs() -> None:
    for name, parts in CONFIGS.items():
        folder = HERE / name
        for part, data in parts.items():
            path = folder / part if part.endswith(".json") else folder / part / (
                "scheduler_config.json" if part == "scheduler" else "config.json")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        (folder / "tokenizers.json").write_text(json.dumps(PAD[name], indent=2) + "\n", encoding="utf-8")


def bytes_to_unicode() -> dict[int, str]:
    """CLIP's (and GPT-2's) reversible byte -> printable character table."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, (chr(c) for c in cs)))


def write_tokenizer(bpe_gz: Path) -> None:
    lines = gzip.open(bpe_gz, "rt", encoding="utf-8").read().split("\n")
    merges = [tuple(m.split()) for m in lines[1:49152 - 256 - 2 + 1]]
    vocab = list(bytes_to_unicode().values())
    vocab = vocab + [v + "</w>" for v in vocab] + ["".join(m) for m in merges]
    vocab += ["<|startoftext|>", "<|endoftext|>"]
    out = HERE / "clip-tokenizer"
    out.mkdir(exist_ok=True)
    (out / "vocab.json").write_text(json.dumps({t: i for i, t in enumerate(vocab)}, ensure_ascii=False),
                                    encoding="utf-8")
    (out / "merges.txt").write_text("#version: 0.2\n" + "\n".join(" ".join(m) for m in merges) + "\n",
                                    encoding="utf-8")


if __name__ == "__main__":
    write_configs()
    if len(sys.argv) > 1:
        write_tokenizer(Path(sys.argv[1]))
