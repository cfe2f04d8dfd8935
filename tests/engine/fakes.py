"""Hand-made model files for listing tests: safetensors headers with the right key names
and shapes (tensor data zeros), diffusers folders with every component, LoRA files."""

import json
import struct


def safetensors(path, tensors: dict, metadata=None):
    """A valid safetensors file: {name: (dtype, shape)}; data all zeros."""
    sizes = {"F32": 4, "F16": 2, "BF16": 2}
    header, offset = {}, 0
    for name, (dtype, shape) in tensors.items():
        n = sizes[dtype]
        for d in shape:
            n *= d
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [offset, offset + n]}
        offset += n
    if metadata:
        header["__metadata__"] = metadata
    raw = json.dumps(header).encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + b"\0" * offset)
    return path


SD_COMPONENTS = {"unet": "UNet2DConditionModel", "vae": "AutoencoderKL", "text_encoder": "CLIPTextModel",
                 "tokenizer": "CLIPTokenizer", "scheduler": "PNDMScheduler"}


def diffusers_folder(path, cls="StableDiffusionPipeline", cross=768, comps=None, variant=None,
                     weights=True, license=None, pickle_weights=False):
    """A diffusers folder whose every component has its files (weights zeros)."""
    comps = dict(SD_COMPONENTS if comps is None else comps)
    index = {"_class_name": cls, "_diffusers_version": "0.30.0"}
    for name, c in comps.items():
        lib = "transformers" if c.startswith("CLIP") else "diffusers"
        index[name] = [lib, c]
        sub = path / name
        sub.mkdir(parents=True, exist_ok=True)
        if "Scheduler" in c:
            (sub / "scheduler_config.json").write_text("{}")
        elif "Tokenizer" in c:
            (sub / "vocab.json").write_text("{}")
            (sub / "merges.txt").write_text("#version: 0.2\n")
        else:
            cfg = {"cross_attention_dim": cross} if name == "unet" else {}
            (sub / "config.json").write_text(json.dumps(cfg))
            if pickle_weights:
                (sub / "diffusion_pytorch_model.bin").write_bytes(b"\x80\x04junk")
            elif weights:
                stem = "model" if lib == "transformers" else "diffusion_pytorch_model"
                infix = f".{variant}" if variant else ""
                safetensors(sub / f"{stem}{infix}.safetensors", {"w": ("F16", (2, 2))})
    (path / "model_index.json").write_text(json.dumps(index))
    if license:
        (path / "README.md").write_text(f"---\nlicense: {license}\ntags: [x]\n---\n# card\n")
    return path


def sd15_checkpoint(path, inpainting=False, metadata=None, vae=True):
    """An SD 1.x single file in the original layout (a few keys, real names and shapes)."""
    t = {"model.diffusion_model.input_blocks.0.0.weight": ("F16", (320, 9 if inpainting else 4, 3, 3)),
         "model.diffusion_model.input_blocks.1.1.transformer_blocks.0.attn2.to_k.weight": ("F16", (320, 768)),
         "cond_stage_model.transformer.text_model.embeddings.token_embedding.weight": ("F16", (4, 768))}
    if vae:
        t["first_stage_model.decoder.conv_in.weight"] = ("F16", (512, 4, 3, 3))
    return safetensors(path, t, metadata)


def sdxl_checkpoint(path, metadata=None):
    t = {"model.diffusion_model.input_blocks.0.0.weight": ("F16", (320, 4, 3, 3)),
         "conditioner.embedders.0.transformer.text_model.embeddings.token_embedding.weight": ("F16", (4, 768)),
         "conditioner.embedders.1.model.ln_final.weight": ("F16", (1280,)),
         "first_stage_model.decoder.conv_in.weight": ("F16", (512, 4, 3, 3))}
    return safetensors(path, t, metadata)


def kohya_lora(path, cross=768, metadata=None):
    t = {"lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn2_to_k.lora_down.weight": ("F16", (4, cross)),
         "lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn2_to_k.lora_up.weight": ("F16", (320, 4)),
         "lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn2_to_k.alpha": ("F16", ())}
    return safetensors(path, t, metadata)
