"""Device and precision: CPU in fp32 here; overrides by environment and by argument."""

import pytest

from app.engine.device import DeviceError, choose


def test_cpu_runs_in_float32(monkeypatch):
    monkeypatch.delenv("ATELIER_DEVICE", raising=False)
    monkeypatch.delenv("ATELIER_DTYPE", raising=False)
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    assert choose() == choose("cpu") and choose().dtype == "float32"


def test_environment_and_argument_override(monkeypatch):
    monkeypatch.setenv("ATELIER_DEVICE", "cpu")
    monkeypatch.setenv("ATELIER_DTYPE", "bf16")
    assert choose().dtype == "bfloat16"
    assert choose(dtype="fp32").dtype == "float32"


def test_impossible_overrides_are_refused_clearly(monkeypatch):
    import torch

    monkeypatch.delenv("ATELIER_DEVICE", raising=False)
    with pytest.raises(DeviceError, match="unknown device"):
        choose("tpu")
    with pytest.raises(DeviceError, match="unknown precision"):
        choose("cpu", "int3")
    if not torch.cuda.is_available():
        with pytest.raises(DeviceError, match="no usable CUDA"):
            choose("cuda")
