"""verify: names the shot after platforms strip the metadata; a changed byte fails."""

from __future__ import annotations

import io
import json
from pathlib import Path

from PIL import Image

from tests.delivery.conftest import add_shot


def _export(cli, board_name, preset, to, fmt="jpeg"):
    code, out, err = cli("export", "--board", board_name, "--preset", preset, "--to", to,
                         "--format", fmt, "--json")
    assert code == 0, err
    return [Path(f["path"]) for f in json.loads(out)["files"]]


def _platform(path: Path, dest: Path) -> Path:
    """What a social platform does: decode, halve, re-encode as JPEG quality 75."""
    with Image.open(path) as im:
        small = im.convert("RGB").resize((im.width // 2, im.height // 2), Image.LANCZOS)
    small.save(dest, "JPEG", quality=75)
    return dest


def test_stripped_and_reencoded_files_still_name_their_shot(studio, board, cli, tmp_path):
    a = add_shot(studio, board, 11, "approved")
    b = add_shot(studio, board, 12, "approved", centre_x=0.35)
    files = _export(cli, "Spring Look", "pdp-3x4,instagram-feed", tmp_path / "out")
    assert len(files) == 4
    named = 0
    for i, path in enumerate(files):
        shot = json.loads(cli("verify", path, "--json")[1])["watermark"]["shot"]
        copy = _platform(path, tmp_path / f"copy{i}.jpg")
        code, out, err = cli("verify", copy, "--json")
        report = json.loads(out)
        assert report["c2pa"]["present"] is False and report["iptc_digital_source_type"] is None
        if report["watermark"]["found"]:
            assert report["watermark"]["shot"] == shot and code == 0
            assert report["shot"]["id"] == shot and report["shot"]["board"] == "Spring Look"
            named += 1
        else:
            assert code == 5
    assert named >= 3
    assert {a.id, b.id} == {json.loads(cli("verify", p, "--json")[1])["shot"]["id"] for p in files}


def test_one_flipped_byte_in_the_image_data_fails(studio, board, cli, tmp_path):
    add_shot(studio, board, 5, "approved")
    for fmt in ("jpeg", "png"):
        (path,) = _export(cli, "Spring Look", "square", tmp_path / fmt, fmt)
        data = bytearray(path.read_bytes())
        assert cli("verify", path)[0] == 0
        # A byte in the middle of the picture's compressed data (far from the headers).
        pos = len(data) * 2 // 3
        data[pos] ^= 0x01
        bad = tmp_path / f"bad.{path.suffix}"
        bad.write_bytes(bytes(data))
        code, out, err = cli("verify", bad, "--json")
        report = json.loads(out)
        assert code == 5, (fmt, report)
        assert report["c2pa"]["present"] and report["c2pa"]["valid"] is False


def test_a_picture_without_any_label_fails(cli, tmp_path):
    plain = tmp_path / "plain.jpg"
    Image.new("RGB", (600, 800), (90, 120, 150)).save(plain, "JPEG")
    code, out, err = cli("verify", plain, "--json")
    report = json.loads(out)
    assert code == 5 and report == {**report, "iptc_digital_source_type": None,
                                    "watermark": {"found": False, "shot": None}}
    assert report["c2pa"]["present"] is False


def test_the_studio_png_is_labelled_by_its_xmp(studio, board, cli):
    shot = add_shot(studio, board, 3)
    code, out, err = cli("verify", studio.images.path(shot.image), "--json")
    assert code == 0
    assert json.loads(out)["iptc_digital_source_type"].endswith("trainedAlgorithmicMedia")


def test_unreadable_file_is_bad_input(cli, tmp_path):
    code, out, err = cli("verify", tmp_path / "missing.jpg")
    assert code == 2 and "cannot read" in err


def test_verify_outside_a_studio_creates_none(tmp_path, capsys):
    from app.cli import main

    plain = tmp_path / "plain.png"
    Image.new("RGB", (100, 100)).save(plain)
    assert main(["--studio", str(tmp_path / "nostudio"), "verify", str(plain)]) == 5
    assert not (tmp_path / "nostudio").exists()
    assert "no AI label" in capsys.readouterr().out


def test_watermark_bytes_roundtrip_and_reject_noise():
    import numpy as np

    from app.delivery import watermark as wm

    rng = np.random.default_rng(3)
    img = Image.fromarray(rng.integers(0, 255, (700, 560, 3), dtype=np.uint8))
    marked = wm.embed(img, 0xBEEF, 123456)
    found = wm.detect(marked)
    assert found is not None and (found.studio_tag, found.shot) == (0xBEEF, 123456)
    assert wm.detect(img) is None
    buf = io.BytesIO()
    marked.crop((30, 40, 530, 660)).save(buf, "JPEG", quality=75)
    again = wm.detect(Image.open(io.BytesIO(buf.getvalue())))
    assert again is not None and again.shot == 123456
