"""Two instances: one window per studio; a crashed window's lock is recovered;
command-line writers wait for each other instead of failing."""

from __future__ import annotations

import os
import signal

import pytest

from app.store import open_studio, repo
from app.store.errors import StudioLocked
from tests.store.conftest import draft, image
from tests.store.helpers import child

HOLD = """
import sys, time
from app.store import open_studio
s = open_studio(sys.argv[1], instance_lock=True)
print("locked", flush=True)
time.sleep(60)
"""


def test_a_second_window_is_refused_naming_the_first(studio_dir):
    with open_studio(studio_dir, instance_lock=True):
        with pytest.raises(StudioLocked) as err:
            open_studio(studio_dir, instance_lock=True)
        assert err.value.owner["pid"] == os.getpid()
        assert f"pid {os.getpid()}" in str(err.value) and "read-only" in str(err.value)
        with open_studio(studio_dir, read_only=True) as ro:  # the offered way out
            assert ro.read_only
    with open_studio(studio_dir, instance_lock=True):  # released on close
        pass


def test_a_lock_left_by_a_killed_window_is_recovered(studio_dir):
    open_studio(studio_dir).close()
    proc = child(HOLD, studio_dir)
    try:
        assert proc.stdout.readline().strip() == "locked"
        with pytest.raises(StudioLocked) as err:
            open_studio(studio_dir, instance_lock=True)
        assert err.value.owner["pid"] == proc.pid
        # a command-line process may still write: it does not take the instance lock
        with open_studio(studio_dir) as cli:
            repo.create_board(cli, "From the command line")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    with open_studio(studio_dir, instance_lock=True) as studio:
        assert [b.name for b in repo.list_boards(studio)] == ["From the command line"]


WRITER = """
import sys
from app.store import open_studio, repo
with open_studio(sys.argv[1]) as s:
    for i in range(int(sys.argv[2])):
        repo.decide(s, "hold", sys.argv[3], "photographer", shot_id=1)
print("done", flush=True)
"""


def test_concurrent_writers_wait_for_each_other(studio_dir):
    with open_studio(studio_dir, instance_lock=True) as window:
        b = repo.create_board(window, "B")
        repo.add_shots(window, [draft(b.id)], [image()])
        procs = [child(WRITER, studio_dir, 40, f"p{i}") for i in range(2)]
        for _ in range(40):
            repo.decide(window, "changes", "Anna", "stylist", shot_id=1)
        for p in procs:
            out, err = p.communicate(timeout=60)
            assert p.returncode == 0, err
        assert len(repo.decisions(window, shot_id=1)) == 120
        assert repo.verify_chain(window) == (True, "the chain of 120 decisions is intact")


def test_a_command_waits_for_another_writer_instead_of_failing(studio_dir):
    import sqlite3
    import threading

    from tests.store.helpers import atelier

    with open_studio(studio_dir) as s:
        b = repo.create_board(s, "B")
        repo.add_shots(s, [draft(b.id)], [image()])
    other = sqlite3.connect(studio_dir / "atelier.db", isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # another process is in the middle of a write
    release = threading.Timer(1.5, lambda: other.execute("COMMIT"))
    release.start()
    try:
        res = atelier("decide", "1", "hold", "--by", "Cor", "--role", "photographer", studio=studio_dir)
    finally:
        release.join()
        other.close()
    assert res.returncode == 0, res.stderr
    with open_studio(studio_dir) as s:
        assert [d.person for d in repo.decisions(s, shot_id=1)] == ["Cor"]
