"""Where and in what precision the pipeline runs.

Rules (docs/ARCHITECTURE.md, Engine decisions): CUDA in bf16 where the card supports it,
else fp16; Apple MPS in fp16; CPU in fp32 (half precision on CPU is slow and lossy).
ATELIER_DEVICE / ATELIER_DTYPE, or explicit arguments, override the choice.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

DTYPES = {"float32": "float32", "fp32": "float32", "float16": "float16", "fp16": "float16",
          "half": "float16", "bfloat16": "bfloat16", "bf16": "bfloat16"}


class DeviceError(ValueError):
    """An override that this machine cannot honour (unknown name, CUDA absent, ...)."""


@dataclass(frozen=True)
class Placement:
    device: str  # "cuda", "cuda:1", "mps", "cpu"
    dtype: str  # "float32" | "float16" | "bfloat16"

    @property
    def torch_dtype(self):
        import torch

        return getattr(torch, self.dtype)

    @property
    def is_gpu(self) -> bool:
        return not self.device.startswith("cpu")


def choose(device: str | None = None, dtype: str | None = None) -> Placement:
    """The device and precision to use: arguments, then environment, then the best here."""
    import torch

    device = (device or os.environ.get("ATELIER_DEVICE") or "").strip().lower() or None
    dtype = (dtype or os.environ.get("ATELIER_DTYPE") or "").strip().lower() or None
    if device is None:
        if torch.cuda.is_available():
            device = "cuda"
        elif getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
            device = "mps"
        else:
            device = "cpu"
    kind = device.split(":")[0]
    if kind == "cuda" and not torch.cuda.is_available():
        raise DeviceError(f"device {device!r} asked for, but this machine has no usable CUDA GPU")
    if kind == "mps" and not (getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()):
        raise DeviceError(f"device {device!r} asked for, but Apple MPS is not available here")
    if kind not in ("cuda", "mps", "cpu"):
        raise DeviceError(f"unknown device {device!r}: use cpu, cuda, cuda:N or mps")
    if dtype is None:
        if kind == "cuda":
            dtype = "bfloat16" if torch.cuda.is_bf16_supported() else "float16"
        elif kind == "mps":
            dtype = "float16"
        else:
            dtype = "float32"
    elif dtype not in DTYPES:
        raise DeviceError(f"unknown precision {dtype!r}: use float32, float16 or bfloat16")
    return Placement(device, DTYPES[dtype])


def guess() -> tuple[str, str]:
    """(device, dtype) as `choose()` would pick them, judged without importing torch (the
    model listing must answer fast): overrides, else a CUDA driver or Apple silicon seen on
    this machine. When torch is already loaded, its own answer is used."""
    import sys

    if "torch" in sys.modules:
        placement = choose()
        return placement.device, placement.dtype
    device = (os.environ.get("ATELIER_DEVICE") or "").strip().lower()
    dtype = (os.environ.get("ATELIER_DTYPE") or "").strip().lower()
    if dtype and dtype not in DTYPES:
        raise DeviceError(f"unknown precision {dtype!r}: use float32, float16 or bfloat16")
    if device and device.split(":")[0] not in ("cuda", "mps", "cpu"):
        raise DeviceError(f"unknown device {device!r}: use cpu, cuda, cuda:N or mps")
    if not device:
        import platform

        if os.path.exists("/proc/driver/nvidia/version") or os.path.exists("/dev/nvidia0"):
            device = "cuda"
        elif sys.platform == "darwin" and platform.machine() == "arm64":
            device = "mps"
        else:
            device = "cpu"
    kind = device.split(":")[0]
    default = {"cuda": "bfloat16", "mps": "float16"}.get(kind, "float32")
    return device, DTYPES.get(dtype, default)


def tune(pipe, placement: Placement) -> None:
    """Settings that pay on the chosen device: TF32 and channels-last on CUDA. Attention
    processors are left as each model sets them: diffusers already uses PyTorch's SDPA, and
    forcing `AttnProcessor2_0` on a transformer model (FLUX, SD3, Qwen-Image) breaks it."""
    import torch

    if placement.device.startswith("cuda"):
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
        unet = getattr(pipe, "unet", None)
        if unet is not None:
            unet.to(memory_format=torch.channels_last)
