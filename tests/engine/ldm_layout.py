"""Diffusers weights -> the original (CompVis/LDM, Stability) single-file key layout, the
layout of checkpoints downloaded from model sites. It follows the key tables of diffusers'
scripts/convert_diffusers_to_original_{stable_diffusion,sdxl}.py (those scripts are not in
the diffusers wheel); tests prove it by loading the result back through diffusers' own
single-file converter and comparing every weight."""

from __future__ import annotations

import re

_RESNET = [("in_layers.0", "norm1"), ("in_layers.2", "conv1"), ("out_layers.0", "norm2"),
           ("out_layers.3", "conv2"), ("emb_layers.1", "time_emb_proj"), ("skip_connection", "conv_shortcut")]
_UNET_TOP = [("time_embed.0.", "time_embedding.linear_1."), ("time_embed.2.", "time_embedding.linear_2."),
             ("input_blocks.0.0.", "conv_in."), ("out.0.", "conv_norm_out."), ("out.2.", "conv_out."),
             ("label_emb.0.0.", "add_embedding.linear_1."), ("label_emb.0.2.", "add_embedding.linear_2.")]


def _unet_layer_map(xl: bool):
    levels, out = (3 if xl else 4), []
    for i in range(levels):
        for j in range(2):
            out.append((f"input_blocks.{3 * i + j + 1}.0.", f"down_blocks.{i}.resnets.{j}."))
            if (i > 0) if xl else (i < 3):
                out.append((f"input_blocks.{3 * i + j + 1}.1.", f"down_blocks.{i}.attentions.{j}."))
        for j in range(3):
            out.append((f"output_blocks.{3 * i + j}.0.", f"up_blocks.{i}.resnets.{j}."))
            if (i < 2) if xl else (i > 0):
                out.append((f"output_blocks.{3 * i + j}.1.", f"up_blocks.{i}.attentions.{j}."))
        if i < levels - 1 or (xl and i < 3 and i < levels - 1):
            out.append((f"input_blocks.{3 * (i + 1)}.0.op.", f"down_blocks.{i}.downsamplers.0.conv."))
            has_attn = (i < 2) if xl else (i > 0)
            out.append((f"output_blocks.{3 * i + 2}.{2 if has_attn else 1}.", f"up_blocks.{i}.upsamplers.0."))
    out.append(("middle_block.1.", "mid_block.attentions.0."))
    for j in range(2):
        out.append((f"middle_block.{2 * j}.", f"mid_block.resnets.{j}."))
    return out


def unet_to_original(sd: dict, xl: bool) -> dict:
    layers = _unet_layer_map(xl)
    out = {}
    for k, v in sd.items():
        name = k
        for orig, hf in _UNET_TOP:
            if name.startswith(hf):
                name = orig + name[len(hf):]
        if "resnets" in name:
            for orig, hf in _RESNET:
                name = name.replace(hf, orig)
        for orig, hf in layers:
            if name.startswith(hf):
                name = orig + name[len(hf):]
                break
        out["model.diffusion_model." + name] = v
    return out


def _vae_map():
    out = [("nin_shortcut", "conv_shortcut"), ("norm_out", "conv_norm_out"), ("mid.attn_1.", "mid_block.attentions.0.")]
    for i in range(4):
        for j in range(2):
            out.append((f"encoder.down.{i}.block.{j}.", f"encoder.down_blocks.{i}.resnets.{j}."))
        if i < 3:
            out.append((f"down.{i}.downsample.", f"down_blocks.{i}.downsamplers.0."))
            out.append((f"up.{3 - i}.upsample.", f"up_blocks.{i}.upsamplers.0."))
        for j in range(3):
            out.append((f"decoder.up.{3 - i}.block.{j}.", f"decoder.up_blocks.{i}.resnets.{j}."))
    for i in range(2):
        out.append((f"mid.block_{i + 1}.", f"mid_block.resnets.{i}."))
    return out


_VAE_ATTN = [("norm.", "group_norm."), ("q.", "to_q."), ("k.", "to_k."), ("v.", "to_v."), ("proj_out.", "to_out.0.")]


def vae_to_original(sd: dict) -> dict:
    table, out = _vae_map(), {}
    for k, v in sd.items():
        name = k
        for orig, hf in table:
            name = name.replace(hf, orig)
        if "attentions" in k:
            for orig, hf in _VAE_ATTN:
                name = name.replace(hf, orig)
        if re.search(r"mid\.attn_1\.(q|k|v|proj_out)\.weight$", name) and v.ndim == 2:
            v = v.reshape(*v.shape, 1, 1)
        out["first_stage_model." + name] = v
    return out


_OPENCLIP = [("transformer.resblocks.", "text_model.encoder.layers."), ("ln_1", "layer_norm1"),
             ("ln_2", "layer_norm2"), (".c_fc.", ".fc1."), (".c_proj.", ".fc2."), (".attn", ".self_attn"),
             ("ln_final.", "text_model.final_layer_norm."),
             ("token_embedding.weight", "text_model.embeddings.token_embedding.weight"),
             ("positional_embedding", "text_model.embeddings.position_embedding.weight")]


def openclip_to_original(sd: dict, prefix: str) -> dict:
    import torch

    protected = {re.escape(hf): orig for orig, hf in _OPENCLIP}
    pattern = re.compile("|".join(protected))
    out, qkv = {}, {}
    for k, v in sd.items():
        m = re.match(r"(.*)\.self_attn\.(q|k|v)_proj\.(weight|bias)$", k)
        if m:
            qkv.setdefault((m.group(1) + ".self_attn", m.group(3)), {})[m.group(2)] = v
            continue
        if k.endswith("position_ids"):
            continue
        out[prefix + pattern.sub(lambda mm: protected[re.escape(mm.group(0))], k)] = v
    for (pre, kind), parts in qkv.items():
        name = pattern.sub(lambda mm: protected[re.escape(mm.group(0))], pre)
        out[f"{prefix}{name}.in_proj_{kind}"] = torch.cat([parts["q"], parts["k"], parts["v"]])
    if prefix + "text_projection.weight" in out:
        out[prefix + "text_projection"] = out.pop(prefix + "text_projection.weight").T.contiguous()
    return out


def _wrapped(sd: dict) -> dict:
    """Text-encoder keys as original checkpoints hold them, under `text_model.` (transformers
    5.6+ flattened CLIPTextModel's own keys)."""
    return {k if k.startswith(("text_model.", "text_projection")) else "text_model." + k: v for k, v in sd.items()}


def pipeline_to_original(pipe) -> dict:
    """The whole pipeline as one original-layout state dict (SD 1.x, SD 2.x or SDXL)."""
    xl = getattr(pipe, "text_encoder_2", None) is not None
    sd = {**unet_to_original(pipe.unet.state_dict(), xl), **vae_to_original(pipe.vae.state_dict())}
    te = _wrapped(pipe.text_encoder.state_dict())
    if xl:
        sd.update({"conditioner.embedders.0.transformer." + k: v for k, v in te.items()})
        sd.update(openclip_to_original(_wrapped(pipe.text_encoder_2.state_dict()), "conditioner.embedders.1.model."))
    elif pipe.text_encoder.config.hidden_act == "gelu":  # OpenCLIP (SD 2.x)
        sd.update(openclip_to_original(te, "cond_stage_model.model."))
    else:
        sd.update({"cond_stage_model.transformer." + k: v for k, v in te.items()})
    return {k: v.contiguous() for k, v in sd.items()}
