"""The sealed record (app/store/seal.py): what someone with the studio folder and a sqlite3
shell could do, with every plain hash recomputed and the triggers put back, is reported by
`atelier history --verify` (exit 5, naming the record); what Atelier itself does is not."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import shutil
import sqlite3

import pytest

from app.cli import main
from app.store import backups, keys, open_studio, repo, seal
from app.store.decisions import GENESIS, chain_hash
from app.store.errors import StoreError
from tests.store.conftest import draft, image, note

_DCOLS = ("id", "shot_id", "board_id", "verdict", "person", "role", "reason", "created_at")


@pytest.fixture
def filled(studio_dir):
    """Two boards; shots 1-3 on board 1 (2 and 3 made by a note with an edit), shot 4 on
    board 2; five decisions (the fifth on board 1 itself); a talent with a consent."""
    from app.talent import repo as talent_repo

    with open_studio(studio_dir) as s:
        b = repo.create_board(s, "Spring look")
        other = repo.create_board(s, "Autumn")
        first = repo.add_shots(s, [draft(b.id)], [image("red")])[0]
        repo.add_shots(s, [draft(b.id, "(smiling)1.2"), draft(b.id, "(smiling)1.2", seed=43)],
                       [image("blue"), image("green")], note=note(first.id))
        repo.add_shots(s, [draft(other.id, "a linen dress")], [image("white")])
        for shot_id, verdict in ((1, "approve"), (2, "hold"), (2, "approve"), (3, "reject")):
            repo.decide(s, verdict, "Bea", "art-director", reason="because", shot_id=shot_id)
        repo.decide(s, "hold", "Bea", "art-director", board_id=b.id)
        repo.rate(s, 2, 4)  # ratings are not part of the record: no problem
        photo = studio_dir.parent / "mila.png"
        image("tan", (96, 96)).save(photo)
        talent = talent_repo.add_talent(s, "Mila", "Elite", references=[photo])
        talent_repo.grant_consent(s, talent.name, "Acme", "ecommerce", "NL", "2026-01-01", "2027-12-31",
                                  "100", "EUR")
    return studio_dir


def verify(capsys, studio_dir=None):
    argv = (["--studio", str(studio_dir)] if studio_dir else []) + ["history", "--verify"]
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def _triggers(conn):
    return conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()


def tamper(studio_dir, fn, keep_triggers=False):
    """Drop every trigger, run `fn(conn)`, put the same triggers back: a careful forger."""
    conn = sqlite3.connect(studio_dir / "atelier.db", isolation_level=None)
    saved = _triggers(conn)
    conn.execute("BEGIN")
    if not keep_triggers:
        for name, _ in saved:
            conn.execute(f"DROP TRIGGER {name}")
    fn(conn)
    if not keep_triggers:
        for _, sql in saved:
            conn.execute(sql)
    conn.execute("COMMIT")
    conn.close()


def rechain(conn):
    """Recompute the decisions' plain sha256 chain and the statuses, as a forger would."""
    prev = GENESIS
    rows = conn.execute(f"SELECT {', '.join(_DCOLS)} FROM decisions ORDER BY id").fetchall()
    for values in rows:
        row = dict(zip(_DCOLS, values))
        h = chain_hash(prev, row)
        conn.execute("UPDATE decisions SET prev_hash = ?, hash = ? WHERE id = ?", (prev, h, row["id"]))
        prev = h
    conn.execute("UPDATE shots SET status = coalesce((SELECT verdict FROM decisions d WHERE d.shot_id = "
                 "shots.id ORDER BY d.id DESC LIMIT 1), 'new')")
    conn.execute("UPDATE boards SET status = coalesce((SELECT verdict FROM decisions d WHERE d.board_id = "
                 "boards.id ORDER BY d.id DESC LIMIT 1), 'new')")


def _sql(*statements, chain=False):
    def fn(conn):
        for st in statements:
            conn.execute(st)
        if chain:
            rechain(conn)
    return fn


def _renumber(conn):
    conn.execute("DELETE FROM decisions WHERE id = 2")
    conn.execute("UPDATE decisions SET id = id - 1 WHERE id > 2")
    rechain(conn)


def _forge_decision(conn):
    conn.execute("INSERT INTO decisions (id, shot_id, verdict, person, role, reason, created_at, prev_hash, "
                 "hash) VALUES (6, 4, 'approved', 'Mallory', 'art-director', NULL, "
                 "'2026-01-01T00:00:00.000Z', 'x', 'y')")
    rechain(conn)


def _swap_ids(conn):
    conn.execute("UPDATE decisions SET id = 100 WHERE id = 1")
    conn.execute("UPDATE decisions SET id = 1 WHERE id = 2")
    conn.execute("UPDATE decisions SET id = 2 WHERE id = 100")
    rechain(conn)


