"""The one decision rule, as the window and `atelier decide` both meet it."""

from __future__ import annotations

import pytest

from app.cli import main
from app.services import decisions
from app.store import repo
from app.store.errors import RuleViolation
from tests.ui.conftest import add_plain_shots

AD, STYLIST, PHOTOGRAPHER = "art-director", "stylist", "photographer"


@pytest.fixture
def board(studio):
    b = repo.create_board(studio, "Spring look")
    add_plain_shots(studio, b.id, 2)
    return b


@pytest.mark.parametrize("verdict,role,allowed", [
    ("approve", AD, True), ("approve", STYLIST, False), ("approve", PHOTOGRAPHER, False),
    ("reject", AD, True), ("reject", STYLIST, False),
    ("hold", STYLIST, True), ("hold", PHOTOGRAPHER, True), ("changes", STYLIST, True),
])
def test_who_may_decide_a_shot(studio, board, verdict, role, allowed):
    shot = repo.board_page(studio, board.id).shots[0]
    reason = "a reason"
    if allowed:
        d = decisions.decide(studio, verdict, "Mira", role, reason=reason, shot_id=shot.id)
        assert repo.get_shot(studio, shot.id).status == d.verdict
    else:
        with pytest.raises(RuleViolation, match="only an art director"):
            decisions.decide(studio, verdict, "Mira", role, reason=reason, shot_id=shot.id)
        assert repo.decisions(studio, shot_id=shot.id) == []
    assert decisions.may(verdict, role) is allowed


@pytest.mark.parametrize("verdict", ["reject", "changes"])
def test_rejecting_and_requesting_changes_need_a_reason(studio, board, verdict):
    shot = repo.board_page(studio, board.id).shots[0]
    for empty in (None, "", "   "):
        with pytest.raises(RuleViolation, match="give a reason"):
            decisions.decide(studio, verdict, "Mira", AD, reason=empty, shot_id=shot.id)
    assert repo.decisions(studio, shot_id=shot.id) == []
    decisions.decide(studio, "hold", "Mira", AD, shot_id=shot.id)  # hold needs none


def test_an_approved_board_is_settled_until_an_art_director_reopens_it(studio, board):
    shot = repo.board_page(studio, board.id).shots[0]
    decisions.decide(studio, "approve", "Mira", AD, board_id=board.id)
    for role in (AD, STYLIST):
        with pytest.raises(RuleViolation, match="reopens it"):
            decisions.decide(studio, "hold", "Mira", role, shot_id=shot.id)
    with pytest.raises(RuleViolation, match="only an art director may reopen"):
        decisions.decide(studio, "changes", "Lena", STYLIST, reason="the hem", board_id=board.id)
    assert not decisions.may("hold", STYLIST, board_status="approved")
    reopened = decisions.decide(studio, "changes", "Mira", AD, reason="one more look at #1",
                                board_id=board.id)
    assert reopened.board_id == board.id  # the reopening is in the record
    decisions.decide(studio, "hold", "Lena", STYLIST, shot_id=shot.id)
    assert repo.get_shot(studio, shot.id).status == "hold"


def run(capsys, *argv):
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_line_meets_the_same_rule(studio_dir, capsys):
    from app.store.db import open_studio

    with open_studio(studio_dir) as studio:
        b = repo.create_board(studio, "Spring look")
        add_plain_shots(studio, b.id, 1)
    code, _, err = run(capsys, "decide", "1", "approve", "--by", "Lena", "--role", "stylist")
    assert code == 4 and "only an art director may approve a shot" in err
    code, _, err = run(capsys, "decide", "1", "reject", "--by", "Mira", "--role", "art-director")
    assert code == 4 and "give a reason" in err
    assert run(capsys, "decide", "--board", "Spring look", "approve", "--by", "Mira",
               "--role", "art-director")[0] == 0
    code, _, err = run(capsys, "decide", "1", "hold", "--by", "Mira", "--role", "art-director")
    assert code == 4 and "the board is approved" in err
    with open_studio(studio_dir) as studio:
        assert [d.verdict for d in repo.decisions(studio)] == ["approved"]
