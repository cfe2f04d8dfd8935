"""The repository API: what the window and the commands read and write."""

from __future__ import annotations

import json

import pytest
from PIL import Image

from app.store import repo
from app.store.errors import DiskFull, InvalidInput, NotFound, RuleViolation
from app.store.images import AI_SOURCE_TYPE, THUMB_SIZE
from tests.store.conftest import draft, image, note


def test_boards_are_unique_by_name_and_found_by_name_or_id(studio):
    b = repo.create_board(studio, "  Spring look ")
    assert b.name == "Spring look" and b.status == "new"
    with pytest.raises(InvalidInput, match="already exists"):
        repo.create_board(studio, "SPRING LOOK")
    assert repo.get_board(studio, "spring look").id == b.id
    assert repo.get_board(studio, b.id) == repo.get_board(studio, str(b.id))
    with pytest.raises(NotFound):
        repo.get_board(studio, "Autumn")
    for bad in ("", "   ", "x" * 201, "tab\there", "bad \udcff"):
        with pytest.raises(InvalidInput):
            repo.create_board(studio, bad)
    assert [s.name for s in repo.list_boards(studio)] == ["Spring look"]


def test_add_shots_keeps_recipe_image_thumbnail_and_ai_label(studio, board):
    shots = repo.add_shots(studio, [draft(board.id), draft(board.id, seed=7)],
                           [image("red", (300, 200)), image("blue", (300, 200))])
    assert [s.status for s in shots] == ["new", "new"]
    s = repo.get_shot(studio, shots[1].id)
    assert s == shots[1] and s.seed == 7 and s.brief["subject"][0]["text"] == "a model"
    png = Image.open(studio.images.path(s.image))
    assert png.size == (300, 200)
    assert png.text["DigitalSourceType"] == AI_SOURCE_TYPE
    assert png.text["Software"] == "Atelier"
    # the same label as XMP, where photo tools read IPTC's DigitalSourceType
    import xml.etree.ElementTree as ET

    packet = png.text["XML:com.adobe.xmp"]
    desc = ET.fromstring(packet[packet.index("<x:xmpmeta"):packet.index("</x:xmpmeta>") + 12]).find(
        ".//{http://www.w3.org/1999/02/22-rdf-syntax-ns#}Description")
    assert desc.get("{http://iptc.org/std/Iptc4xmpExt/2008-02-29/}DigitalSourceType") == AI_SOURCE_TYPE
    assert json.loads(png.text["atelier:recipe"])["seed"] == 7
    thumb = Image.open(studio.images.thumb_path(s.image))
    assert max(thumb.size) == THUMB_SIZE and thumb.format == "JPEG"
    # content-addressed: the name is the sha256 of the file
    import hashlib
    assert hashlib.sha256(studio.images.path(s.image).read_bytes()).hexdigest() == s.image


def test_note_edits_and_shots_are_one_action(studio, board, shot):
    kids = repo.add_shots(studio, [draft(board.id, "(smiling)1.2")] * 2, [image("green"), image("navy")],
                          note=note(shot.id, "lach iets meer"))
    assert {k.parent_id for k in kids} == {shot.id}  # the note's shot is the parent
    assert kids[0].note_id == kids[1].note_id is not None
    [n] = repo.notes_of(studio, shot.id)
    assert n.text == "lach iets meer" and n.author == "Anna" and n.role == "stylist"
    assert [(e.slot, e.op, e.term, e.weight_before, e.weight_after) for e in n.edits] == [
        ("expression", "increase", "smiling", 1.1, 1.2)]


def test_a_failing_add_shots_writes_nothing(studio, board, shot):
    before = _counts(studio)
    bad_note = note(shot.id)
    bad_note.edits = [{"slot": "expression"}]  # incomplete edit: fails inside the transaction
    with pytest.raises(InvalidInput):
        repo.add_shots(studio, [draft(board.id)], [image("purple")], note=bad_note)
    with pytest.raises(NotFound):
        repo.add_shots(studio, [draft(9999)], [image("orange")])
    assert _counts(studio) == before
    # the files written for the failed actions were removed again: only the first shot's remain
    files = [p for p, _ in studio.images.files()]
    assert len(files) == 2


