"""Channel presets: the sizes a shot is delivered in, and the channel each one serves."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Preset:
    name: str
    width: int | None  # None: the shot as rendered
    height: int | None
    channel: str | None  # the use it delivers to (DESIGN.md channels); None: the board's
    # Areas platforms cover with their own interface, as fractions of the height (top, bottom).
    safe_top: float = 0.0
    safe_bottom: float = 0.0
    label: str = ""


PRESETS = {p.name: p for p in (
    Preset("pdp-4x5", 2000, 2500, "ecommerce", label="Product page 4:5"),
    Preset("pdp-3x4", 1800, 2400, "ecommerce", label="Product page 3:4"),
    Preset("square", 2048, 2048, "ecommerce", label="Square"),
    Preset("instagram-feed", 1080, 1350, "social", label="Instagram feed 4:5"),
    # Instagram keeps the top ~14 % (profile, close) and bottom ~20 % (reply bar) of a story.
    Preset("story", 1080, 1920, "social", safe_top=250 / 1920, safe_bottom=340 / 1920,
           label="Story 9:16"),
    Preset("original", None, None, None, label="Original (as rendered)"),
)}

FORMATS = {"jpeg": ("JPEG", "jpg", "image/jpeg"), "png": ("PNG", "png", "image/png"),
           "webp": ("WEBP", "webp", "image/webp")}


class PresetError(ValueError):
    pass


def parse_presets(text: str) -> list[Preset]:
    """`pdp-4x5,story` -> presets, in order, without repeats; unknown names refused."""
    names = [n.strip().lower() for n in (text or "").split(",") if n.strip()]
    if not names:
        raise PresetError("name at least one preset: " + ", ".join(PRESETS))
    out = []
    for n in names:
        if n not in PRESETS:
            raise PresetError(f"unknown preset {n!r}; presets: " + ", ".join(PRESETS))
        if PRESETS[n] not in out:
            out.append(PRESETS[n])
    return out