def _truncate(conn):
    """The last two decisions and their record entries, gone; the rest made consistent."""
    conn.execute("DELETE FROM decisions WHERE id >= 4")
    last = conn.execute("SELECT min(id) FROM record WHERE kind = 'decision' AND ref = 4").fetchone()[0]
    conn.execute("DELETE FROM record WHERE id >= ?", (last,))
    conn.execute("DELETE FROM consents")
    conn.execute("DELETE FROM talent_events")
    conn.execute("DELETE FROM talent_photos")
    conn.execute("DELETE FROM talents")
    rechain(conn)


def _reseal_with(key):
    """Edit a note, then rewrite the whole record's seals with another key."""
    def fn(conn):
        conn.execute("UPDATE notes SET text = 'make her frown' WHERE id = 1")
        row = conn.execute(seal.CONTENT["note"].format(w="WHERE n.id = 1")).fetchone()
        conn.execute("UPDATE record SET digest = ? WHERE kind = 'note' AND ref = 1", (seal.digest(row),))
        prev = GENESIS
        cols = ("id", "kind", "ref", "op", "digest", "detail", "created_at")
        for values in conn.execute(f"SELECT {', '.join(cols)} FROM record ORDER BY id").fetchall():
            mac = seal.entry_mac(key, prev, dict(zip(cols, values)))
            conn.execute("UPDATE record SET prev = ?, mac = ? WHERE id = ?", (prev, mac, values[0]))
            prev = mac
    return fn


def _redigest(kind, ref):
    """After an edit, recompute the record entry's plain digest too (its seal stays)."""
    def fn(conn):
        alias = seal._ALIAS.get(kind, "")
        row = conn.execute(seal.CONTENT[kind].format(w=f"WHERE {alias}id = {ref}")).fetchone()
        conn.execute("UPDATE record SET digest = ? WHERE kind = ? AND ref = ?", (seal.digest(row), kind, ref))
    return fn


def _both(*fns):
    def fn(conn):
        for f in fns:
            f(conn)
    return fn


def _wipe_record(conn):
    """The record emptied and refilled as the migration fills it, unsealed, same studio id:
    opening it must not seal it again (this machine saw it sealed)."""
    detail = conn.execute("SELECT detail FROM record WHERE id = 1").fetchone()[0]
    conn.execute("DELETE FROM record")
    conn.execute("INSERT INTO record (kind, op, detail) VALUES ('studio', 'event', ?)", (detail,))
    for kind, table in seal.migrations.RECORD_KINDS.items():
        conn.execute(f"INSERT INTO record (kind, ref) SELECT '{kind}', id FROM {table}")


def _consent_fee(conn):
    conn.execute("UPDATE consents SET fee = '1' WHERE id = 1")
    from app.talent import chain

    cols = chain.CHAINS["consents"][0]
    row = dict(zip(cols, conn.execute(f"SELECT {', '.join(cols)} FROM consents WHERE id = 1").fetchone()))
    conn.execute("UPDATE consents SET hash = ? WHERE id = 1", (chain.row_hash(GENESIS, "consents", row),))


