"""Export end to end: sizes, credentials an independent reader accepts, rules, failures."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from app.store import repo
from tests.delivery.conftest import add_shot


AI = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"


def _c2pa(path: Path):
    import c2pa

    with open(path, "rb") as fh:
        data = fh.read()
    reader = c2pa.Reader("image/jpeg" if path.suffix == ".jpg" else f"image/{path.suffix[1:]}", io.BytesIO(data))
    return reader.get_validation_state(), reader.get_active_manifest(), reader.get_validation_results()


def test_two_shots_two_presets_give_four_labelled_files(studio, board, cli, tmp_path):
    a = add_shot(studio, board, 1, "approved")
    b = add_shot(studio, board, 2, "approved")
    add_shot(studio, board, 3)  # not approved: stays home
    out_dir = tmp_path / "out"
    code, out, err = cli("export", "--board", "spring look", "--preset", "pdp-4x5,instagram-feed",
                         "--to", out_dir, "--json")
    assert code == 0, err
    files = json.loads(out)["files"]
    assert sorted((f["shot"], f["preset"]) for f in files) == sorted(
        (s, p) for s in (a.id, b.id) for p in ("pdp-4x5", "instagram-feed"))
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(Path(f["path"]).name for f in files)
    sizes = {"pdp-4x5": (2000, 2500), "instagram-feed": (1080, 1350)}
    for f in files:
        path = Path(f["path"])
        with Image.open(path) as im:
            assert im.size == sizes[f["preset"]] == (f["width"], f["height"])
            assert im.format == "JPEG" and im.info.get("icc_profile")
        state, manifest, results = _c2pa(path)
        assert state in ("Valid", "Trusted")
        failures = [r["code"] for r in results["activeManifest"].get("failure", [])]
        assert set(failures) <= {"signingCredential.untrusted"}
        actions = next(x for x in manifest["assertions"] if x["label"].startswith("c2pa.actions"))["data"]["actions"]
        assert actions[0]["action"] == "c2pa.created" and actions[0]["digitalSourceType"] == AI
        assert {"c2pa.cropped", "c2pa.resized"} <= {x["action"] for x in actions}
        assert actions[0]["parameters"]["model"] == "demo"
        ours = next(x for x in manifest["assertions"] if x["label"].startswith("org.atelier"))["data"]
        assert ours["record_head"] == repo.record_head(studio)  # the sealed record's head
        assert ours["record_head"].split(":")[0].isdigit() and int(ours["record_head"].split(":")[0]) > 0
        code, vout, verr = cli("verify", path, "--json")
        report = json.loads(vout)
        assert code == 0, vout
        assert report["c2pa"]["valid"] and report["c2pa"]["digital_source_type"] == AI
        assert report["iptc_digital_source_type"] == AI
        assert report["watermark"]["found"] and report["watermark"]["shot"] == f["shot"]
        assert report["shot"]["board"] == "Spring Look"
    assert "left out shot 3" in err


@pytest.mark.skipif(shutil.which("exiftool") is None, reason="exiftool not installed")
def test_exiftool_reads_the_digital_source_type(studio, board, cli, tmp_path):
    add_shot(studio, board, 1, "approved")
    for fmt in ("jpeg", "png", "webp"):
        code, out, err = cli("export", "--board", "Spring Look", "--preset", "square", "--to",
                             tmp_path / fmt, "--format", fmt, "--json")
        assert code == 0, err
        path = json.loads(out)["files"][0]["path"]
        tags = json.loads(subprocess.run(["exiftool", "-j", "-XMP-iptcExt:DigitalSourceType", path],
                                         capture_output=True, text=True, check=True).stdout)[0]
        assert tags.get("DigitalSourceType") == AI, (fmt, tags)


def test_file_names_never_collide(studio, board, cli, tmp_path):
    add_shot(studio, board, 1, "approved")
    names = set()
    for _ in range(2):
        code, out, err = cli("export", "--board", "Spring Look", "--preset", "story", "--to", tmp_path, "--json")
        assert code == 0, err
        names |= {Path(f["path"]).name for f in json.loads(out)["files"]}
    assert names == {"spring-look_0001_story_v1.jpg", "spring-look_0001_story_v2.jpg"}


def test_unapproved_shot_named_is_refused(studio, board, cli, tmp_path):
    shot = add_shot(studio, board, 1, "changes")
    code, out, err = cli("export", shot.id, "--preset", "square", "--to", tmp_path / "out")
    assert code == 4 and f"shot {shot.id}" in err and "not approved" in err
    assert not list((tmp_path / "out").glob("*"))
    code, out, err = cli("export", shot.id, "--preset", "square", "--to", tmp_path / "out",
                         "--include-unapproved")
    assert code == 0, err


def test_twin_shot_without_a_consent_check_is_refused(studio, board, cli, tmp_path, monkeypatch):
    """Without the talent area's answer, a shot that names a twin does not leave the studio."""
    from app.delivery import rules

    shot = add_shot(studio, board, 1, "approved")
    monkeypatch.setattr(rules, "_talent_hooks", lambda: (None, None))
    monkeypatch.setattr(rules, "twin_of", lambda s: "Anna K" if s.id == shot.id else None)
    code, out, err = cli("export", shot.id, "--preset", "story", "--to", tmp_path / "out")
    assert code == 4 and "Anna K" in err and "consent" in err
    assert not list((tmp_path / "out").glob("*"))


