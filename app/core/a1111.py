"""AUTOMATIC1111's `parameters` text, the recipe line other SD tools read (sd-parsers,
civitai, A1111's own PNG Info):

    <prompt in A1111 syntax>
    Negative prompt: <negative>
    Steps: 20, Sampler: Euler a, CFG scale: 7.5, Seed: 42, Size: 512x512, Model hash: 0123456789, Model: name

Prompts are stored in compel syntax and written here in A1111's, `(smiling:1.2)`; adapters
become `<lora:NAME:WEIGHT>` tags and a `Lora hashes` field, as A1111 writes them.
Pure Python (delivery and the image store both use it).
"""

from __future__ import annotations

from app.core.prompt_syntax import parse_compel, write_a1111

# diffusers scheduler class -> A1111's sampler name
SAMPLERS = {
    "EulerAncestralDiscreteScheduler": "Euler a",
    "EulerDiscreteScheduler": "Euler",
    "DPMSolverMultistepScheduler": "DPM++ 2M",
    "DPMSolverSinglestepScheduler": "DPM++ SDE",
    "KDPM2DiscreteScheduler": "DPM2",
    "KDPM2AncestralDiscreteScheduler": "DPM2 a",
    "HeunDiscreteScheduler": "Heun",
    "LMSDiscreteScheduler": "LMS",
    "DDIMScheduler": "DDIM",
    "PNDMScheduler": "PLMS",
    "UniPCMultistepScheduler": "UniPC",
    "LCMScheduler": "LCM",
}


def _field(value) -> str:
    """A field value; quoted when it holds the separators A1111 parses by."""
    text = str(value).replace("\n", " ")
    if any(c in text for c in ',:"'):
        return '"' + text.replace('"', "'") + '"'
    return text


def _num(value) -> str:
    f = float(value)
    return str(int(f)) if f.is_integer() else f"{f:g}"


def parameters_text(recipe: dict) -> str:
    prompt = write_a1111(parse_compel(recipe.get("prompt") or ""))
    negative = write_a1111(parse_compel(recipe.get("negative") or ""))
    adapters = [a for a in (recipe.get("adapters") or []) if isinstance(a, dict) and a.get("name")]
    if adapters:
        tags = " ".join(f"<lora:{a['name']}:{_num(a.get('weight', 0.8))}>" for a in adapters)
        prompt = f"{prompt} {tags}".strip()
    fields = [("Steps", recipe.get("steps")),
              ("Sampler", SAMPLERS.get(recipe.get("scheduler") or "", recipe.get("scheduler") or "Euler")),
              ("CFG scale", _num(recipe["guidance"]) if recipe.get("guidance") is not None else None),
              ("Seed", recipe.get("seed")),
              ("Size", f"{recipe['width']}x{recipe['height']}" if recipe.get("width") else None),
              ("Model hash", (recipe.get("model_hash") or "")[:10] or None),
              ("Model", recipe.get("model")),
              ("Denoising strength", _num(recipe["strength"]) if recipe.get("strength") is not None else None)]
    if adapters:
        fields.append(("Lora hashes", ", ".join(f"{a['name']}: {(a.get('hash') or '')[:12]}"
                                                for a in adapters)))
    fields.append(("Version", "Atelier"))
    line = ", ".join(f"{k}: {_field(v)}" for k, v in fields if v not in (None, ""))
    out = prompt
    if negative:
        out += f"\nNegative prompt: {negative}"
    return f"{out}\n{line}"
