"""Properties over arbitrary input: text people type is either kept exactly as cleaned
or refused with InvalidInput (never a crash, never half written), and any change to any
recorded field of any decision breaks the chain at that decision."""

from __future__ import annotations

import sqlite3

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.store import open_studio, repo
from app.store.decisions import chain_hash
from app.store.errors import InvalidInput
from tests.store.conftest import draft, image

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FAST
@given(person=st.text(max_size=300), reason=st.one_of(st.none(), st.text(max_size=2100)))
def test_any_text_is_kept_or_refused_cleanly(tmp_path_factory, person, reason):
    path = tmp_path_factory.mktemp("s")
    with open_studio(path) as studio:
        b = repo.create_board(studio, "B")
        shot = repo.add_shots(studio, [draft(b.id)], [image()])[0]
        try:
            d = repo.decide(studio, "hold", person, "stylist", reason=reason, shot_id=shot.id)
        except InvalidInput:
            assert repo.decisions(studio) == []
            assert repo.get_shot(studio, shot.id).status == "new"
        else:
            assert d.person == person.strip() and 0 < len(d.person) <= 200
            assert repo.decisions(studio) == [d]
            assert repo.verify_chain(studio)[0]


FIELDS = ["shot_id", "verdict", "person", "role", "reason", "created_at"]


@FAST
@given(target=st.integers(1, 4), field=st.sampled_from(FIELDS), data=st.data())
def test_any_change_to_a_decision_is_found_at_that_decision(tmp_path_factory, target, field, data):
    path = tmp_path_factory.mktemp("s")
    with open_studio(path) as studio:
        b = repo.create_board(studio, "B")
        shots = repo.add_shots(studio, [draft(b.id)] * 2, [image("red"), image("blue")])
        for i, verb in enumerate(("approve", "hold", "changes", "reject")):
            repo.decide(studio, verb, "Bea", "art-director", reason=f"r{i}", shot_id=shots[i % 2].id)
        before = repo.decisions(studio)[target - 1]
    new = {"shot_id": shots[0].id if before.shot_id != shots[0].id else shots[1].id,
           "verdict": "rejected" if before.verdict != "rejected" else "approved",
           "role": "stylist",
           "person": data.draw(st.text(min_size=1, max_size=20).filter(lambda t: t != "Bea")),
           "reason": data.draw(st.one_of(st.none(), st.text(max_size=20)).filter(lambda t: t != before.reason)),
           "created_at": "2020-01-01T00:00:00.000Z"}[field]
    conn = sqlite3.connect(path / "atelier.db")
    conn.execute("DROP TRIGGER decisions_no_update")
    conn.execute(f"UPDATE decisions SET {field} = ? WHERE id = ?", (new, target))
    conn.commit()
    conn.close()
    with open_studio(path) as studio:
        ok, message = repo.verify_chain(studio)
    assert not ok and message.startswith(f"decision {target}:")


def test_chain_hash_depends_on_every_field_and_the_previous_hash():
    row = dict(id=1, shot_id=2, board_id=None, verdict="hold", person="A", role="stylist",
               reason=None, created_at="t")
    h = chain_hash("0" * 64, row)
    assert chain_hash("1" * 64, row) != h
    for k in row:
        assert chain_hash("0" * 64, {**row, k: "x" if row[k] != "x" else "y"}) != h