SCENARIOS = {
    "verdict-changed": (_sql("UPDATE decisions SET verdict = 'rejected' WHERE id = 2", chain=True),
                        "decision 2 was changed"),
    "middle-decision-deleted-and-renumbered": (_renumber, "decision 2 was changed"),
    "forged-decision-appended": (_forge_decision, "decision 6 is not in the record"),
    "last-decisions-deleted": (_sql("DELETE FROM decisions WHERE id >= 4", chain=True),
                               "decision 4 was deleted outside Atelier"),
    "decision-ids-swapped": (_swap_ids, "decision 1 was changed"),
    "board-status-changed": (_sql("UPDATE boards SET status = 'approved' WHERE id = 1"),
                             "board 1: its status 'approved' is not its latest decision"),
    "board-renamed": (_sql("UPDATE boards SET name = 'Winter' WHERE id = 2"), "board 2 was changed"),
    "note-text-edited": (_sql("UPDATE notes SET text = 'make her frown' WHERE id = 1"), "note 1 was changed"),
    "note-author-changed": (_sql("UPDATE people SET name = 'Mallory' WHERE name = 'Anna'"),
                            "note 1 was changed"),
    "edit-weight-changed": (_sql("UPDATE edits SET weight_after = 1.6 WHERE id = 1"), "edit 1 was changed"),
    "shot-prompt-edited": (_sql("UPDATE shots SET prompt = 'a frown' WHERE id = 2"), "shot 2 was changed"),
    "shot-seed-edited": (_sql("UPDATE shots SET seed = 7 WHERE id = 3"), "shot 3 was changed"),
    "shot-pointed-at-another-image": (
        _sql("UPDATE shots SET image = (SELECT image FROM shots WHERE id = 1) WHERE id = 2"),
        "shot 2 was changed"),
    "shot-moved-to-another-board": (_sql("UPDATE shots SET board_id = 2 WHERE id = 1"), "shot 1 was changed"),
    "shot-edited-and-its-digest-recomputed": (
        _both(_sql("UPDATE shots SET seed = 7 WHERE id = 3"), _redigest("shot", 3)),
        "(shot 3): its seal does not match"),
    "shot-deleted": (_sql("DELETE FROM shots WHERE id = 4"), "shot 4 was deleted outside Atelier"),
    "shot-inserted": (_sql("INSERT INTO shots (board_id, brief, prompt, negative, model, model_hash, seed, "
                           "steps, guidance, width, height, image, created_at) SELECT board_id, brief, "
                           "'forged', negative, model, model_hash, 1, steps, guidance, width, height, image, "
                           "created_at FROM shots WHERE id = 1"), "shot 5 is not in the record"),
    "consent-fee-edited-and-rehashed": (_consent_fee, "consent 1 was changed"),
    "talent-marked-forgotten": (_sql("UPDATE talents SET forgotten_at = '2026-01-02' WHERE id = 1"),
                                "talent 1 (Mila): marked forgotten, but the record says it was not"),
    "record-entry-deleted": (_sql("DELETE FROM record WHERE id = 3"), "record entry 4"),
    "record-wiped-and-refilled-unsealed": (_wipe_record, "was never sealed"),
    "record-tail-truncated": (_truncate, "the record ends at entry"),
    "record-rewritten-with-another-key": (_reseal_with(secrets.token_bytes(32)), "its seal does not match"),
}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=list(SCENARIOS))
def test_a_change_made_outside_atelier_fails_verification(filled, capsys, scenario):
    assert verify(capsys)[0] == 0
    fn, says = SCENARIOS[scenario]
    tamper(filled, fn)
    code, out, err = verify(capsys)
    assert code == 5, err
    first = err.splitlines()[0]
    assert first.startswith("atelier: history: verification failed: ") and says in first, err


@pytest.mark.parametrize("change, says", [
    ("DROP TRIGGER record_shots_ai", "the trigger record_shots_ai was removed"),
    ("DROP TRIGGER decisions_no_update; CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions "
     "BEGIN SELECT 1; END", "the trigger decisions_no_update was replaced"),
    ("CREATE TRIGGER sneaky AFTER INSERT ON decisions BEGIN SELECT 1; END", "sneaky was not made by Atelier"),
    ("INSERT INTO decisions (shot_id, verdict, person, role, created_at, prev_hash, hash) VALUES "
     "(4, 'approved', 'Mallory', 'art-director', 'now', 'p', 'h')", "was never sealed"),
])
def test_triggers_are_checked_by_their_sql_and_unsealed_entries_are_named(filled, capsys, change, says):
    conn = sqlite3.connect(filled / "atelier.db")
    conn.executescript(change)
    conn.close()
    code, _, err = verify(capsys)
    assert code == 5 and says in err, err


def test_a_replaced_or_missing_picture_is_named(filled, capsys):
    with open_studio(filled) as s:
        shots = [repo.get_shot(s, i) for i in (1, 2)]
        paths = [s.images.path(x.image) for x in shots]
    image("purple").save(paths[0], format="PNG")  # another valid picture
    code, _, err = verify(capsys)
    assert code == 5 and "shot 1: its picture file was replaced" in err
    os.unlink(paths[1])
    code, _, err = verify(capsys)
    assert code == 5 and "shot 2: its picture file is missing" in err


def test_a_replaced_reference_photo_is_named(filled, capsys):
    from app.talent import repo as talent_repo

    with open_studio(filled) as s:
        [photo] = talent_repo.get_talent(s, "Mila").photos
        path = talent_repo.photo_path(s, photo)
    image("black", (96, 96)).save(path, format="PNG")
    code, _, err = verify(capsys)
    assert code == 5 and "talent photo 1: its file was replaced" in err


def test_another_studios_database_in_this_folder_is_named(filled, capsys, tmp_path):
    other = tmp_path / "other"
    with open_studio(other) as s:
        b = repo.create_board(s, "Spring look")
        repo.add_shots(s, [draft(b.id)], [image("red")])
    assert verify(capsys, other)[0] == 0
    for name in ("atelier.db-wal", "atelier.db-shm"):
        (filled / name).unlink(missing_ok=True)
    with sqlite3.connect(other / "atelier.db") as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(other / "atelier.db", filled / "atelier.db")
    code, _, err = verify(capsys)
    assert code == 5 and "the database was swapped for another studio's" in err


