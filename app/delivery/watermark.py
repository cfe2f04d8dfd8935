"""An invisible watermark that names a shot in a studio, and survives what platforms do.

Design (spread spectrum over a repeated tile, numpy + Pillow only):

- The payload is 64 bits: a 16-bit studio tag, a 32-bit shot id and a 16-bit CRC of both.
- A canonical tile of 64×64 cells is split into 2×2-cell chips (1024 chips). A fixed
  pseudo-random permutation gives 256 chips to a sync pattern and 12 chips to each payload
  bit; every chip carries ±1 (the bit's sign times a fixed pseudo-random sign).
- The tile is stretched to a period of (short side ÷ 4) pixels and repeated over the whole
  picture, added to the luminance with an amplitude that grows with local texture (2 grey
  levels on flat areas, up to 5 in busy ones). Because the period is relative to the
  picture, a resize keeps it in proportion; a crop only shifts the tiles and changes the
  proportion a little, which the reader searches for.
- The reader high-passes the luminance, tries periods from (short side ÷ 4) to
  (short side ÷ 4 ÷ 0.8) (crops of up to 20 % of the short side), folds the picture into one
  tile per period, finds the shift by circular cross-correlation (FFT) with every chip
  group at once, and reads the bits at the best shift. A result counts only when the CRC
  matches and the sync correlation stands well above chance.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

TILE = 64  # canonical tile, in cells
CHIP = 2  # cells per chip side
CHIPS = (TILE // CHIP) ** 2  # 1024
BITS = 64
SYNC_CHIPS = 256
PER_BIT = (CHIPS - SYNC_CHIPS) // BITS  # 12
TILES_ON_SHORT_SIDE = 4
MAX_CROP = 0.2  # the reader looks for crops of up to this share of the short side
_SEED = 0xA7E11E2
FLAT_AMPLITUDE, BUSY_AMPLITUDE = 2.0, 5.0
SYNC_Z_MIN = 5.0  # the sync correlation, in standard deviations of chance, to accept


@dataclass(frozen=True)
class Mark:
    studio_tag: int
    shot: int
    confidence: float  # the sync correlation in standard deviations of chance


def studio_tag(studio_id: str) -> int:
    """The 16-bit tag a studio's marks carry (from its id)."""
    return zlib.crc32(studio_id.encode("utf-8")) & 0xFFFF


def _crc16(data: bytes) -> int:
    return zlib.crc32(b"atelier-wm" + data) & 0xFFFF


def payload_bits(tag: int, shot: int) -> np.ndarray:
    if not 0 <= shot < 2**32 or not 0 <= tag < 2**16:
        raise ValueError("shot id or studio tag out of range")
    head = tag.to_bytes(2, "big") + shot.to_bytes(4, "big")
    word = int.from_bytes(head + _crc16(head).to_bytes(2, "big"), "big")
    return np.array([(word >> (BITS - 1 - i)) & 1 for i in range(BITS)], dtype=np.int8)


def _decode_word(bits) -> tuple[int, int] | None:
    word = 0
    for b in bits:
        word = (word << 1) | int(b)
    raw = word.to_bytes(8, "big")
    if _crc16(raw[:6]) != int.from_bytes(raw[6:], "big"):
        return None
    return int.from_bytes(raw[:2], "big"), int.from_bytes(raw[2:6], "big")


def _layout():
    rng = np.random.default_rng(_SEED)
    order = rng.permutation(CHIPS)
    signs = rng.choice(np.array([-1.0, 1.0]), size=CHIPS)
    group = np.empty(CHIPS, dtype=np.int64)  # -1 sync, else the bit index
    group[order[:SYNC_CHIPS]] = -1
    for i in range(BITS):
        group[order[SYNC_CHIPS + i * PER_BIT: SYNC_CHIPS + (i + 1) * PER_BIT]] = i
    group[order[SYNC_CHIPS + BITS * PER_BIT:]] = -2  # the few chips left over stay empty
    return group, signs


_GROUP, _SIGNS = _layout()
_SIDE = TILE // CHIP


def _chips_to_cells(values: np.ndarray) -> np.ndarray:
    return np.kron(values.reshape(_SIDE, _SIDE), np.ones((CHIP, CHIP)))


def _tile(bits: np.ndarray) -> np.ndarray:
    chip = np.zeros(CHIPS)
    sync = _GROUP == -1
    chip[sync] = _SIGNS[sync]
    for i in range(BITS):
        sel = _GROUP == i
        chip[sel] = _SIGNS[sel] * (1.0 if bits[i] else -1.0)
    return _chips_to_cells(chip)


def _templates() -> np.ndarray:
    """One cell-level template per group (sync first, then each bit), for correlation."""
    out = np.zeros((BITS + 1, TILE, TILE))
    for g in range(-1, BITS):
        chip = np.where(_GROUP == g, _SIGNS, 0.0)
        out[g + 1] = _chips_to_cells(chip)
    return out


_TEMPLATE_FFT = None


def _template_fft():
    global _TEMPLATE_FFT
    if _TEMPLATE_FFT is None:
        _TEMPLATE_FFT = np.conj(np.fft.fft2(_templates()))
    return _TEMPLATE_FFT


def _period(width: int, height: int) -> float:
    return min(width, height) / TILES_ON_SHORT_SIDE


def _luma(rgb: np.ndarray) -> np.ndarray:
    return rgb[..., 0] * 0.299 + rgb[..., 1] * 0.587 + rgb[..., 2] * 0.114


