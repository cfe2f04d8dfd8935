"""Opening a studio: settings, migrations, integrity check, backups."""

from __future__ import annotations

import os
import sqlite3
import time

import pytest

from app.store import backups, migrations, open_studio, repo
from app.store.decisions import GENESIS, chain_hash
from app.store.errors import StoreError, StudioDamaged
from tests.store.conftest import draft, image


def test_connection_settings(studio):
    q = lambda p: studio.conn.execute(f"PRAGMA {p}").fetchone()[0]  # noqa: E731
    assert q("journal_mode") == "wal"
    assert q("synchronous") == 2  # FULL
    assert q("foreign_keys") == 1
    assert q("busy_timeout") >= 5000
    assert q("user_version") == migrations.LATEST


def _v1_studio(path):
    """A studio as the first schema version left it, with a board, shots, a note and decisions."""
    path.mkdir(parents=True)
    conn = sqlite3.connect(path / "atelier.db", isolation_level=None)
    migrations.migrate(conn, target=1)
    x = conn.execute
    x("INSERT INTO boards (id, name, created_at) VALUES (1, 'Old board', '2025-01-01T00:00:00Z')")
    x("INSERT INTO people (id, name, role) VALUES (1, 'Anna', 'stylist'), (2, 'Bea', 'art-director')")
    for i in (1, 2):
        x("INSERT INTO shots (id, board_id, parent_id, note_id, brief, prompt, negative, model, model_hash,"
          " seed, steps, guidance, width, height, scheduler, image, created_at) VALUES"
          f" ({i}, 1, {'NULL' if i == 1 else 1}, NULL, '{{}}', 'a model in a velvet dress', '', 'demo', '',"
          f" 1, 20, 7.5, 64, 64, NULL, '{'ab' * 32}', '2025-01-01T00:00:00Z')")
    x("INSERT INTO notes (id, shot_id, text, language, person_id, created_at)"
      " VALUES (1, 1, 'maak het haar wat luchtiger', 'nl', 1, '2025-01-01T00:00:00Z')")
    x("UPDATE shots SET note_id = 1 WHERE id = 2")
    prev = GENESIS
    for i in (1, 2):
        row = dict(id=i, shot_id=2, board_id=None, verdict="approved", person="Bea",
                   role="art-director", reason=None, created_at="2025-01-01T00:00:00Z")
        h = chain_hash(prev, row)
        x("INSERT INTO decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (*row.values(), prev, h))
        prev = h
    x("UPDATE shots SET status = 'approved' WHERE id = 2")
    conn.close()


def test_a_populated_v1_studio_is_upgraded_and_backed_up_first(studio_dir):
    _v1_studio(studio_dir)
    with open_studio(studio_dir) as studio:
        assert studio.conn.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST
        assert [s.id for s in repo.search(studio, "luchtiger")] == [2, 1]  # FTS filled from old rows
        assert [s.id for s in repo.search(studio, "velvet")] == [2, 1]
        assert repo.rate(studio, 2, 3).rating == 3  # v2's column
        assert repo.verify_chain(studio)[0]
        assert repo.get_shot(studio, 2).status == "approved"
        assert [n.text for n in repo.lineage(studio, 2).notes] == ["maak het haar wat luchtiger"]
    [old] = backups.list_backups(studio_dir / "backups")
    conn = sqlite3.connect(old)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()


def test_a_failing_migration_leaves_the_database_as_it_was(studio_dir):
    _v1_studio(studio_dir)
    conn = sqlite3.connect(studio_dir / "atelier.db", isolation_level=None)
    schema = conn.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()
    broken = [migrations.V1, migrations.V2[:4] + ["CREATE TABLE oops ("]]
    with pytest.raises(sqlite3.Error):
        migrations.migrate(conn, migrations=broken)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert conn.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall() == schema
    assert conn.execute("SELECT COUNT(*) FROM decisions").fetchone()[0] == 2
    conn.close()


def test_a_failing_upgrade_through_open_studio_is_undone(studio_dir, monkeypatch):
    with open_studio(studio_dir) as studio:
        repo.create_board(studio, "Kept")
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS + [["ALTER TABLE nope ADD x"]])
    monkeypatch.setattr(migrations, "LATEST", len(migrations.MIGRATIONS))
    with pytest.raises(StoreError, match="failed and was undone"):
        open_studio(studio_dir)
    monkeypatch.undo()
    with open_studio(studio_dir) as studio:
        assert [b.name for b in repo.list_boards(studio)] == ["Kept"]