def test_an_old_backup_put_in_place_is_named_but_a_restore_through_atelier_is_not(filled, capsys):
    with open_studio(filled) as s:
        old = s.backup()
        assert backups.tag_of(old) == seal.head(s.conn)[1][:16]  # the head, in the name
        repo.decide(s, "reject", "Bea", "art-director", reason="changed my mind", shot_id=1)
    for name in ("atelier.db-wal", "atelier.db-shm"):
        (filled / name).unlink(missing_ok=True)
    shutil.copy(old, filled / "atelier.db")
    code, _, err = verify(capsys)
    assert code == 5 and "older copy (a backup?)" in err
    backups.restore(filled, old)  # the same, done by Atelier: the record says so
    code, out, err = verify(capsys)
    assert code == 0, err
    with open_studio(filled) as s:
        [(detail,)] = s.conn.execute("SELECT detail FROM record WHERE kind = 'restored'").fetchall()
    assert json.loads(detail)["backup"] == old.name


def test_what_atelier_does_verifies(filled, capsys):
    from app.talent import repo as talent_repo

    with open_studio(filled) as s:
        kids = repo.add_shots(s, [draft(1, "to be undone")], [image("pink")], note=note(1, "undo me"))
        repo.undo_note(s, kids[0].note_id)  # deletes a note, its edits and its shot: recorded
        talent_repo.forget_talent(s, "Mila")  # deletes photos rows, sets forgotten_at
        ok, message, problems = repo.verify_record(s)
    assert ok, problems
    code, out, err = verify(capsys)
    assert code == 0 and out.startswith("verified: the record of") and err == ""


def test_an_upgraded_studio_is_sealed_once_and_says_so(studio_dir, capsys):
    from tests.store.test_db import _v1_studio

    _v1_studio(studio_dir)
    (studio_dir / "images" / "ab").mkdir(parents=True)
    with open(studio_dir / "images" / "ab" / ("ab" * 31 + ".png"), "wb") as fh:
        fh.write(b"not the picture")  # the v1 rows point at image 'abab…'
    with open_studio(studio_dir) as s:
        ok, message, problems = repo.verify_record(s, images=False)
        assert ok, problems
        [(detail,)] = s.conn.execute("SELECT detail FROM record WHERE kind = 'sealed'").fetchall()
    assert json.loads(detail)["existing"] == 6  # 1 board, 2 shots, 1 note, 2 decisions
    assert "were written before this studio's record was sealed" in json.loads(detail)["note"]
    code, _, err = verify(capsys)
    assert code == 5 and "shot 1: its picture file was replaced" in err


def test_without_the_key_nothing_is_added_and_verification_says_why(filled, capsys, config_dir):
    with open_studio(filled) as s:
        ident = s.record.studio_id
    key = keys.key_path(ident)
    key.rename(key.with_suffix(".away"))
    with open_studio(filled) as s:
        with pytest.raises(StoreError, match="record key is not on this machine"):
            repo.decide(s, "approve", "Bea", "art-director", shot_id=4)
        assert repo.rate(s, 4, 2).rating == 2  # what the record does not hold still works
        assert repo.decisions(s, shot_id=4) == []
    code, _, err = verify(capsys)
    assert code == 5 and f"copy the file {ident}.key" in err
    key.with_suffix(".away").rename(key)
    assert verify(capsys)[0] == 0


def test_the_key_lives_in_the_config_folder_not_the_studio(filled, config_dir):
    with open_studio(filled) as s:
        ident = s.record.studio_id
        count, mac = seal.head(s.conn)
    key = keys.key_path(ident)
    assert key.parent.parent == config_dir and oct(key.stat().st_mode & 0o777) == "0o600"
    assert not any(p.name.endswith(".key") for p in filled.rglob("*"))
    head = keys.load_head(filled)
    assert head["studio"] == ident and head["count"] == count and head["mac"] == mac
    # the seal is an HMAC with that key, not a plain hash anyone can recompute
    with sqlite3.connect(filled / "atelier.db") as conn:
        ident_, kind, ref, op, dig, detail, created, prev, mac2 = conn.execute(
            "SELECT id, kind, ref, op, digest, detail, created_at, prev, mac FROM record WHERE id = 2").fetchone()
    body = json.dumps([ident_, kind, ref, op, dig, detail, created], sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False)
    assert mac2 == hmac.new(bytes.fromhex(key.read_text().strip()), (prev + "\n" + body).encode(),
                            hashlib.sha256).hexdigest()


def test_a_blob_where_text_belongs_fails_verification(filled, capsys):
    tamper(filled, _sql("UPDATE shots SET prompt = CAST('a red coat' AS BLOB) WHERE id = 2"))
    code, _, err = verify(capsys)
    assert code == 5 and "shots row 2 holds binary data where text belongs" in err
