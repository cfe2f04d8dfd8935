"""`atelier boards`, `board new`, `decide`, `history`, `tidy`: results, exit statuses, and
bad input that gets one clear line and writes nothing."""

from __future__ import annotations

import json
import os
import sqlite3
import time

import pytest

from app.cli import main
from app.store import open_studio, repo
from tests.store.conftest import draft, image, note
from tests.store.helpers import atelier


@pytest.fixture
def filled(studio_dir):
    """A studio (the default one, via ATELIER_STUDIO) with a board and two shots."""
    with open_studio(studio_dir) as s:
        b = repo.create_board(s, "Spring look")
        first = repo.add_shots(s, [draft(b.id)], [image()])[0]
        repo.add_shots(s, [draft(b.id, "(smiling)1.2")], [image("blue")], note=note(first.id))
    return studio_dir


def run(capsys, *argv):
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's own errors (missing options) exit 2 too
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def _written(studio_dir):
    conn = sqlite3.connect(studio_dir / "atelier.db")
    try:
        return [conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("boards", "people", "decisions")]
    finally:
        conn.close()


def test_board_new_and_boards(studio_dir, capsys):
    assert run(capsys, "board", "new", "Autumn 27")[:2] == (0, "board 1: Autumn 27\n")
    code, out, _ = run(capsys, "--studio", str(studio_dir), "boards", "--json")
    [b] = json.loads(out)
    assert code == 0 and b["name"] == "Autumn 27" and b["shots"] == 0 and b["counts"]["new"] == 0
    code, out, err = run(capsys, "board", "new", "autumn 27")
    assert code == 2 and "already exists" in err and err.count("\n") == 1
    assert _written(studio_dir)[0] == 1


def test_decide_on_a_shot_and_see_it_in_history(filled, capsys):
    code, out, _ = run(capsys, "decide", "2", "approve", "--by", "Bea", "--role", "art-director",
                       "--why", "the smile works", "--json")
    d = json.loads(out)
    assert code == 0 and d["verdict"] == "approved" and d["shot_id"] == 2 and d["reason"] == "the smile works"
    code, out, _ = run(capsys, "decide", "2", "changes", "--by", "Anna", "--role", "stylist",
                       "--why", "warmer light")
    assert code == 0 and "changes-requested by Anna (stylist)" in out
    code, out, _ = run(capsys, "boards")
    assert "1 changes-requested" in out and "1 new" in out
    code, out, _ = run(capsys, "history", "--shot", "2", "--json", "--verify")
    h = json.loads(out)
    assert code == 0 and h["verified"] is True
    assert [x["verdict"] for x in h["decisions"]] == ["approved", "changes-requested"]
    code, out, _ = run(capsys, "history", "--board", "spring look")
    assert code == 0 and "note 1 by Anna (stylist): smile a bit more" in out
    assert "increase expression: smiling 1.1 → 1.2" in out and "approved by Bea" in out


def test_only_an_art_director_decides_a_board(filled, capsys):
    code, _, err = run(capsys, "decide", "--board", "Spring look", "approve", "--by", "Anna",
                       "--role", "stylist")
    assert code == 4 and "only an art director may approve" in err and err.count("\n") == 1
    assert _written(filled)[2] == 0
    code, out, _ = run(capsys, "decide", "--board", "Spring look", "approve", "--by", "Bea",
                       "--role", "art-director")
    assert code == 0 and "board Spring look approved by Bea" in out


@pytest.mark.parametrize("argv, says", [
    (["decide", "999", "approve", "--by", "Bea", "--role", "stylist"], "no shot 999"),
    (["decide", "two", "approve", "--by", "Bea", "--role", "stylist"], "must be a number"),
    (["decide", "1", "bless", "--by", "Bea", "--role", "stylist"], "unknown verdict"),
    (["decide", "1", "approve", "--by", "Bea", "--role", "intern"], "unknown role"),
    (["decide", "1", "approve", "--by", "  ", "--role", "stylist"], "--by is empty"),
    (["decide", "1", "approve", "--by", "Bea", "--role", "stylist", "--why", "x" * 100_000], "too long"),
    (["decide", "1", "approve", "--by", "Bea\udcff", "--role", "stylist"], "not valid UTF-8"),
    (["decide", "1", "--by", "Bea", "--role", "stylist"], "give a shot id and a verdict"),
    (["decide", "--board", "Nope", "hold", "--by", "Bea", "--role", "stylist"], "no board 'Nope'"),
    (["decide", "1", "approve", "--role", "stylist"], "--by"),
    (["board", "new", ""], "board name is empty"),
    (["board", "new", "\udcff\udcfe"], "not valid UTF-8"),
    (["history", "--shot", "0"], "positive"),
    (["history", "--board", "Nope"], "no board"),
    (["decide", str(2**63), "approve", "--by", "Bea", "--role", "stylist"], "too large"),
    (["history", "--shot", "99999999999999999999"], "too large"),
    (["--studio", "/dev/null", "history"], "is not a folder"),
    (["--studio", "/nonexistent-atelier-studio", "history", "--verify"], "no studio at"),
    (["--studio", "/nonexistent-atelier-studio", "boards"], "no studio at"),
])
def test_bad_input_is_one_line_exit_2_and_writes_nothing(filled, capsys, argv, says):
    before = _written(filled)
    code, out, err = run(capsys, *argv)
    assert code == 2 and says in err and err.count("\n") == 1 and len(err) < 300
    assert _written(filled) == before


