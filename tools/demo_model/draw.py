"""Fashion-sketch croquis drawn by code, each with the caption written at the same time.

`sample(rng)` picks a `Look` (garment, background, hair, expression, gaze, light, framing,
accessories); `draw(look)` paints it at 64×64 (drawn at 4× and reduced, so edges are
smooth); `caption(look, rng)` writes it in the words the lexicon gives notes
(app/resources/lexicons/en.json: "smiling", "plain white background", "hair in a bun",
"side lighting", "three-quarter shot"...), so a note's edit reaches the model in words it
was trained on. An attribute the caption does not name is drawn at its default (neutral
face, soft light, plain light-grey studio, a white shirt, full body or three-quarter), so
what a prompt leaves out stays quiet.

Pure Python + Pillow + numpy; no torch. Used by train.py and by the tests.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

SIDE = 64
SS = 4  # supersampling factor

COLOURS: dict[str, tuple[int, int, int]] = {
    "red": (205, 35, 35), "blue": (35, 75, 205), "green": (35, 150, 60),
    "yellow": (240, 210, 35), "black": (22, 22, 26), "white": (246, 246, 246),
    "pink": (245, 140, 185), "orange": (245, 125, 25), "grey": (128, 128, 132),
    "beige": (215, 195, 160), "brown": (120, 72, 38), "purple": (125, 55, 165),
}
GARMENTS = ("coat", "dress", "jacket", "shirt", "trousers", "knitwear")
BACKGROUNDS = ("plain", "studio", "beach", "street", "garden")
HAIR_COLOURS: dict[str, tuple[int, int, int]] = {
    "blonde": (232, 200, 115), "brown": (105, 65, 35), "black": (28, 24, 24),
    "red": (175, 60, 28), "grey": (170, 170, 175),
}
HAIR_STYLES = ("down", "bun", "airy", "sleek")
EXPRESSIONS = ("neutral", "smiling", "serious")
GAZES = ("camera", "away", "down")
LIGHTS = ("soft", "warm", "cool", "left", "right", "rim")
FRAMINGS = ("full", "three-quarter", "close-up")
ACCESSORIES = ("earrings", "sunglasses", "scarf", "hat")
SKINS = ((240, 205, 180), (200, 150, 110), (130, 85, 55))
STUDIO_GREY = (200, 200, 203)
TROUSERS_DARK = (55, 55, 66)
SHIRT_WHITE = (238, 238, 236)


@dataclass(frozen=True)
class Look:
    garment: str = "shirt"
    garment_colour: str = "white"
    background: str = "studio"
    background_colour: str = "grey"
    hair_colour: str = "brown"
    hair_length: str = "long"
    hair_style: str = "down"
    expression: str = "neutral"
    gaze: str = "camera"
    light: str = "soft"
    framing: str = "full"
    accessories: tuple[str, ...] = ()
    skin: int = 0
    dx: float = 0.0  # figure offset, in figure units
    named: frozenset[str] = field(default_factory=frozenset)  # attributes the caption names


def sample(rng: random.Random) -> Look:
    """A random look; each attribute named by the caption with some probability, and
    drawn at its default when not named."""
    named = set()
    look = Look(skin=rng.randrange(len(SKINS)), dx=rng.uniform(-0.04, 0.04),
                framing=rng.choice(("full", "three-quarter")))

    def pick(name, p):
        if rng.random() < p:
            named.add(name)
            return True
        return False

    if pick("garment", 0.9):
        look = replace(look, garment=rng.choice(GARMENTS), garment_colour=rng.choice(list(COLOURS)))
    if pick("background", 0.8):
        kind = rng.choice(("plain",) * 5 + ("studio", "beach", "street", "garden"))
        look = replace(look, background=kind,
                       background_colour=rng.choice(list(COLOURS)) if kind == "plain" else "grey")
    if pick("hair", 0.6):
        look = replace(look, hair_colour=rng.choice(list(HAIR_COLOURS)),
                       hair_length=rng.choice(("long", "short")), hair_style=rng.choice(HAIR_STYLES))
    if pick("expression", 0.6):
        look = replace(look, expression=rng.choice(EXPRESSIONS))
    if pick("gaze", 0.4):
        look = replace(look, gaze=rng.choice(GAZES))
    if pick("light", 0.5):
        look = replace(look, light=rng.choice(LIGHTS))
    if pick("framing", 0.6):
        look = replace(look, framing=rng.choice(FRAMINGS + ("close-up",)))
    if pick("accessories", 0.35):
        k = 1 if rng.random() < 0.75 else 2
        look = replace(look, accessories=tuple(sorted(rng.sample(ACCESSORIES, k))))
    return replace(look, named=frozenset(named))


# --- captions ------------------------------------------------------------------------------

def _garment_phrase(look: Look, rng: random.Random) -> str:
    c, g = look.garment_colour, look.garment
    if g == "knitwear":
        return rng.choice((f"{c} knitwear", f"a {c} knit sweater", f"{c} knitwear"))
    if g == "trousers":
        return rng.choice((f"{c} trousers", f"{c} trousers", f"wide {c} trousers"))
    art = rng.choice(("a ", "a ", ""))
    if art and c == "orange":
        art = "an "
    return f"{art}{c} {g}"


def caption(look: Look, rng: random.Random) -> str:
    """The prompt for `look`, in brief order (subject, garment, expression, gaze, hair,
    accessories, lighting, background, framing), phrased as the lexicon phrases notes."""
    parts: list[str] = []
    subject = rng.choice(("a woman", "a model", "fashion sketch of a woman", "a woman"))
    if "garment" in look.named:
        g = _garment_phrase(look, rng)
        parts.append(f"{subject} in {g}" if rng.random() < 0.6 else f"{subject}, {g}")
    else:
        parts.append(subject)
    if "expression" in look.named:
        parts.append({"smiling": rng.choice(("smiling", "smiling", "smile")),
                      "neutral": rng.choice(("neutral expression", "neutral expression", "calm expression")),
                      "serious": rng.choice(("serious expression", "serious expression", "serious"))}
                     [look.expression])
    if "gaze" in look.named:
        parts.append({"camera": "looking at the camera",
                      "away": rng.choice(("looking away", "looking to the side")),
                      "down": "looking down"}[look.gaze])
    if "hair" in look.named:
        colour = "dark" if look.hair_colour == "black" and rng.random() < 0.5 else look.hair_colour
        style = {"down": "", "bun": "hair in a bun", "airy": rng.choice(("airy hair", "voluminous hair")),
                 "sleek": "sleek hair"}[look.hair_style]
        if look.hair_style == "bun":
            parts.append(f"{colour} hair, {style}")
        else:
            parts.append(f"{look.hair_length} {colour} hair" + (f", {style}" if style else ""))
    for acc in look.accessories:
        parts.append({"earrings": "earrings", "sunglasses": "sunglasses", "scarf": "scarf",
                      "hat": rng.choice(("hat", "a black hat"))}[acc])
    if "light" in look.named:
        parts.append({"soft": "soft light", "warm": rng.choice(("warm light", "warm light", "warm tones")),
                      "cool": rng.choice(("cool light", "cool light", "cool tones")),
                      "left": rng.choice(("side lighting from the left", "light from the left")),
                      "right": rng.choice(("side lighting from the right", "light from the right")),
                      "rim": "rim light"}[look.light])
    if "background" in look.named:
        if look.background == "plain":
            c = look.background_colour
            parts.append(rng.choice((f"plain {c} background", f"plain {c} background", f"{c} background")))
        else:
            parts.append({"studio": rng.choice(("photo studio", "plain grey background", "studio grey background")),
                          "beach": "beach", "street": "city street", "garden": "garden"}[look.background])
    if "framing" in look.named:
        parts.append({"full": "full body shot", "three-quarter": "three-quarter shot",
                      "close-up": "close-up"}[look.framing])
    return ", ".join(parts)


# --- drawing -------------------------------------------------------------------------------

def _scale(look: Look) -> tuple[float, float]:
    """(pixels per figure unit, y of the head's top) for the framing, at SIDE."""
    return {"full": (57.0, 3.5), "three-quarter": (86.0, 4.0), "close-up": (230.0, 8.0)}[look.framing]


def _shade(rgb, f):
    return tuple(max(0, min(255, int(round(v * f)))) for v in rgb)


def _background(look: Look, d: ImageDraw.ImageDraw, n: int) -> None:
    if look.background == "plain":
        d.rectangle((0, 0, n, n), fill=COLOURS[look.background_colour])
    elif look.background == "studio":
        for y in range(n):  # seamless paper: light above, a little darker toward the floor
            v = int(210 - 30 * (y / n) ** 2)
            d.line((0, y, n, y), fill=(v, v, v + 3))
    elif look.background == "beach":
        d.rectangle((0, 0, n, int(n * 0.55)), fill=(150, 200, 240))
        d.rectangle((0, int(n * 0.55), n, int(n * 0.68)), fill=(40, 110, 170))
        d.rectangle((0, int(n * 0.68), n, n), fill=(230, 210, 160))
    elif look.background == "street":
        d.rectangle((0, 0, n, n), fill=(175, 185, 195))
        k = n // 8
        for i, h in enumerate((0.2, 0.05, 0.3, 0.1, 0.25, 0.15, 0.05, 0.2)):
            x0 = i * k
            d.rectangle((x0, int(n * h), x0 + k - 1, int(n * 0.78)), fill=(95 + 12 * (i % 3), 90, 92))
            for wy in range(int(n * h) + k // 3, int(n * 0.74), k // 2):
                d.rectangle((x0 + k // 4, wy, x0 + k // 2, wy + k // 6), fill=(230, 215, 150))
        d.rectangle((0, int(n * 0.78), n, n), fill=(80, 80, 84))
    elif look.background == "garden":
        d.rectangle((0, 0, n, n), fill=(120, 180, 90))
        r = random.Random(7)
        for _ in range(40):
            x, y, s = r.uniform(0, n), r.uniform(0, n * 0.8), r.uniform(n * 0.05, n * 0.12)
            d.ellipse((x - s, y - s, x + s, y + s), fill=(50, 115, 45))
        d.rectangle((0, int(n * 0.82), n, n), fill=(70, 130, 55))


def _figure(look: Look, d: ImageDraw.ImageDraw, n: int) -> None:
    s, top = _scale(look)
    s, top = s * SS, top * SS
    cx = n / 2 + look.dx * s

    def P(x, y):
        return (cx + x * s, top + y * s)

    def poly(points, fill):
        d.polygon([P(x, y) for x, y in points], fill=fill)

    def ell(x, y, rx, ry, fill):
        d.ellipse((cx + (x - rx) * s, top + (y - ry) * s, cx + (x + rx) * s, top + (y + ry) * s), fill=fill)

    def line(points, fill, w):
        d.line([P(x, y) for x, y in points], fill=fill, width=max(1, int(w * s)), joint="curve")

    skin = SKINS[look.skin]
    g = COLOURS[look.garment_colour]
    hair = HAIR_COLOURS[look.hair_colour]
    dark_g = _shade(g, 0.7) if look.garment_colour != "black" else (70, 70, 78)
    lower = TROUSERS_DARK if look.garment_colour != "black" else (95, 95, 105)

    # hair behind the head (long, airy)
    if look.hair_style in ("down", "sleek", "airy") and look.hair_length == "long":
        w = {"down": 0.062, "sleek": 0.052, "airy": 0.095}[look.hair_style]
        poly([(-w, 0.06), (w, 0.06), (w * 1.05, 0.30), (-w * 1.05, 0.30)], hair)
    if look.hair_style == "airy":
        ell(0, 0.06, 0.095, 0.085, hair)

    # legs and feet
    for sx in (-1, 1):
        poly([(sx * 0.012, 0.47), (sx * 0.062, 0.47), (sx * 0.045, 0.95), (sx * 0.022, 0.95)], skin)
        ell(sx * 0.036, 0.965, 0.024, 0.014, (40, 32, 30))
    # neck
    poly([(-0.016, 0.11), (0.016, 0.11), (0.018, 0.165), (-0.018, 0.165)], skin)
    # arms (skin), covered below by sleeves
    for sx in (-1, 1):
        poly([(sx * 0.078, 0.16), (sx * 0.102, 0.165), (sx * 0.118, 0.50), (sx * 0.094, 0.50)], skin)
        ell(sx * 0.106, 0.515, 0.015, 0.02, skin)

    shoulders = [(-0.095, 0.155), (0.095, 0.155)]
    if look.garment == "coat":
        poly([shoulders[0], shoulders[1], (0.085, 0.38), (0.118, 0.73), (-0.118, 0.73), (-0.085, 0.38)], g)
        for sx in (-1, 1):
            poly([(sx * 0.078, 0.155), (sx * 0.104, 0.165), (sx * 0.12, 0.49), (sx * 0.092, 0.49)], g)
        line([(-0.03, 0.16), (0.0, 0.30), (0.03, 0.16)], dark_g, 0.008)
        line([(0.0, 0.30), (0.0, 0.72)], dark_g, 0.005)
        line([(-0.085, 0.38), (0.085, 0.38)], dark_g, 0.008)  # belt
    elif look.garment == "dress":
        poly([(-0.06, 0.155), (0.06, 0.155), (0.055, 0.36), (0.135, 0.66), (-0.135, 0.66), (-0.055, 0.36)], g)
        line([(-0.055, 0.36), (0.055, 0.36)], dark_g, 0.006)
    else:
        if look.garment == "trousers":
            top_c, leg_c = SHIRT_WHITE, g
        else:
            top_c, leg_c = g, lower
        for sx in (-1, 1):  # trousers over the legs
            poly([(sx * 0.004, 0.45), (sx * 0.075, 0.45), (sx * 0.058, 0.93), (sx * 0.018, 0.93)], leg_c)
        hem = {"jacket": 0.52, "shirt": 0.46, "knitwear": 0.48, "trousers": 0.45}[look.garment]
        wide = {"jacket": 0.092, "shirt": 0.078, "knitwear": 0.088, "trousers": 0.075}[look.garment]
        poly([shoulders[0], shoulders[1], (0.07, 0.34), (wide, hem), (-wide, hem), (-0.07, 0.34)], top_c)
        for sx in (-1, 1):
            poly([(sx * 0.078, 0.155), (sx * 0.104, 0.165), (sx * 0.119, 0.48), (sx * 0.093, 0.48)], top_c)
        if look.garment == "jacket":
            line([(-0.035, 0.16), (0.0, 0.33), (0.035, 0.16)], dark_g, 0.01)
            line([(0.0, 0.33), (0.0, 0.52)], dark_g, 0.005)
        elif look.garment == "shirt":
            line([(-0.02, 0.155), (0.0, 0.18), (0.02, 0.155)], dark_g, 0.008)
            for y in (0.22, 0.29, 0.36, 0.43):
                ell(0.0, y, 0.004, 0.004, dark_g)
        elif look.garment == "knitwear":
            for y in np.arange(0.19, hem, 0.03):
                line([(-0.085, y), (0.085, y)], dark_g, 0.006)
            line([(-0.09, hem - 0.01), (0.09, hem - 0.01)], dark_g, 0.012)
        elif look.garment == "trousers":
            line([(-0.075, 0.455), (0.075, 0.455)], _shade(g, 0.7), 0.01)

    # head
    ell(0, 0.065, 0.045, 0.058, skin)
    # hair on the head
    if look.hair_style == "bun":
        ell(0, 0.035, 0.047, 0.035, hair)
        ell(0, -0.008, 0.028, 0.024, hair)
    elif look.hair_style == "sleek":
        ell(0, 0.035, 0.046, 0.032, hair)
    elif look.hair_style == "airy":
        ell(0, 0.03, 0.06, 0.04, hair)
    else:
        ell(0, 0.035, 0.048, 0.036, hair)
        if look.hair_length == "short":
            for sx in (-1, 1):
                ell(sx * 0.042, 0.06, 0.012, 0.025, hair)
    # face
    eye_y, eye_x = 0.068, 0.018
    if "sunglasses" in look.accessories:
        for sx in (-1, 1):
            ell(sx * eye_x, eye_y, 0.015, 0.009, (15, 15, 18))
        line([(-0.006, eye_y - 0.002), (0.006, eye_y - 0.002)], (15, 15, 18), 0.003)
    else:
        px, py = {"camera": (0.0, 0.0), "away": (0.008, -0.001), "down": (0.0, 0.006)}[look.gaze]
        for sx in (-1, 1):
            ell(sx * eye_x, eye_y, 0.010, 0.0065, (250, 250, 250))
            ell(sx * eye_x + px, eye_y + py, 0.0055, 0.0055, (30, 25, 40))
            if look.gaze == "down":
                line([(sx * eye_x - 0.011, eye_y - 0.003), (sx * eye_x + 0.011, eye_y - 0.003)], _shade(skin, 0.6), 0.004)
    mouth = (150, 40, 55)
    my = 0.1
    if look.expression == "smiling":  # a wide open smile: a dark crescent, corners up
        d.chord((cx - 0.022 * s, top + (my - 0.016) * s, cx + 0.022 * s, top + (my + 0.012) * s),
                0, 180, fill=mouth)
        d.chord((cx - 0.017 * s, top + (my - 0.012) * s, cx + 0.017 * s, top + (my - 0.004) * s),
                0, 180, fill=(250, 245, 240))
    elif look.expression == "serious":  # corners down
        line([(-0.017, my + 0.006), (-0.01, my), (0.01, my), (0.017, my + 0.006)], mouth, 0.004)
    else:
        line([(-0.011, my), (0.011, my)], mouth, 0.004)

    # accessories
    if "earrings" in look.accessories:
        for sx in (-1, 1):
            ell(sx * 0.046, 0.085, 0.007, 0.007, (245, 200, 40))
    if "scarf" in look.accessories:
        poly([(-0.04, 0.125), (0.04, 0.125), (0.05, 0.175), (-0.05, 0.175)], (240, 232, 200))
        poly([(0.015, 0.17), (0.04, 0.17), (0.035, 0.29), (0.015, 0.29)], (240, 232, 200))
        line([(-0.045, 0.15), (0.045, 0.15)], (200, 60, 50), 0.006)
    if "hat" in look.accessories:
        ell(0, 0.022, 0.09, 0.017, (20, 20, 22))
        poly([(-0.045, 0.025), (-0.04, -0.03), (0.04, -0.03), (0.045, 0.025)], (20, 20, 22))


def _figure_mask(look: Look) -> Image.Image:
    img = Image.new("RGB", (SIDE * SS, SIDE * SS), (0, 0, 0))
    _figure(replace(look, background="plain", background_colour="black"), _MaskDraw(img), SIDE * SS)
    return img.convert("L").point(lambda v: 255 if v > 0 else 0)


class _MaskDraw(ImageDraw.ImageDraw):
    """Draws every shape white: the figure's silhouette."""

    def __init__(self, img):
        super().__init__(img)

    def polygon(self, xy, fill=None, outline=None, width=1):
        super().polygon(xy, fill=(255, 255, 255))

    def ellipse(self, xy, fill=None, outline=None, width=1):
        super().ellipse(xy, fill=(255, 255, 255))

    def line(self, xy, fill=None, width=0, joint=None):
        super().line(xy, fill=(255, 255, 255), width=width, joint=joint)

    def chord(self, xy, start, end, fill=None, outline=None, width=1):
        super().chord(xy, start, end, fill=(255, 255, 255))


def draw(look: Look) -> Image.Image:
    """The picture of `look`, SIDE×SIDE RGB."""
    n = SIDE * SS
    img = Image.new("RGB", (n, n))
    d = ImageDraw.Draw(img)
    _background(look, d, n)
    fig = Image.new("RGB", (n, n))
    _figure(look, ImageDraw.Draw(fig), n)
    mask = _figure_mask(look)
    arr = np.asarray(img, dtype=np.float32)
    f = np.asarray(fig, dtype=np.float32)
    m = np.asarray(mask, dtype=np.float32)[..., None] / 255.0
    if look.light in ("warm", "cool"):
        tint = np.array((1.12, 0.98, 0.78) if look.light == "warm" else (0.80, 0.96, 1.15), np.float32)
        f = f * tint + (np.array((30, 12, 0) if look.light == "warm" else (0, 8, 30), np.float32))
        arr = arr * (1 + (tint - 1) * 0.35)
    elif look.light in ("left", "right"):
        ramp = np.linspace(1.25, 0.55, n, dtype=np.float32)
        if look.light == "right":
            ramp = ramp[::-1]
        f = f * ramp[None, :, None]
    out = arr * (1 - m) + f * m
    if look.light == "rim":
        edge = np.asarray(mask.filter(ImageFilter.MaxFilter(2 * SS + 1)), np.float32)[..., None] / 255.0
        ring = np.clip(edge - m, 0, 1)
        out = out * (1 - ring) + np.array((255, 250, 225), np.float32) * ring
        out = out * (1 - m * 0.25)  # the figure itself darker, lit from behind
    out = np.clip(out, 0, 255).astype(np.uint8)
    return Image.fromarray(out).resize((SIDE, SIDE), Image.Resampling.BOX)


def example(seed: int) -> tuple[Image.Image, str, Look]:
    """One (picture, caption, look) for a seed."""
    rng = random.Random(seed)
    look = sample(rng)
    return draw(look), caption(look, rng), look


# --- regions (for tests and checks) --------------------------------------------------------

def border_mask(side: int = SIDE, width: int | None = None) -> np.ndarray:
    """The outer ring of the picture (1/8 of the side wide): background in every framing."""
    w = width or max(1, side // 8)
    m = np.zeros((side, side), bool)
    m[:w], m[-w:], m[:, :w], m[:, -w:] = True, True, True, True
    return m


def middle_mask(side: int = SIDE) -> np.ndarray:
    """The figure's middle (torso) in full-body and three-quarter framing."""
    m = np.zeros((side, side), bool)
    a, b = int(side * 0.40), int(side * 0.60)
    m[int(side * 0.34):int(side * 0.56), a:b] = True
    return m


def mouth_box(side: int = SIDE) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) around the mouth in a close-up."""
    s, top = _scale(Look(framing="close-up"))
    k = side / SIDE
    y = (top + 0.1 * s) * k
    return int(y - 5 * k), int(y + 5 * k), int(side / 2 - 8 * k), int(side / 2 + 8 * k)
