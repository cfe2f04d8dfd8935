"""Live previews from the latents with a linear latent -> RGB map: a few hundred
multiply-adds per pixel of a ≤128 px image, never a VAE decode per step."""

from __future__ import annotations

# The widely used 4x3 factors for Stable Diffusion 1.x/2.x latents (one row per latent
# channel, columns R, G, B), and those fitted for the SDXL VAE. A model folder may carry its
# own fitted map in vae/latent_rgb.json ({"factors": 4×3, "bias": 3}); the demo model does.
SD_FACTORS = ((0.3512, 0.2297, 0.3227), (0.3250, 0.4974, 0.2350),
              (-0.2829, 0.1762, 0.2721), (-0.2120, -0.2616, -0.7177))
SD_BIAS = (0.0, 0.0, 0.0)
SDXL_FACTORS = ((0.3651, 0.4232, 0.4341), (-0.2533, -0.0042, 0.1068),
                (0.1076, 0.1111, -0.0362), (-0.3165, -0.2492, -0.2188))
SDXL_BIAS = (0.1084, -0.0175, -0.0011)
MAX_SIDE = 128


class Previewer:
    def __init__(self, xl: bool = False, max_side: int = MAX_SIDE, factors=None, bias=None):
        import torch

        self.factors = torch.tensor(factors or (SDXL_FACTORS if xl else SD_FACTORS), dtype=torch.float32)
        self.bias = torch.tensor(bias or (SDXL_BIAS if xl else SD_BIAS), dtype=torch.float32)
        self.max_side = max_side

    def __call__(self, latents):
        """A PIL image of the first latent in the batch, or None for latents this map does
        not fit (packed FLUX latents, other channel counts)."""
        import torch
        from PIL import Image

        if latents.ndim != 4 or latents.shape[1] != 4:
            return None
        with torch.no_grad():
            lat = latents[0:1].detach().float()
            side = max(lat.shape[-2:])
            if side > self.max_side:  # shrink before the colour map: fewer pixels to touch
                k = -(-side // self.max_side)
                lat = torch.nn.functional.avg_pool2d(lat, k, ceil_mode=True)
            rgb = torch.einsum("chw,cr->hwr", lat[0].cpu(), self.factors) + self.bias
            rgb = ((rgb + 1.0) * 127.5).clamp(0, 255).to(torch.uint8).numpy()
        return Image.fromarray(rgb, "RGB")


def fitted_map(pipe) -> tuple[list, list] | tuple[None, None]:
    """(factors, bias) from the model folder's vae/latent_rgb.json, or (None, None)."""
    import json
    from pathlib import Path

    root = getattr(getattr(pipe, "config", None), "_name_or_path", None)
    if not root:
        return None, None
    try:
        data = json.loads((Path(root) / "vae" / "latent_rgb.json").read_text(encoding="utf-8"))
        factors, bias = data["factors"], data["bias"]
    except (OSError, ValueError, KeyError, TypeError):
        return None, None
    if len(factors) != 4 or any(len(row) != 3 for row in factors) or len(bias) != 3:
        return None, None
    return factors, bias
