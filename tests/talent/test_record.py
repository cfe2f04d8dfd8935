"""The talent record: talents and their files, forgetting, and tamper evidence."""

import json
import sqlite3
import struct

import pytest

from app.store.errors import InvalidInput
from app.talent import chain, repo
from tests.talent.conftest import LAST_MONTH, NEXT_MONTH


def safetensors_file(path, metadata=None):
    header = {"lora_up.weight": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}
    if metadata:
        header["__metadata__"] = metadata
    raw = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + b"\0\0\0\0")
    return path


def test_talent_files_are_copied_in_content_addressed_and_forget_erases_them(studio, tmp_path, astronaut):
    adapter = safetensors_file(tmp_path / "mila.safetensors", {"modelspec.trigger_phrase": "m1la woman"})
    t = repo.add_talent(studio, "Mila", "Elite", [astronaut, astronaut], adapter)
    assert t.trigger_word == "m1la woman" and len(t.photos) == 1  # the same photo twice is one
    import hashlib

    assert t.adapter == hashlib.sha256(adapter.read_bytes()).hexdigest()
    photo = repo.photo_path(studio, t.photos[0])
    assert photo.read_bytes() == astronaut.read_bytes() and photo.is_relative_to(studio.path)
    kept = repo.adapter_path(studio, t)
    assert kept.read_bytes() == adapter.read_bytes()
    consent = repo.grant_consent(studio, "Mila", "Acme", "ecommerce", "EU", LAST_MONTH, NEXT_MONTH, "10", "EUR")

    gone = repo.forget_talent(studio, "mila")
    assert gone.forgotten_at and gone.photos == () and gone.adapter == t.adapter  # the hash is kept
    assert not photo.exists() and not kept.exists() and adapter.exists()  # the original is not ours
    assert repo.adapter_path(studio, gone) is None
    assert repo.get_consent(studio, consent.id).talent == "Mila"  # the record stays
    events = repo.talent_events(studio, t.id)
    assert [e["event"] for e in events] == ["added", "forgotten"]
    assert events[1]["detail"]["photos_erased"] == [t.photos[0].hash]
    with pytest.raises(InvalidInput, match="already forgotten"):
        repo.forget_talent(studio, "Mila")
    assert repo.verify(studio)[0]


def test_bad_talent_input_writes_nothing(studio, tmp_path, astronaut):
    pickle_file = tmp_path / "twin.ckpt"
    pickle_file.write_bytes(b"\x80\x04junk")
    with pytest.raises(InvalidInput, match="pickle"):
        repo.add_talent(studio, "A", "Elite", [astronaut], pickle_file)
    disguised = tmp_path / "twin.safetensors"
    disguised.write_bytes(b"\x80\x04" + b"x" * 64)
    with pytest.raises(InvalidInput, match="pickle or zip"):
        repo.add_talent(studio, "A", "Elite", [astronaut], disguised)
    text = tmp_path / "not-a-photo.png"
    text.write_text("hello")
    with pytest.raises(InvalidInput, match="not a picture"):
        repo.add_talent(studio, "A", "Elite", [text])
    assert repo.list_talents(studio) == []
    assert not (studio.path / "talent" / "adapters").exists() or not any((studio.path / "talent" / "adapters").iterdir())
    repo.add_talent(studio, "A", "Elite")
    with pytest.raises(InvalidInput, match="already exists"):
        repo.add_talent(studio, "a", "Other")


