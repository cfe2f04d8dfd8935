"""Model files are read safely: pickles refused before a byte is unpickled, broken
safetensors explained, families and licences read from headers only."""

import json
import os
import pickle
import struct

import pytest

from app.engine.checkpoint import ModelError, family_from_keys, read_header
from app.engine.models import describe, resolve_model
from tests.engine.fakes import safetensors, sd15_checkpoint, sdxl_checkpoint


class _Payload:
    """Unpickling this runs code: it creates the marker file."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def _pickle_file(path, marker):
    path.write_bytes(pickle.dumps(_Payload(marker), protocol=4))
    return path


def _safetensors(path, tensors: dict, metadata=None, data_len=None, raw_header=None):
    """A hand-made safetensors file: {name: (dtype, shape, nbytes)}."""
    header, offset = {}, 0
    for name, (dtype, shape, nbytes) in tensors.items():
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + nbytes]}
        offset += nbytes
    if metadata:
        header["__metadata__"] = metadata
    raw = raw_header if raw_header is not None else json.dumps(header).encode()
    body = b"\0" * (offset if data_len is None else data_len)
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + body)
    return path


@pytest.mark.parametrize("name", ["model.ckpt", "model.bin", "model.pt", "weights.pth"])
def test_pickle_checkpoint_is_refused_and_its_code_never_runs(tmp_path, name):
    marker = tmp_path / "pwned"
    path = _pickle_file(tmp_path / name, marker)
    with pytest.raises(ModelError) as err:
        resolve_model(str(path))
    text = str(err.value)
    assert "pickle" in text and "arbitrary code" in text and ".safetensors" in text
    assert not marker.exists()
    pickle.loads(path.read_bytes())  # the payload is live: unpickling it does run code
    assert marker.exists()


def test_pickle_disguised_as_safetensors_is_refused_by_its_bytes(tmp_path):
    marker = tmp_path / "pwned"
    path = _pickle_file(tmp_path / "innocent.safetensors", marker)
    with pytest.raises(ModelError, match="pickle"):
        read_header(path)
    with pytest.raises(ModelError, match="pickle"):
        resolve_model(str(path))
    assert not marker.exists()


def test_zip_torch_save_disguised_as_safetensors_is_refused(tmp_path):
    path = tmp_path / "zipped.safetensors"
    path.write_bytes(b"PK\x03\x04" + b"\0" * 64)
    with pytest.raises(ModelError, match="pickle"):
        read_header(path)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ModelError, match="no such"):
        resolve_model(str(tmp_path / "nowhere.safetensors"))


def test_header_longer_than_the_file_is_truncated(tmp_path):
    path = tmp_path / "cut.safetensors"
    path.write_bytes(struct.pack("<Q", 10_000) + b'{"a": 1}')
    with pytest.raises(ModelError, match="truncated or corrupt"):
        read_header(path)


def test_missing_tensor_data_is_truncated(tmp_path):
    path = _safetensors(tmp_path / "short.safetensors",
                        {"model.diffusion_model.input_blocks.0.0.weight": ("F32", [4], 16)}, data_len=8)
    with pytest.raises(ModelError, match="truncated"):
        read_header(path)


def test_bad_json_header_is_corrupt(tmp_path):
    path = _safetensors(tmp_path / "bad.safetensors", {}, raw_header=b"{not json at all")
    with pytest.raises(ModelError, match="corrupt"):
        read_header(path)
    info = describe(path)
    assert not info.runnable and "corrupt" in info.reason


def test_tiny_file_is_not_safetensors(tmp_path):
    path = tmp_path / "tiny.safetensors"
    path.write_bytes(b"abc")
    with pytest.raises(ModelError, match="not a safetensors"):
        read_header(path)


def test_family_license_and_size_from_the_header_only(tmp_path):
    path = sdxl_checkpoint(tmp_path / "xl.safetensors", metadata={"modelspec.license": "openrail++"})
    info = describe(path)
    assert (info.family, info.license, info.kind, info.config) == ("SDXL", "openrail++", "single-file", "sdxl")
    assert not info.license_assumed
    assert info.size_bytes == path.stat().st_size


@pytest.mark.parametrize("inpainting, config", [(False, "sd15"), (True, "sd15-inpainting")])
def test_sd15_config_is_picked_from_the_conv_in_shape(tmp_path, inpainting, config):
    info = describe(sd15_checkpoint(tmp_path / "m.safetensors", inpainting=inpainting))
    assert (info.family, info.config) == ("SD 1.x", config)
    assert (info.license, info.license_assumed) == ("creativeml-openrail-m", True)


def test_checkpoint_without_a_vae_is_not_runnable(tmp_path):
    info = describe(sd15_checkpoint(tmp_path / "novae.safetensors", vae=False))
    assert not info.runnable and "no VAE" in info.reason


def test_checkpoint_with_no_bundled_config_says_so(tmp_path, monkeypatch):
    from app.engine import singlefile

    monkeypatch.setattr(singlefile, "CONFIG_ROOT", tmp_path / "none")
    info = describe(sd15_checkpoint(tmp_path / "m.safetensors"))
    assert not info.runnable and "no bundled configuration" in info.reason


def test_flux_transformer_alone_is_not_runnable_with_the_reason(tmp_path):
    info = describe(safetensors(tmp_path / "flux1-dev.safetensors",
                                {"double_blocks.0.img_attn.norm.key_norm.scale": ("F16", (128,))}))
    assert info.family == "FLUX" and not info.runnable and "transformer only" in info.reason


@pytest.mark.parametrize("keys, family", [
    (["cond_stage_model.transformer.text_model.embeddings.position_ids"], "SD 1.x"),
    (["cond_stage_model.model.transformer.resblocks.0.attn.in_proj_weight"], "SD 2.x"),
    (["conditioner.embedders.1.model.ln_final.weight"], "SDXL"),
    (["double_blocks.0.img_attn.norm.key_norm.scale"], "FLUX"),
    (["lora_unet_down_blocks_0_attentions_0_proj_in.lora_down.weight"], "LoRA"),
    (["something.else"], None),
])
def test_family_from_keys(keys, family):
    assert family_from_keys(keys) == family


def test_lora_is_not_a_model(tmp_path):
    path = _safetensors(tmp_path / "style.safetensors",
                        {"lora_unet_down_blocks_0.lora_down.weight": ("F16", [2], 4)})
    info = describe(path)
    assert not info.runnable and "LoRA" in info.reason
    with pytest.raises(ModelError, match="LoRA"):
        resolve_model(str(path))