def _box(a: np.ndarray, r: int, axis: int) -> np.ndarray:
    """Mean over a window of 2r+1 along `axis`, edges repeated (cumulative sums: fast)."""
    pad = [(0, 0)] * a.ndim
    pad[axis] = (r + 1, r)
    c = np.cumsum(np.pad(a, pad, mode="edge"), axis=axis)
    n = a.shape[axis]
    hi = np.take(c, np.arange(2 * r + 1, 2 * r + 1 + n), axis=axis)
    lo = np.take(c, np.arange(0, n), axis=axis)
    return (hi - lo) / (2 * r + 1)


def _blur(a: np.ndarray, radius: float) -> np.ndarray:
    """About a Gaussian of standard deviation `radius`: three box passes per axis."""
    r = max(1, int(round(radius * 0.8)))
    out = np.asarray(a, dtype=np.float64)
    for axis in (0, 1):
        for _ in range(3):
            out = _box(out, r, axis)
    return out


def embed(image, tag: int, shot: int):
    """The picture (PIL, RGB) with the mark added; same size."""
    from PIL import Image

    rgb = np.asarray(image.convert("RGB"), dtype=np.float64)
    h, w = rgb.shape[:2]
    period = _period(w, h)
    tile = _tile(payload_bits(tag, shot))
    # Sample the tile at every pixel: cell = floor(pixel * TILE / period) mod TILE.
    ys = (np.floor((np.arange(h) + 0.5) * TILE / period).astype(np.int64)) % TILE
    xs = (np.floor((np.arange(w) + 0.5) * TILE / period).astype(np.int64)) % TILE
    pattern = tile[np.ix_(ys, xs)]
    cell_px = period / TILE
    pattern = _blur(pattern, max(0.5, cell_px * 0.35))  # soften chip edges
    pattern /= max(1e-6, np.abs(pattern).max())
    y = _luma(rgb)
    activity = np.sqrt(np.maximum(_blur((y - _blur(y, 2.0)) ** 2, 4.0), 0.0))
    amp = np.clip(FLAT_AMPLITUDE + activity * 0.5, FLAT_AMPLITUDE, BUSY_AMPLITUDE)
    out = rgb + (pattern * amp)[..., None]
    return Image.fromarray(np.clip(np.rint(out), 0, 255).astype(np.uint8), "RGB")


def _fold(residual: np.ndarray, period: float) -> np.ndarray:
    """Average the residual over tiles of `period` pixels, at TILE cells per tile."""
    from PIL import Image

    h, w = residual.shape
    scale = TILE / period
    nw, nh = max(TILE, int(round(w * scale))), max(TILE, int(round(h * scale)))
    img = Image.fromarray(residual.astype(np.float32), mode="F")
    small = np.asarray(img.resize((nw, nh), Image.BILINEAR), dtype=np.float64)
    nh_full, nw_full = (nh // TILE) * TILE, (nw // TILE) * TILE
    folded = np.zeros((TILE, TILE))
    # Fold the whole tiles, then the remainders into their cells (all pixels count).
    folded += small[:nh_full, :nw_full].reshape(nh // TILE, TILE, nw // TILE, TILE).sum(axis=(0, 2))
    if nh_full < nh:
        rest = small[nh_full:, :nw_full].reshape(nh - nh_full, nw // TILE, TILE).sum(axis=1)
        folded[: nh - nh_full] += rest
    if nw_full < nw:
        rest = small[:nh_full, nw_full:].reshape(nh // TILE, TILE, nw - nw_full).sum(axis=0)
        folded[:, : nw - nw_full] += rest
    if nh_full < nh and nw_full < nw:
        folded[: nh - nh_full, : nw - nw_full] += small[nh_full:, nw_full:]
    return folded


def _score(folded: np.ndarray):
    """(sync z-score, shift, bit correlations at that shift)."""
    f = np.fft.fft2(folded - folded.mean())
    corr = np.real(np.fft.ifft2(f[None] * _template_fft()))  # (65, TILE, TILE)
    # Energy of every group at each shift: sync counts with its sign, bits by magnitude.
    combined = corr[0] + np.abs(corr[1:]).sum(axis=0) * 0.5
    idx = np.unravel_index(np.argmax(combined), combined.shape)
    sync = corr[0]
    z = (sync[idx] - sync.mean()) / (sync.std() + 1e-12)
    return float(z), idx, corr[1:, idx[0], idx[1]]


def detect(image) -> Mark | None:
    """The mark in a picture (PIL), or None when there is none that checks out."""
    rgb = np.asarray(image.convert("RGB"), dtype=np.float64)
    h, w = rgb.shape[:2]
    if min(w, h) < 64:
        return None
    y = _luma(rgb)
    base = _period(w, h)
    residual = y - _blur(y, max(1.0, base / TILE * CHIP))
    best = None
    # Coarse search over the crops we accept, then a fine one around the best.
    coarse = base / np.linspace(1.0, 1.0 - MAX_CROP, 23)
    candidates = [(p, _score(_fold(residual, p))) for p in coarse]
    candidates.sort(key=lambda c: -c[1][0])
    for p0, _ in candidates[:3]:
        for p in p0 * np.linspace(0.99, 1.01, 9):
            s = _score(_fold(residual, p))
            if best is None or s[0] > best[1][0]:
                best = (p, s)
            found = _accept(s)
            if found is not None:
                return found
    return None


def _accept(score) -> Mark | None:
    z, _, bits_corr = score
    if z < SYNC_Z_MIN:
        return None
    decoded = _decode_word((bits_corr > 0).astype(int))
    if decoded is None:
        return None
    return Mark(studio_tag=decoded[0], shot=decoded[1], confidence=round(z, 1))
