"""Faults that must lose nothing: a full disk, a failed restore, a lost or damaged database."""

from __future__ import annotations

import errno
import os
import sqlite3

import pytest

from app.store import backups, open_studio, repo
from app.store.errors import DiskFull, StoreError, StudioDamaged, StudioMissing
from tests.store.conftest import draft, image


def _filled(studio_dir, shots=3):
    with open_studio(studio_dir) as studio:
        board = repo.create_board(studio, "Spring look")
        made = repo.add_shots(studio, [draft(board.id, f"look {i}") for i in range(shots)],
                              [image((i * 60, 10, 10)) for i in range(shots)])
        repo.decide(studio, "approve", "Bea", "art-director", shot_id=made[0].id)
        studio.backup()
    return [s.id for s in made]


def _no_temporaries(folder):
    return [p for p in folder.rglob("*") if p.name.startswith((".tmp-", ".restore-"))]


# --- full disk -----------------------------------------------------------------------------

def test_a_full_disk_on_commit_says_disk_full_and_changes_nothing(studio, board, monkeypatch):
    shot = repo.add_shots(studio, [draft(board.id)], [image()])[0]
    real = studio.conn

    class FullOnCommit:
        def __getattr__(self, name):
            return getattr(real, name)

        def execute(self, sql, *a):
            if sql == "COMMIT":
                exc = sqlite3.OperationalError("database or disk is full")
                exc.sqlite_errorcode = 13  # SQLITE_FULL
                raise exc
            return real.execute(sql, *a)

    monkeypatch.setattr(studio, "conn", FullOnCommit())
    with pytest.raises(DiskFull, match="is full.*Nothing was changed"):
        repo.decide(studio, "approve", "Bea", "art-director", shot_id=shot.id)
    monkeypatch.undo()
    assert repo.decisions(studio) == []
    assert repo.decide(studio, "approve", "Bea", "art-director", shot_id=shot.id).id == 1


def test_an_io_error_at_open_is_not_called_damage(studio_dir, monkeypatch):
    _filled(studio_dir)
    from app.store import db

    def io_error(conn, path):
        exc = sqlite3.OperationalError("disk I/O error")
        exc.sqlite_errorcode = 10 | (15 << 8)  # SQLITE_IOERR_SHMSIZE, what a full tmpfs gives
        raise (db.faults.sqlite_fault(exc, path, "read atelier.db") or exc)

    monkeypatch.setattr(db, "_check", io_error)
    with pytest.raises(StoreError) as caught:
        open_studio(studio_dir)
    assert not isinstance(caught.value, StudioDamaged)
    assert "damaged" not in str(caught.value)
    monkeypatch.setattr("app.store.faults.free_bytes", lambda folder: 4096)
    with pytest.raises(DiskFull):
        open_studio(studio_dir)


def _enospc(*a, **k):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_the_daily_and_the_close_backup_fail_softly_and_leave_no_temporary(studio_dir, monkeypatch):
    _filled(studio_dir)
    for old in backups.list_backups(studio_dir / "backups"):
        os.utime(old, (1, 1))  # a day old: a backup is due on open
    before = backups.list_backups(studio_dir / "backups")
    monkeypatch.setattr("app.store.backups.os.fsync", _enospc)
    studio = open_studio(studio_dir, instance_lock=True)  # opens although the backup failed
    assert "is full" in studio.backup_problem
    assert repo.list_boards(studio)[0].shots == 3
    studio.close()  # the close-time backup fails too, quietly
    assert backups.list_backups(studio_dir / "backups") == before
    assert _no_temporaries(studio_dir) == []


def test_an_explicit_backup_on_a_full_disk_is_disk_full(studio, board, monkeypatch):
    monkeypatch.setattr("app.store.backups.os.fsync", _enospc)
    with pytest.raises(DiskFull):
        studio.backup()
    assert _no_temporaries(studio.path) == []


def test_the_lock_holds_when_its_owner_record_cannot_be_written(studio_dir, monkeypatch):
    from app.store.errors import StudioLocked

    monkeypatch.setattr("app.store.lock.os.write", _enospc)
    with open_studio(studio_dir, instance_lock=True) as studio:
        assert studio._lock.owner_recorded is False
        monkeypatch.undo()
        with pytest.raises(StudioLocked):
            open_studio(studio_dir, instance_lock=True)


# --- restore -----------------------------------------------------------------------------

