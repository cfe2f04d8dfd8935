"""Decisions: statuses, the board rule, append-only storage and the hash chain."""

from __future__ import annotations

import sqlite3

import pytest

from app.store import repo
from app.store.errors import InvalidInput, NotFound, RuleViolation


def test_latest_decision_is_the_status_and_all_are_kept(studio, shot):
    assert repo.get_shot(studio, shot.id).status == "new"
    for verb, stored in (("approve", "approved"), ("changes", "changes-requested"),
                         ("hold", "hold"), ("reject", "rejected")):
        d = repo.decide(studio, verb, "Bea", "art-director", reason=f"{verb}!", shot_id=shot.id)
        assert d.verdict == stored and repo.get_shot(studio, shot.id).status == stored
    assert [d.verdict for d in repo.decisions(studio, shot_id=shot.id)] == [
        "approved", "changes-requested", "hold", "rejected"]


def test_only_an_art_director_approves_or_rejects_a_board(studio, board, shot):
    for role in ("stylist", "photographer"):
        for verb in ("approve", "reject"):
            with pytest.raises(RuleViolation, match="only an art director"):
                repo.decide(studio, verb, "Anna", role, board_id=board.id)
    assert repo.decisions(studio, board_id=board.id) == []
    repo.decide(studio, "hold", "Anna", "stylist", board_id=board.id)  # others may hold
    d = repo.decide(studio, "approve", "Bea", "Art Director", board_id=board.id)
    assert d.role == "art-director" and repo.get_board(studio, board.id).status == "approved"
    repo.decide(studio, "approve", "Cor", "photographer", shot_id=shot.id)  # shots: any role
    # a board's history holds its own decisions and its shots'
    assert [x.verdict for x in repo.decisions(studio, board_id=board.id)] == ["hold", "approved", "approved"]


@pytest.mark.parametrize("kwargs, error", [
    (dict(verdict="great"), InvalidInput), (dict(role="intern"), InvalidInput),
    (dict(person=""), InvalidInput), (dict(reason="x" * 100_000), InvalidInput),
    (dict(reason="bad \udcff"), InvalidInput), (dict(shot_id=999), NotFound),
])
def test_bad_decisions_write_nothing(studio, shot, kwargs, error):
    args = dict(verdict="approve", person="Bea", role="art-director", reason=None, shot_id=shot.id)
    args.update(kwargs)
    with pytest.raises(error):
        repo.decide(studio, **args)
    assert repo.decisions(studio) == []
    assert studio.conn.execute("SELECT COUNT(*) FROM people").fetchone()[0] == 0


def test_decisions_cannot_be_updated_or_deleted(studio, shot):
    repo.decide(studio, "approve", "Bea", "art-director", shot_id=shot.id)
    for sql in ("UPDATE decisions SET verdict = 'rejected'", "DELETE FROM decisions"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            studio.conn.execute(sql)
    assert repo.verify_chain(studio)[0]


def _tamper(studio_dir, *sql):
    """What someone with the file and the sqlite3 shell could do."""
    conn = sqlite3.connect(studio_dir / "atelier.db")
    conn.execute("DROP TRIGGER decisions_no_update")
    conn.execute("DROP TRIGGER decisions_no_delete")
    for s in sql:
        conn.execute(s)
    conn.commit()
    conn.close()


@pytest.mark.parametrize("sql, first_bad", [
    (["UPDATE decisions SET reason = 'fine by me' WHERE id = 3"], "decision 3: its content was changed"),
    (["DELETE FROM decisions WHERE id = 2"], "decision 3"),
    (["DELETE FROM decisions WHERE id = 5"], "status"),  # the last one: its shot's status betrays it
    ([], "triggers were removed"),
])
def test_verify_chain_names_the_first_bad_row(studio_dir, sql, first_bad):
    from app.store import open_studio
    from tests.store.conftest import draft, image

    with open_studio(studio_dir) as studio:
        b = repo.create_board(studio, "B")
        shots = repo.add_shots(studio, [draft(b.id)] * 5, [image((i, i, i)) for i in range(5)])
        for s in shots:
            repo.decide(studio, "approve", "Bea", "art-director", reason="ok", shot_id=s.id)
        assert repo.verify_chain(studio) == (True, "the chain of 5 decisions is intact")
    _tamper(studio_dir, *sql)
    with open_studio(studio_dir) as studio:
        ok, message = repo.verify_chain(studio)
    assert not ok and first_bad in message
