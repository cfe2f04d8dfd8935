"""Likeness with dlib's face descriptor on portraits that packages ship (no download)."""

import json

import pytest
from PIL import Image, ImageOps

pytest.importorskip("dlib")


@pytest.fixture
def mila(cli, astronaut):
    assert cli("talent", "add", "Mila", "--agency", "Elite", "--reference", astronaut)[0] == 0
    return "Mila"


def likeness(cli, target, talent="Mila"):
    code, out, err = cli("likeness", target, "--talent", talent, "--json")
    return code, (json.loads(out) if code == 0 else None), err


def test_the_same_portrait_resized_and_mirrored_is_the_same_person(cli, mila, astronaut, tmp_path):
    with Image.open(astronaut) as img:
        small = img.convert("RGB").resize((300, 300))
        ImageOps.mirror(small).save(tmp_path / "mirrored.jpg", quality=90)
        img.convert("RGB").resize((1024, 1024)).save(tmp_path / "large.png")
    for name in ("mirrored.jpg", "large.png"):
        code, result, err = likeness(cli, tmp_path / name)
        assert code == 0, err
        assert result["face_found"] and result["same_person"] is True
        assert result["distance"] < result["threshold"] == 0.6 and result["references"] == 1


def test_another_persons_portrait_is_not(cli, mila, grace_hopper):
    code, result, err = likeness(cli, grace_hopper)
    assert code == 0, err
    assert result["face_found"] and result["same_person"] is False and result["distance"] > 0.6


def test_a_picture_without_a_face_says_so(cli, mila, coffee):
    code, result, err = likeness(cli, coffee)
    assert code == 0, err
    assert result == {"face_found": False, "distance": None, "threshold": 0.6, "same_person": None,
                      "references": 1}


def test_a_talent_without_a_usable_reference_face_is_exit_2(cli, coffee, astronaut):
    assert cli("talent", "add", "Nobody", "--agency", "Elite", "--reference", coffee)[0] == 0
    code, _, err = likeness(cli, astronaut, "Nobody")
    assert code == 2 and "no usable reference face" in err
    assert cli("talent", "add", "Bare", "--agency", "Elite")[0] == 0
    code, _, err = likeness(cli, astronaut, "Bare")
    assert code == 2 and "no reference photos" in err


def test_a_shot_id_is_measured_from_its_stored_picture(cli, mila, studio_dir, astronaut):
    """A shot whose picture is the astronaut (stored through the store, not rendered)."""
    from app.store import repo
    from app.store.db import open_studio
    from app.store.records import ShotDraft

    with open_studio(studio_dir) as studio:
        board = repo.create_board(studio, "B")
        draft = ShotDraft(board_id=board.id, brief={}, prompt="p", negative="", model="demo", model_hash="",
                          seed=1, steps=1, guidance=7.0, width=512, height=512, scheduler=None)
        with Image.open(astronaut) as img:
            (shot,) = repo.add_shots(studio, [draft], [img.convert("RGB")])
    code, result, err = likeness(cli, shot.id)
    assert code == 0 and result["same_person"] is True and result["distance"] < 0.1
    assert likeness(cli, "99")[0] == 2