def _damage(db_file):
    data = bytearray(db_file.read_bytes())
    data[100:4096] = b"\x00garbage" * ((4096 - 100) // 8) + b"\x00" * ((4096 - 100) % 8)
    db_file.write_bytes(bytes(data))


def test_restore_copies_and_verifies_first_and_keeps_the_damaged_file(studio_dir):
    ids = _filled(studio_dir)
    for name in ("atelier.db-wal", "atelier.db-shm"):
        (studio_dir / name).unlink(missing_ok=True)
    _damage(studio_dir / "atelier.db")
    damaged = (studio_dir / "atelier.db").read_bytes()
    with pytest.raises(StudioDamaged) as caught:
        open_studio(studio_dir)
    kept = backups.restore(studio_dir, caught.value.backup)
    assert (kept / "atelier.db").read_bytes() == damaged
    with open_studio(studio_dir) as studio:
        assert [s.id for s in repo.board_page(studio, 1).shots] == sorted(ids, reverse=True)
    assert _no_temporaries(studio_dir) == []


@pytest.mark.parametrize("fail", ["copy", "verify", "swap"])
def test_a_failed_restore_leaves_the_database_in_place(studio_dir, monkeypatch, fail):
    _filled(studio_dir)
    good = backups.newest_good_backup(studio_dir / "backups")
    names = ("atelier.db", "atelier.db-wal", "atelier.db-shm")
    before = {n: (studio_dir / n).read_bytes() for n in names if (studio_dir / n).exists()}
    if fail == "copy":
        real_connect = sqlite3.connect

        def connect(target, *a, **k):
            if str(target).endswith(".restore-atelier.db"):
                raise sqlite3.OperationalError("database or disk is full")
            return real_connect(target, *a, **k)

        monkeypatch.setattr("app.store.backups.sqlite3.connect", connect)
    elif fail == "verify":
        real_good = backups.is_good
        monkeypatch.setattr(backups, "is_good", lambda p: real_good(p) and not str(p).endswith(".restore-atelier.db"))
    else:
        real_replace = os.replace

        def replace(src, dst):
            if str(src).endswith(".restore-atelier.db"):
                raise OSError(errno.ENOSPC, "No space left on device")
            return real_replace(src, dst)

        monkeypatch.setattr("app.store.backups.os.replace", replace)
    with pytest.raises(StoreError):
        backups.restore(studio_dir, good)
    after = {n: (studio_dir / n).read_bytes() for n in names if (studio_dir / n).exists()}
    assert after == before
    assert _no_temporaries(studio_dir) == []
    assert not list(studio_dir.glob("damaged-*"))


# --- a lost database -------------------------------------------------------------------

@pytest.mark.parametrize("how", ["missing", "empty"])
def test_a_lost_database_beside_pictures_is_refused_with_the_backup(studio_dir, how):
    _filled(studio_dir)
    for name in ("atelier.db", "atelier.db-wal", "atelier.db-shm"):
        (studio_dir / name).unlink(missing_ok=True)
    if how == "empty":
        (studio_dir / "atelier.db").write_bytes(b"")
    with pytest.raises(StudioMissing) as caught:
        open_studio(studio_dir)
    assert caught.value.backup == backups.newest_good_backup(studio_dir / "backups")
    assert f"is {how}" in str(caught.value)
    assert not (studio_dir / "atelier.db").exists() or (studio_dir / "atelier.db").stat().st_size == 0
    backups.restore(studio_dir, caught.value.backup)
    with open_studio(studio_dir) as studio:
        assert repo.list_boards(studio)[0].shots == 3


def test_a_lost_database_with_pictures_only_is_refused_too(studio_dir):
    _filled(studio_dir)
    import shutil

    shutil.rmtree(studio_dir / "backups")
    for name in ("atelier.db", "atelier.db-wal", "atelier.db-shm"):
        (studio_dir / name).unlink(missing_ok=True)
    with pytest.raises(StudioMissing, match="holds pictures.*No good backup"):
        open_studio(studio_dir)
    assert not (studio_dir / "atelier.db").exists()


def test_tidy_deletes_nothing_in_a_studio_whose_database_is_lost(studio_dir):
    from tests.store.helpers import atelier

    _filled(studio_dir)
    files = sorted(p for p in (studio_dir / "images").rglob("*") if p.is_file())
    for name in ("atelier.db", "atelier.db-wal", "atelier.db-shm"):
        (studio_dir / name).unlink(missing_ok=True)
    out = atelier("tidy", "--delete", studio=studio_dir)
    assert out.returncode == 1 and "is missing" in out.stderr
    assert sorted(p for p in (studio_dir / "images").rglob("*") if p.is_file()) == files


def test_a_new_folder_is_still_a_new_studio(studio_dir):
    with open_studio(studio_dir) as studio:
        assert repo.list_boards(studio) == []


# --- damage that used to end in internal errors -------------------------------------------

def _raw(studio_dir, *statements):
    conn = sqlite3.connect(studio_dir / "atelier.db", isolation_level=None)
    try:
        for s in statements:
            conn.execute(s)
    finally:
        conn.close()


@pytest.mark.parametrize("statements", [
    ["PRAGMA user_version = -3"],
    ["DROP TRIGGER shots_fts_au", "UPDATE shots SET prompt = CAST('a red coat' AS BLOB) WHERE id = 2"],
    ["UPDATE decisions SET person = X'ff00' WHERE id = 1"] ,
    ["PRAGMA writable_schema = ON",
     "UPDATE sqlite_master SET name = CAST(X'ff41' AS TEXT) WHERE name = 'shots_board'"],
], ids=["negative-version", "blob-prompt", "blob-person", "undecodable-quick-check"])
def test_damage_is_reported_as_damage_with_the_backup(studio_dir, statements):
    from tests.store.helpers import atelier

    _filled(studio_dir)
    triggers = [s for s in statements if "decisions" in s]
    if triggers:
        statements = ["DROP TRIGGER decisions_no_update"] + statements
    _raw(studio_dir, *statements)
    with pytest.raises(StudioDamaged) as caught:
        open_studio(studio_dir)
    assert caught.value.backup is not None and "damaged" in str(caught.value)
    out = atelier("boards", studio=studio_dir)
    assert out.returncode == 1 and "is damaged" in out.stderr and "internal error" not in out.stderr