def _tamper(studio, table, sql, params=(), rehash=False):
    """Edit a row with the trigger out of the way, optionally recomputing its plain hash."""
    conn = sqlite3.connect(studio.path / "atelier.db")
    conn.execute(f"DROP TRIGGER {table}_no_update")
    conn.execute(sql, params)
    if rehash:
        cols = chain.CHAINS[table][0]
        for row in conn.execute(f"SELECT {', '.join(cols)}, prev_hash FROM {table} ORDER BY id").fetchall():
            d = dict(zip(cols, row))
            conn.execute(f"UPDATE {table} SET hash = ? WHERE id = ?", (chain.row_hash(row[-1], table, d), d["id"]))
    conn.execute(f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
          BEGIN SELECT RAISE(ABORT, '{table} are append-only'); END""")
    conn.commit()
    conn.close()


@pytest.fixture
def recorded(studio):
    from app.store import repo as store
    from app.store.records import ShotDraft
    from app.talent import enforce
    from PIL import Image

    repo.add_talent(studio, "Mila", "Elite")
    c = repo.grant_consent(studio, "Mila", "Acme", "ecommerce", "EU", LAST_MONTH, NEXT_MONTH, "25", "EUR", "render")
    b = store.create_board(studio, "Shop")
    repo.set_board_use(studio, b.id, "Acme", "ecommerce", "NL")
    grant = enforce.authorize(studio, b.id, "Mila")
    draft = ShotDraft(board_id=b.id, brief={}, prompt="p", negative="", model="demo", model_hash="", seed=1,
                      steps=1, guidance=7.0, width=64, height=64, scheduler=None)
    store.add_shots(studio, [draft], [Image.new("RGB", (64, 64))], after=enforce.recorder(grant))
    assert repo.verify(studio)[0]
    return c


def test_a_ledger_fee_rehashed_is_still_caught_against_its_consent(studio, recorded):
    _tamper(studio, "ledger", "UPDATE ledger SET fee = '2.50'", rehash=True)
    ok, message = repo.verify(studio)
    assert not ok and "ledger line 1" in message and "not what its consent makes due" in message


@pytest.mark.parametrize("table, sql, expected", [
    ("consents", "UPDATE consents SET fee = '250.00'", "consent 1: its content was changed"),
    ("consents", "UPDATE consents SET valid_until = '2099-12-31'", "consent 1: its content was changed"),
    ("board_uses", "UPDATE board_uses SET territories = '[\"WORLD\"]'", "board use 1"),
    ("ledger", "UPDATE ledger SET currency = 'USD'", "ledger line 1"),
])
def test_edits_to_the_record_are_caught(studio, recorded, table, sql, expected):
    _tamper(studio, table, sql)
    ok, message = repo.verify(studio)
    assert not ok and expected in message


def test_a_removed_revocation_and_a_replaced_trigger_are_caught(studio, recorded):
    repo.revoke_consent(studio, recorded.id, "Mila", "talent", "no more")
    assert repo.verify(studio)[0]
    conn = sqlite3.connect(studio.path / "atelier.db")
    conn.execute("DROP TRIGGER revocations_no_delete")
    conn.execute("DELETE FROM revocations")
    conn.execute("CREATE TRIGGER revocations_no_delete BEFORE DELETE ON revocations BEGIN SELECT 1; END")
    conn.commit()
    conn.close()
    ok, message = repo.verify(studio)
    assert not ok and "revocations_no_delete" in message


def test_a_revocation_during_the_render_stores_nothing(studio):
    """The consent is checked again inside the transaction that keeps the shots."""
    from app.store import repo as store
    from app.store.errors import RuleViolation
    from app.store.records import ShotDraft
    from app.talent import enforce
    from PIL import Image

    repo.add_talent(studio, "Mila", "Elite")
    c = repo.grant_consent(studio, "Mila", "Acme", "ecommerce", "EU", LAST_MONTH, NEXT_MONTH, "25", "EUR")
    b = store.create_board(studio, "Shop")
    repo.set_board_use(studio, b.id, "Acme", "ecommerce", "EU")
    grant = enforce.authorize(studio, b.id, "Mila")
    repo.revoke_consent(studio, c.id, "Mila", "talent", "changed my mind")
    draft = ShotDraft(board_id=b.id, brief={}, prompt="p", negative="", model="demo", model_hash="", seed=1,
                      steps=1, guidance=7.0, width=64, height=64, scheduler=None)
    with pytest.raises(RuleViolation, match="changed my mind"):
        store.add_shots(studio, [draft], [Image.new("RGB", (64, 64))], after=enforce.recorder(grant))
    assert store.board_page(studio, b.id).total == 0
