"""Tiny random-weight pipelines of the transformer families (FLUX, SD3), saved as ordinary
diffusers folders, with every tokenizer built here: CLIP's from the demo model's vocabulary,
T5's as a small Unigram model (no download, no sentencepiece file). Shapes follow diffusers'
own pipeline tests."""

from __future__ import annotations

WORDS = ("a woman man in red blue silk linen dress coat hat suit smiling studio light "
         "background white black portrait").split()


def clip_tokenizer():
    from transformers import CLIPTokenizer

    from app.engine.demo import CONFIG_DIR

    return CLIPTokenizer(str(CONFIG_DIR / "tokenizer" / "vocab.json"), str(CONFIG_DIR / "tokenizer" / "merges.txt"),
                         model_max_length=77)


def t5_tokenizer():
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers
    from transformers import T5TokenizerFast

    vocab = [("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0)]
    vocab += [("▁" + w, -1.0 - i / 10) for i, w in enumerate(WORDS)]
    vocab += [(c, -8.0) for c in "▁abcdefghijklmnopqrstuvwxyz,.()0123456789"]
    tok = Tokenizer(models.Unigram(vocab, unk_id=2, byte_fallback=False))
    tok.pre_tokenizer = pre_tokenizers.Metaspace()
    tok.decoder = decoders.Metaspace()
    return T5TokenizerFast(tokenizer_object=tok, pad_token="<pad>", eos_token="</s>", unk_token="<unk>",
                           extra_ids=0, model_max_length=64)


def _clip(tok, projection=False):
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTextModelWithProjection

    cfg = CLIPTextConfig(vocab_size=len(tok), hidden_size=32, intermediate_size=37, num_attention_heads=4,
                         num_hidden_layers=2, projection_dim=32, bos_token_id=tok.bos_token_id,
                         eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id)
    return (CLIPTextModelWithProjection if projection else CLIPTextModel)(cfg)


def _t5(tok):
    from transformers import T5Config, T5EncoderModel

    return T5EncoderModel(T5Config(vocab_size=len(tok), d_model=32, d_kv=8, d_ff=37, num_layers=2, num_heads=4,
                                   pad_token_id=0, eos_token_id=1, decoder_start_token_id=0))


def _vae(latent_channels):
    from diffusers import AutoencoderKL

    return AutoencoderKL(sample_size=32, in_channels=3, out_channels=3, block_out_channels=(4,), layers_per_block=1,
                         latent_channels=latent_channels, norm_num_groups=1, use_quant_conv=False,
                         use_post_quant_conv=False, shift_factor=0.0609, scaling_factor=1.5035)


def flux(folder, seed=0):
    import torch
    from diffusers import FlowMatchEulerDiscreteScheduler, FluxPipeline, FluxTransformer2DModel

    torch.manual_seed(seed)
    clip_tok, t5_tok = clip_tokenizer(), t5_tokenizer()
    pipe = FluxPipeline(
        scheduler=FlowMatchEulerDiscreteScheduler(), text_encoder=_clip(clip_tok), tokenizer=clip_tok,
        text_encoder_2=_t5(t5_tok), tokenizer_2=t5_tok, vae=_vae(1),
        transformer=FluxTransformer2DModel(patch_size=1, in_channels=4, num_layers=1, num_single_layers=1,
                                           attention_head_dim=16, num_attention_heads=2, joint_attention_dim=32,
                                           pooled_projection_dim=32, axes_dims_rope=[4, 4, 8]))
    pipe.save_pretrained(folder, safe_serialization=True)
    return folder


def sd3(folder, seed=0):
    import torch
    from diffusers import FlowMatchEulerDiscreteScheduler, SD3Transformer2DModel, StableDiffusion3Pipeline

    torch.manual_seed(seed)
    clip_tok, t5_tok = clip_tokenizer(), t5_tokenizer()
    pipe = StableDiffusion3Pipeline(
        scheduler=FlowMatchEulerDiscreteScheduler(), text_encoder=_clip(clip_tok, True), tokenizer=clip_tok,
        text_encoder_2=_clip(clip_tok, True), tokenizer_2=clip_tok, text_encoder_3=_t5(t5_tok),
        tokenizer_3=t5_tok, vae=_vae(4),
        transformer=SD3Transformer2DModel(sample_size=32, patch_size=1, in_channels=4, num_layers=1,
                                          attention_head_dim=8, num_attention_heads=4, caption_projection_dim=32,
                                          joint_attention_dim=32, pooled_projection_dim=64, out_channels=4))
    pipe.save_pretrained(folder, safe_serialization=True)
    return folder


def demo_variant_snapshot(hub, repo_id="atelier-tests/tiny-sd", variant="fp16"):
    """The demo model as a Hugging Face cache snapshot whose weights are only
    `*.<variant>.safetensors` (as many hub repos ship them)."""
    import torch
    from diffusers import StableDiffusionPipeline

    from app.engine.demo import ensure_demo_model

    pipe = StableDiffusionPipeline.from_pretrained(ensure_demo_model(), safety_checker=None,
                                                   requires_safety_checker=False, use_safetensors=True,
                                                   local_files_only=True)
    repo = hub / ("models--" + repo_id.replace("/", "--"))
    snap = repo / "snapshots" / ("0" * 40)
    pipe.to(torch.float16).save_pretrained(snap, safe_serialization=True, variant=variant)
    (repo / "refs").mkdir(parents=True, exist_ok=True)
    (repo / "refs" / "main").write_text("0" * 40)
    return snap
