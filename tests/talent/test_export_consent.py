"""Exporting a twin shot: the preset's channel must be covered; each file is a ledger line
(with the fee when the consent is paid per export); a revoked consent blocks export."""

import json

import pytest
from PIL import Image

from tests.talent.conftest import LAST_MONTH, NEXT_MONTH

pytest.importorskip("c2pa")


@pytest.fixture
def twin_shot(studio, cli):
    from app.store import repo as store
    from app.store.records import ShotDraft
    from app.talent import enforce, repo

    repo.add_talent(studio, "Mila", "Elite")
    consent = repo.grant_consent(studio, "Mila", "Acme", "ecommerce", "EU", LAST_MONTH, NEXT_MONTH,
                                 "40", "EUR", "export")
    board = store.create_board(studio, "Acme shop")
    repo.set_board_use(studio, board.id, "Acme", "ecommerce", "NL")
    draft = ShotDraft(board_id=board.id, brief={}, prompt="p", negative="", model="demo", model_hash="",
                      seed=1, steps=1, guidance=7.0, width=256, height=256, scheduler=None)
    grant = enforce.authorize(studio, board.id, "Mila")
    (shot,) = store.add_shots(studio, [draft], [Image.new("RGB", (256, 256), (180, 120, 90))],
                              after=enforce.recorder(grant))
    store.decide(studio, "approve", "Ada", "art-director", shot_id=shot.id)
    return shot, consent


def lines(cli):
    code, out, err = cli("ledger", "--json")
    assert code == 0, err
    return json.loads(out)


def test_an_export_to_a_covered_channel_is_ledgered_with_its_fee(cli, twin_shot, tmp_path):
    shot, consent = twin_shot
    code, out, err = cli("export", shot.id, "--preset", "pdp-4x5", "--to", tmp_path / "out", "--json")
    assert code == 0, err
    (f,) = json.loads(out)["files"]
    data = lines(cli)
    assert [(l["event"], l["channel"], l["fee"], l["consent"]) for l in data["lines"]] == [
        ("render", "ecommerce", 0.0, consent.id), ("export", "ecommerce", 40.0, consent.id)]
    assert data["totals"] == {"Mila": {"EUR": 40.0}}
    assert cli("history", "--verify")[0] == 0


def test_an_export_to_a_channel_outside_the_consent_is_refused(cli, twin_shot, tmp_path):
    shot, _ = twin_shot
    code, out, err = cli("export", shot.id, "--preset", "story", "--to", tmp_path / "out")
    assert code == 4 and "does not cover channel social" in err
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
    assert len(lines(cli)["lines"]) == 1


def test_a_revoked_consent_blocks_export_and_marks_the_shot(cli, studio, twin_shot, tmp_path):
    from app.talent import enforce, repo

    shot, consent = twin_shot
    assert enforce.marks(studio, shot.board_id) == {}
    repo.revoke_consent(studio, consent.id, "Elite", "talent", "contract ended")
    assert "contract ended" in enforce.marks(studio, shot.board_id)[shot.id]
    code, _, err = cli("export", shot.id, "--preset", "pdp-4x5", "--to", tmp_path / "out")
    assert code == 4 and "revoked by Elite (talent)" in err


def test_approval_required_blocks_export_until_the_talent_approved(cli, studio, tmp_path):
    from app.store import repo as store
    from app.store.records import ShotDraft
    from app.talent import enforce, repo

    repo.add_talent(studio, "Mila", "Elite")
    repo.grant_consent(studio, "Mila", "Acme", "ecommerce", "EU", LAST_MONTH, NEXT_MONTH, "40", "EUR",
                       approval_required=True)
    board = store.create_board(studio, "Acme shop")
    repo.set_board_use(studio, board.id, "Acme", "ecommerce", "EU")
    draft = ShotDraft(board_id=board.id, brief={}, prompt="p", negative="", model="demo", model_hash="",
                      seed=1, steps=1, guidance=7.0, width=256, height=256, scheduler=None)
    (shot,) = store.add_shots(studio, [draft], [Image.new("RGB", (256, 256))],
                              after=enforce.recorder(enforce.authorize(studio, board.id, "Mila")))
    store.decide(studio, "approve", "Ada", "art-director", shot_id=shot.id)
    code, _, err = cli("export", shot.id, "--preset", "pdp-4x5", "--to", tmp_path / "out")
    assert code == 4 and "approval" in err and "has not approved" in err
