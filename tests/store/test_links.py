"""Nothing in a studio is followed as a link, and tidy deletes only files Atelier names."""

from __future__ import annotations

import os

import pytest

from app.store import open_studio, repo
from app.store.errors import StoreError
from app.store.housekeeping import orphan_files, remove_files
from tests.store.conftest import draft, image
from tests.store.helpers import atelier


def _age(path):
    os.utime(path, (1, 1))  # older than tidy's ten-minute grace


def test_tidy_delete_never_follows_a_linked_folder_or_file(studio_dir, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    precious = [outside / ("a" * 62 + ".png"), outside / ("b" * 62 + ".thumb.jpg")]
    for p in precious:
        p.write_bytes(b"not Atelier's")
        _age(p)
    with open_studio(studio_dir) as studio:
        board = repo.create_board(studio, "B")
        shot = repo.add_shots(studio, [draft(board.id)], [image()])[0]
        images = studio.images.root
        os.symlink(outside, images / "cd")  # a linked sub-folder, named like one of ours
        sub = studio.images.path(shot.image).parent
        os.symlink(precious[0], sub / ("e" * 62 + ".png"))  # a linked file, named like ours
        foreign = sub / "notes.txt"  # a file Atelier never names so
        foreign.write_text("keep me")
        _age(foreign)
        orphan = sub / ("f" * 62 + ".png")  # a real leftover of ours
        orphan.write_bytes(b"x")
        _age(orphan)
        assert orphan_files(studio) == [orphan]
    out = atelier("tidy", "--delete", studio=studio_dir)
    assert out.returncode == 0, out.stderr
    assert all(p.read_bytes() == b"not Atelier's" for p in precious)
    assert foreign.read_text() == "keep me"
    assert (sub / ("e" * 62 + ".png")).is_symlink()
    assert not orphan.exists()


def test_remove_files_refuses_paths_outside_the_store(studio, tmp_path):
    victim = tmp_path / ("a" * 62 + ".png")
    victim.write_bytes(b"x")
    assert remove_files(studio, [victim]) == (0, 0)
    assert victim.exists()


def test_a_linked_lock_file_is_refused_and_its_target_untouched(studio_dir, tmp_path):
    studio_dir.mkdir(parents=True)
    target = tmp_path / "precious.txt"
    target.write_text("the user's own file")
    os.symlink(target, studio_dir / "atelier.lock")
    with pytest.raises(StoreError, match="is a link"):
        open_studio(studio_dir, instance_lock=True)
    assert target.read_text() == "the user's own file"


@pytest.mark.parametrize("name", ["atelier.db", "images", "backups", "queue.json"])
def test_a_studio_whose_own_files_are_links_is_refused(studio_dir, tmp_path, name):
    with open_studio(studio_dir):
        pass
    real = studio_dir / name
    elsewhere = tmp_path / ("moved-" + name)
    if real.exists():
        os.replace(real, elsewhere)
    else:
        elsewhere.mkdir()
    os.symlink(elsewhere, real)
    with pytest.raises(StoreError, match="link"):
        open_studio(studio_dir)