def test_disk_full_is_a_clear_error_and_leaves_no_row(studio, board, monkeypatch):
    import errno
    import os as os_mod

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("app.store.images.os.replace", full)
    with pytest.raises(DiskFull, match="disk holding the studio .* is full"):
        repo.add_shots(studio, [draft(board.id)], [image()])
    assert _counts(studio)["shots"] == 0
    leftovers = [p for p, _ in studio.images.files()]
    assert leftovers == []  # the temporary files were removed too
    assert os_mod.path.isdir(studio.images.root)


def test_board_page_counts_filters_and_paging(studio, board, shot):
    more = repo.add_shots(studio, [draft(board.id, f"look {i}") for i in range(5)],
                          [image((i * 40, 0, 0)) for i in range(5)])
    repo.decide(studio, "approve", "Bea", "art-director", shot_id=more[0].id)
    repo.decide(studio, "reject", "Bea", "art-director", shot_id=more[1].id)
    repo.decide(studio, "approve", "Bea", "art-director", shot_id=more[1].id)  # latest wins
    repo.rate(studio, more[2].id, 4)
    page = repo.board_page(studio, board.id, offset=0, limit=3)
    assert page.total == 6 and len(page.shots) == 3
    assert [s.id for s in page.shots] == [more[4].id, more[3].id, more[2].id]  # newest first
    assert page.counts == {"new": 4, "approved": 2, "rejected": 0, "hold": 0, "changes-requested": 0}
    approved = repo.board_page(studio, board.id, status="approved")
    assert {s.id for s in approved.shots} == {more[0].id, more[1].id} and approved.total == 2
    assert [s.id for s in repo.board_page(studio, board.id, min_rating=3).shots] == [more[2].id]
    assert [s.id for s in repo.board_page(studio, board.id, query="look 3").shots] == [more[3].id]
    with pytest.raises(InvalidInput):
        repo.board_page(studio, board.id, status="great")


def test_search_finds_notes_and_prompts_and_survives_odd_input(studio, board, shot):
    kids = repo.add_shots(studio, [draft(board.id, "(smiling)1.2, hair up in a bun")], [image("teal")],
                          note=note(shot.id, "maak het haar wat luchtiger"))
    assert [s.id for s in repo.search(studio, "luchtig")] == [kids[0].id, shot.id]
    assert [s.id for s in repo.search(studio, "bun")] == [kids[0].id]
    assert repo.search(studio, "red coat")  # the first shot's prompt
    assert repo.search(studio, 'AND OR "* NEAR(') == []  # FTS syntax is not passed through
    assert repo.search(studio, "") == []
    other = repo.create_board(studio, "Autumn")
    assert repo.search(studio, "bun", board_id=other.id) == []


def test_lineage_walks_up_and_down_with_the_notes_on_the_way(studio, board, shot):
    a = repo.add_shots(studio, [draft(board.id, "g1")], [image("gray")], note=note(shot.id, "first"))[0]
    b = repo.add_shots(studio, [draft(board.id, "g2")], [image("white")], note=note(a.id, "second"))[0]
    c = repo.add_shots(studio, [draft(board.id, "g3")], [image("black")], note=note(b.id, "third"))[0]
    lin = repo.lineage(studio, b.id)
    assert [s.id for s in lin.ancestors] == [shot.id, a.id]
    assert [s.id for s in lin.descendants] == [c.id]
    assert [n.text for n in lin.notes] == ["first", "second"]
    assert [n.text for n in repo.lineage(studio, c.id).notes] == ["first", "second", "third"]


def test_rate_and_undo_note(studio, board, shot):
    assert repo.rate(studio, shot.id, 5).rating == 5
    assert repo.rate(studio, shot.id, None).rating is None
    for bad in (6, -1, 2.5, True):
        with pytest.raises(InvalidInput):
            repo.rate(studio, shot.id, bad)
    kids = repo.add_shots(studio, [draft(board.id)], [image("lime")], note=note(shot.id))
    repo.undo_note(studio, kids[0].note_id)
    with pytest.raises(NotFound):
        repo.get_shot(studio, kids[0].id)
    assert repo.notes_of(studio, shot.id) == [] and repo.search(studio, "smile") == []
    kept = repo.add_shots(studio, [draft(board.id)], [image("lime")], note=note(shot.id))
    repo.decide(studio, "hold", "Bea", "art-director", shot_id=kept[0].id)
    with pytest.raises(RuleViolation):
        repo.undo_note(studio, kept[0].note_id)


def _counts(studio):
    return {t: studio.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("shots", "notes", "edits", "people", "decisions")}
