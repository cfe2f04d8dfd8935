"""Per-pixel difference of two images, amplified so small changes are visible.

The amplification adapts to the pair (see `difference`). Done with numpy on the QImage's bytes: a 1024×1024 pair takes a few milliseconds, so it
runs on the GUI thread when both images are at hand. B is scaled to A's size when the two
differ (a thumbnail against a full image, or shots of different sizes).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

MIN_GAIN, MAX_GAIN = 4.0, 64.0
TARGET = 200.0  # the strongest differences (99th percentile) are shown this bright
CHANGED_THRESHOLD = 8  # a pixel "changed" when a channel moved by more than this (of 255)


@dataclass(frozen=True)
class Difference:
    image: QImage
    mean: float  # mean absolute difference, 0..255, before amplification
    changed: float  # share of pixels that changed visibly, 0..1
    gain: float  # how much the difference was amplified


def _pixels(image: QImage) -> np.ndarray:
    """(height, width, 4) uint8 view as B, G, R, X (Format_RGB32, Qt's native format, so
    decoded PNGs usually need no conversion)."""
    image = image.convertToFormat(QImage.Format_RGB32)
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    data = np.frombuffer(image.constBits(), dtype=np.uint8, count=stride * height)
    # copy: the array must not outlive the converted image that owns the bytes
    return data.reshape(height, stride)[:, : width * 4].reshape(height, width, 4).copy()


def difference(a: QImage, b: QImage, gain: float | None = None) -> Difference:
    """|A − B| per channel × gain, clipped; black where the images agree. Without a gain,
    one is chosen so that the strongest differences show brightly (between ×4 and ×64):
    two renders of one seed differ by a few levels only, which ×4 would leave near black."""
    if a.isNull() or b.isNull():
        return Difference(QImage(), 0.0, 0.0, 1.0)
    if b.size() != a.size():
        b = b.scaled(a.size(), Qt.IgnoreAspectRatio, Qt.SmoothTransformation)
    pa, pb = _pixels(a), _pixels(b)
    diff = np.maximum(pa, pb) - np.minimum(pa, pb)  # |A − B| without widening to int16
    diff[..., 3] = 0
    # elementwise maxima: much faster than diff.max(axis=2) over a length-3 axis
    strongest = np.maximum(np.maximum(diff[..., 0], diff[..., 1]), diff[..., 2])
    mean = float(diff.sum(dtype=np.uint64)) / (strongest.size * 3)  # the X channel is 0
    changed = float(np.count_nonzero(strongest > CHANGED_THRESHOLD) / strongest.size)
    if gain is None:
        sample = strongest[::2, ::2]  # a quarter of the pixels tell the percentile well enough
        counts = np.cumsum(np.bincount(sample.ravel(), minlength=256))
        p99 = int(np.searchsorted(counts, 0.99 * sample.size))
        gain = min(MAX_GAIN, max(MIN_GAIN, TARGET / p99)) if p99 > 0 else MIN_GAIN
    lut = np.clip(np.arange(256) * gain, 0, 255).astype(np.uint8)
    out = lut[diff]
    out[..., 3] = 255
    height, width = out.shape[:2]
    result = QImage(out.data, width, height, width * 4, QImage.Format_RGB32).copy()
    return Difference(result, mean, changed, gain)
