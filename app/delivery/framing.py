"""Fitting a render to a preset: where the subject is, and crop or pad around it.

The subject: the largest face where dlib's detector finds one (`app.talent.likeness`;
`set_face_finder` replaces it, e.g. in tests), else the figure: the pixels that differ most from the picture's border
colour (the backdrop), weighted towards the top of the figure, where the head is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

def _dlib_face(image):
    from app.talent.likeness import LikenessUnavailable, face_centre

    try:
        return face_centre(image)
    except LikenessUnavailable:  # dlib not installed: the figure is the subject
        return None


_face_finder = _dlib_face  # callable(PIL image) -> (cx, cy) in pixels, or None


def set_face_finder(fn) -> None:
    """Install a face finder: fn(image) -> (x, y) of the main face's centre, or None
    (None as fn: no face finding, the figure is the subject)."""
    global _face_finder
    _face_finder = fn


@dataclass(frozen=True)
class Fit:
    mode: str  # "crop", "pad" or "none"
    box: tuple[int, int, int, int]  # the part of the render used (crop) or all of it (pad)
    scale: float  # output pixels per render pixel
    subject: tuple[float, float]  # where the subject was found, render pixels
    subject_kind: str  # "face", "figure" or "centre"
    notes: tuple[str, ...]  # what a person should know (aspect differs, upscaled ...)


def find_subject(image) -> tuple[tuple[float, float], str]:
    if _face_finder is not None:
        try:
            found = _face_finder(image)
        except Exception:  # noqa: BLE001 - a failing detector falls back to the figure
            found = None
        if found is not None:
            return (float(found[0]), float(found[1])), "face"
    small = image.convert("RGB")
    small.thumbnail((128, 128))
    a = np.asarray(small, dtype=np.float64)
    h, w = a.shape[:2]
    border = np.concatenate([a[0], a[-1], a[:, 0], a[:, -1]])
    backdrop = np.median(border, axis=0)
    diff = np.sqrt(((a - backdrop) ** 2).sum(axis=2))
    mask = diff > max(24.0, np.percentile(diff, 60))
    sx, sy = image.width / w, image.height / h
    if mask.sum() < 0.01 * w * h:
        return (image.width / 2, image.height / 2), "centre"
    ys, xs = np.nonzero(mask)
    cx = float(np.median(xs))
    top, bottom = float(np.percentile(ys, 5)), float(np.percentile(ys, 95))
    cy = top + 0.3 * (bottom - top)  # the upper part of the figure, where the face is
    return ((cx + 0.5) * sx, (cy + 0.5) * sy), "figure"


def plan(image, width: int, height: int, mode: str = "crop") -> Fit:
    """How to bring `image` to width×height: crop around the subject or pad."""
    rw, rh = image.size
    subject, kind = find_subject(image)
    notes = []
    target_ratio, ratio = width / height, rw / rh
    if abs(target_ratio - ratio) < 1e-3:
        mode_used = "none"
        box = (0, 0, rw, rh)
        scale = width / rw
    elif mode == "pad":
        mode_used = "pad"
        box = (0, 0, rw, rh)
        scale = min(width / rw, height / rh)
        notes.append(f"{'wider' if target_ratio > ratio else 'taller'} than the render "
                     f"({width}×{height} vs {rw}×{rh}): padded")
    else:
        mode_used = "crop"
        if target_ratio > ratio:  # wider target: keep the full width, crop height
            cw, ch = rw, rw / target_ratio
        else:
            cw, ch = rh * target_ratio, rh
        x0 = min(max(subject[0] - cw / 2, 0), rw - cw)
        y0 = min(max(subject[1] - ch / 2, 0), rh - ch)
        box = (int(round(x0)), int(round(y0)), int(round(x0 + cw)), int(round(y0 + ch)))
        scale = width / (box[2] - box[0])
        lost = 1 - (cw * ch) / (rw * rh)
        notes.append(f"{'wider' if target_ratio > ratio else 'taller'} than the render "
                     f"({width}×{height} vs {rw}×{rh}): cropped {lost:.0%} around the {kind} "
                     "(--fit pad keeps the whole picture)")
    if scale > 1.01:
        notes.append(f"upscaled {scale:.1f}×")
    return Fit(mode_used, box, scale, subject, kind, tuple(notes))


def apply(image, fit: Fit, width: int, height: int):
    from PIL import Image

    rgb = image.convert("RGB")
    if fit.mode == "pad":
        w, h = max(1, round(rgb.width * fit.scale)), max(1, round(rgb.height * fit.scale))
        inner = rgb.resize((w, h), Image.LANCZOS)
        a = np.asarray(rgb, dtype=np.float64)
        border = np.concatenate([a[0], a[-1], a[:, 0], a[:, -1]])
        fill = tuple(int(v) for v in np.median(border, axis=0))
        canvas = Image.new("RGB", (width, height), fill)
        canvas.paste(inner, ((width - w) // 2, (height - h) // 2))
        return canvas
    return rgb.crop(fit.box).resize((width, height), Image.LANCZOS)