def test_a_studio_from_a_newer_atelier_is_refused(studio_dir):
    open_studio(studio_dir).close()
    conn = sqlite3.connect(studio_dir / "atelier.db")
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(StoreError, match="newer Atelier"):
        open_studio(studio_dir)


@pytest.mark.parametrize("where", ["header", "pages"])
def test_a_damaged_database_is_reported_untouched_with_the_newest_good_backup(studio_dir, where):
    with open_studio(studio_dir) as studio:
        b = repo.create_board(studio, "Precious")
        repo.add_shots(studio, [draft(b.id, f"p{i}") for i in range(30)], [image((i, 0, 0)) for i in range(30)])
        good = studio.backup()
    db = studio_dir / "atelier.db"
    data = bytearray(db.read_bytes())
    if where == "header":
        data[0:100] = b"\xde\xad" * 50
    else:  # wreck the b-tree pages after the first
        for page in range(1, len(data) // 4096):
            data[page * 4096 + 8: page * 4096 + 200] = os.urandom(192)
    db.write_bytes(bytes(data))
    with pytest.raises(StudioDamaged) as err:
        open_studio(studio_dir)
    assert err.value.backup == good and str(good) in str(err.value)
    assert db.read_bytes() == bytes(data)  # never overwritten
    assert backups.is_good(good)


def test_backups_keep_the_newest_and_are_taken_daily_and_on_close(studio_dir):
    folder = studio_dir / "backups"
    with open_studio(studio_dir, backup_keep=3) as studio:
        repo.create_board(studio, "B")
        made = [studio.backup() for _ in range(5)]
    assert backups.list_backups(folder) == made[:-3 - 1:-1]  # the 3 newest, newest first
    with open_studio(studio_dir, backup_keep=3):
        pass  # the newest backup is fresh: no daily backup, no backup on close for commands
    assert len(backups.list_backups(folder)) == 3 and backups.list_backups(folder)[0] == made[-1]
    old = time.time() - 25 * 3600
    for p in backups.list_backups(folder):
        os.utime(p, (old, old))
    with open_studio(studio_dir, backup_keep=3):
        pass
    assert backups.list_backups(folder)[0] not in made  # a day later: a new one
    with open_studio(studio_dir, backup_keep=3, instance_lock=True) as studio:
        latest = backups.list_backups(folder)[0]
    assert backups.list_backups(folder)[0] != latest  # the window backs up on close
    assert all(backups.is_good(p) for p in backups.list_backups(folder))


def test_read_only_studio_reads_but_never_writes(studio_dir):
    with open_studio(studio_dir) as studio:
        repo.create_board(studio, "B")
    with open_studio(studio_dir, read_only=True) as ro:
        assert [b.name for b in repo.list_boards(ro)] == ["B"]
        with pytest.raises(StoreError, match="read-only"):
            repo.create_board(ro, "C")
    with pytest.raises(StoreError, match="no studio"):
        open_studio(studio_dir.parent / "elsewhere", read_only=True)


def test_a_damaged_studio_is_restored_from_its_backup_and_the_damaged_file_kept(studio_dir):
    with open_studio(studio_dir) as studio:
        b = repo.create_board(studio, "Precious")
        repo.add_shots(studio, [draft(b.id, f"p{i}") for i in range(5)], [image((i, 0, 0)) for i in range(5)])
        good = studio.backup()
    db = studio_dir / "atelier.db"
    wrecked = b"\xde\xad" * 50 + db.read_bytes()[100:]
    db.write_bytes(wrecked)
    with pytest.raises(StudioDamaged) as err:
        open_studio(studio_dir)
    kept = backups.restore(studio_dir, err.value.backup)
    assert (kept / "atelier.db").read_bytes() == wrecked  # kept for examination, not deleted
    with open_studio(studio_dir) as studio:
        assert [s.name for s in repo.list_boards(studio)] == ["Precious"]
        assert repo.board_page(studio, b.id).total == 5
    assert backups.is_good(good)


def test_restore_refuses_a_backup_that_is_itself_damaged(studio_dir, tmp_path):
    with open_studio(studio_dir):
        pass
    bad = tmp_path / "atelier-bad.db"
    bad.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreError, match="not a good backup"):
        backups.restore(studio_dir, bad)
    with open_studio(studio_dir):  # the studio itself was not touched
        pass