def test_consent_hook_decides_per_channel(studio, board, cli, tmp_path, monkeypatch):
    from app.delivery import rules
    from app.store.errors import RuleViolation

    shot = add_shot(studio, board, 1, "approved")
    asked, ledger = [], []

    def check(studio_, s, channel):
        asked.append(channel)
        if channel != "ecommerce":  # the talent area raises its ConsentRefused, a RuleViolation
            raise RuleViolation(f"the consent for Anna K does not cover {channel}")
        return "consent-7"

    monkeypatch.setattr(rules, "twin_of", lambda s: "Anna K")
    rules.set_consent_check(check)
    rules.set_ledger_record(lambda st, s, consent, channel: ledger.append((s.id, consent, channel)))
    try:
        code, out, err = cli("export", shot.id, "--preset", "story", "--to", tmp_path / "a")
        assert code == 4 and "social" in err and not ledger
        code, out, err = cli("export", shot.id, "--preset", "pdp-4x5", "--to", tmp_path / "b", "--json")
        assert code == 0, err
        path = json.loads(out)["files"][0]["path"]
        _, manifest, _ = _c2pa(Path(path))
        data = next(x for x in manifest["assertions"] if x["label"] == "org.atelier.shot")["data"]
        assert data["consent"] == "consent-7"
        assert ledger == [(shot.id, "consent-7", "ecommerce")]
    finally:
        rules.set_consent_check(None)
        rules.set_ledger_record(None)


def test_unwritable_folder_is_said_before_any_work(studio, board, cli, tmp_path):
    add_shot(studio, board, 1, "approved")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, out, err = cli("export", "--board", "Spring Look", "--preset", "square", "--to", blocker / "sub")
    assert code == 2 and "cannot write" in err


def test_full_disk_leaves_no_partial_file(studio, board, cli, tmp_path, monkeypatch):
    import errno

    from app.delivery import export as ex

    add_shot(studio, board, 1, "approved")
    add_shot(studio, board, 2, "approved")
    real = ex._write_temp
    calls = []

    def filling(folder, data):
        calls.append(1)
        if len(calls) == 3:  # the third file finds the disk full half-way
            (folder / ".atelier-export-half.part").write_bytes(data[: len(data) // 2])
            (folder / ".atelier-export-half.part").unlink()
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(folder, data)

    monkeypatch.setattr(ex, "_write_temp", filling)
    out_dir = tmp_path / "out"
    code, out, err = cli("export", "--board", "Spring Look", "--preset", "square,story", "--to", out_dir)
    assert code == 1 and "disk is full" in err and "nothing was exported" in err
    assert list(out_dir.iterdir()) == []
    from app.delivery import journal

    assert journal.entries(studio) == []


def test_bad_preset_and_missing_target_are_bad_input(cli, tmp_path):
    code, out, err = cli("export", "1", "--preset", "billboard", "--to", tmp_path)
    assert code == 2 and "unknown preset" in err
    code, out, err = cli("export", "--preset", "square", "--to", tmp_path)
    assert code == 2
