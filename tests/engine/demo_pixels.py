"""Pixel statistics of demo-model renders: regions, CIE Lab, nearest named colour."""

from __future__ import annotations

import numpy as np

from tools.demo_model import draw

EIGHT = ("red", "blue", "green", "yellow", "black", "white", "pink", "orange")


def lab(rgb) -> np.ndarray:
    """CIE L*a*b* (D65) of sRGB values 0..255, shape (..., 3)."""
    c = np.asarray(rgb, np.float64) / 255.0
    c = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    m = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = c @ m.T / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])], -1)


def nearest(rgb, names=EIGHT) -> str:
    """The named colour (draw.COLOURS) nearest to `rgb` in Lab."""
    ref = lab([draw.COLOURS[n] for n in names])
    return names[int(np.argmin(np.linalg.norm(ref - lab(rgb), axis=1)))]


def region_mean(img, mask) -> np.ndarray:
    arr = np.asarray(img.convert("RGB"), np.float32)
    side = arr.shape[0]
    return arr[mask(side) if callable(mask) else mask].mean(axis=0)


def border(img):
    return region_mean(img, draw.border_mask)


def middle(img):
    return region_mean(img, draw.middle_mask)


def mouth(img) -> np.ndarray:
    t, b, l, r = draw.mouth_box(img.size[0])
    return np.asarray(img.convert("RGB"), np.float32)[t:b, l:r]
