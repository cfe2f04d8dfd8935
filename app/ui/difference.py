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


def _rgb_array(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format_RGB888)
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    data = np.frombuffer(image.constBits(), dtype=np.uint8, count=stride * height)
    # copy: the array must not outlive the converted image that owns the bytes
    return data.reshape(height, stride)[:, : width * 3].reshape(height, width, 3).copy()


def difference(a: QImage, b: QImage, gain: float | None = None) -> Difference:
    """|A − B| per channel × gain, clipped; black where the images agree. Without a gain,
    one is chosen so that the strongest differences show brightly (between ×4 and ×64):
    two renders of one seed differ by a few levels only, which ×4 would leave near black."""
    if a.isNull() or b.isNull():
        return Difference(QImage(), 0.0, 0.0, 1.0)
    if b.size() != a.size():
        b = b.scaled(a.size(), Qt.IgnoreAspectRatio, Qt.SmoothTransformation)
    pa = _rgb_array(a).astype(np.int16)
    pb = _rgb_array(b).astype(np.int16)
    diff = np.abs(pa - pb)
    mean = float(diff.mean())
    strongest = diff.max(axis=2)
    changed = float((strongest > CHANGED_THRESHOLD).mean())
    if gain is None:
        p99 = float(np.percentile(strongest, 99))
        gain = min(MAX_GAIN, max(MIN_GAIN, TARGET / p99)) if p99 > 0 else MIN_GAIN
    out = np.clip(diff.astype(np.float32) * gain, 0, 255).astype(np.uint8)
    out = np.ascontiguousarray(out)
    height, width = out.shape[:2]
    result = QImage(out.data, width, height, width * 3, QImage.Format_RGB888).copy()
    return Difference(result, mean, changed, gain)