def test_invalid_utf8_bytes_in_argv_from_outside(filled):
    res = atelier("decide", "1", "approve", "--by", "B\udcffa", "--role", "stylist")
    assert res.returncode == 2 and "not valid UTF-8" in res.stderr
    assert _written(filled)[2] == 0


def test_history_verify_names_the_first_tampered_row(filled, capsys):
    for verb in ("approve", "hold", "reject"):
        assert run(capsys, "decide", "1", verb, "--by", "Bea", "--role", "art-director",
                   "--why", "a reason")[0] == 0
    conn = sqlite3.connect(filled / "atelier.db")
    conn.execute("DROP TRIGGER decisions_no_update")
    conn.execute("UPDATE decisions SET person = 'Mallory' WHERE id = 2")
    conn.commit()
    conn.close()
    res = atelier("history", "--verify")  # from outside, as an auditor would
    assert res.returncode == 5 and "decision 2" in res.stderr and "verification failed" in res.stderr


def test_tidy_finds_and_removes_files_no_shot_uses(filled, capsys):
    with open_studio(filled) as s:
        kids = repo.add_shots(s, [draft(1, "to be undone")], [image("pink")], note=note(1, "undo me"))
        repo.undo_note(s, kids[0].note_id)
        orphans = [s.images.path(kids[0].image), s.images.thumb_path(kids[0].image)]
        kept = [s.images.path(x.image) for x in repo.board_page(s, 1).shots]
    old = time.time() - 3600
    for p in orphans:
        os.utime(p, (old, old))
    code, out, _ = run(capsys, "tidy", "--json")
    assert code == 0 and sorted(json.loads(out)["files"]) == sorted(map(str, orphans))
    assert all(p.exists() for p in orphans)  # listing deletes nothing
    code, out, _ = run(capsys, "tidy", "--delete")
    assert code == 0 and "removed 2 files" in out
    assert not any(p.exists() for p in orphans) and all(p.exists() for p in kept)


def test_a_damaged_studio_is_reported_with_its_backup(filled, capsys):
    with open_studio(filled) as s:
        good = s.backup()
    db = filled / "atelier.db"
    db.write_bytes(b"\0" * 100 + db.read_bytes()[100:])
    before = db.read_bytes()
    code, _, err = run(capsys, "boards")
    assert code == 1 and "is damaged" in err and str(good) in err and err.count("\n") == 1
    assert db.read_bytes() == before


def test_history_into_a_closed_pipe_is_quiet(filled):
    import subprocess
    import sys

    from tests.store.helpers import ROOT

    with open_studio(filled) as s:
        for i in range(60):  # well over a pipe's 64 KiB buffer
            repo.decide(s, "hold", "Bea", "art-director", reason="r" * 1900, shot_id=1)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "app", "history", "--verify"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.readline()
    proc.stdout.close()  # what `| head -1` does
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141 and err == ""


def test_history_export_writes_plain_files_of_the_whole_record(filled, capsys, tmp_path):
    import csv
    import hashlib

    assert run(capsys, "decide", "2", "approve", "--by", "Bea", "--role", "art-director", "--why", 'a "yes", ok')[0] == 0
    out_dir = tmp_path / "export"
    code, out, err = run(capsys, "history", "--export", str(out_dir), "--verify")
    assert code == 0 and "exported" in out, err
    manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["head"]["count"] > 0 and len(manifest["studio"]) == 32
    for name, facts in manifest["files"].items():
        assert hashlib.sha256((out_dir / name).read_bytes()).hexdigest() == facts["sha256"]
    notes = json.loads((out_dir / "notes.json").read_text(encoding="utf-8"))
    assert notes[0]["text"] == "smile a bit more" and notes[0]["author"] == "Anna"
    assert [d["reason"] for d in json.loads((out_dir / "decisions.json").read_text(encoding="utf-8"))] == ['a "yes", ok']
    assert len(json.loads((out_dir / "shots.json").read_text(encoding="utf-8"))) == 2
    assert manifest["files"]["record.json"]["rows"] == manifest["head"]["count"]

    csv_dir = tmp_path / "csv"
    code, out, _ = run(capsys, "history", "--export", str(csv_dir), "--csv", "--board", "Spring look")
    with open(csv_dir / "decisions.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert code == 0 and rows[0]["reason"] == 'a "yes", ok' and rows[0]["board_id"] == ""
    with open(csv_dir / "ledger.csv", newline="", encoding="utf-8") as fh:
        assert next(csv.reader(fh))[:3] == ["id", "talent_id", "talent"]  # a header, even when empty

    code, _, err = run(capsys, "history", "--export", str(out_dir))  # never overwrites
    assert code == 2 and "not empty" in err and err.count("\n") == 1
    code, _, err = run(capsys, "history", "--csv")
    assert code == 2 and "--csv goes with --export" in err


def test_tidy_names_a_damaged_picture_and_leaves_it(filled, capsys):
    with open_studio(filled) as s:
        path = s.images.path(repo.get_shot(s, 2).image)
    path.write_bytes(path.read_bytes()[:200])  # cut short
    code, out, err = run(capsys, "tidy", "--delete")
    assert code == 0 and f"the picture {path} was replaced or damaged" in err and path.exists()
    code, out, _ = run(capsys, "tidy", "--json")
    assert json.loads(out)["damaged"][0]["path"] == str(path)
