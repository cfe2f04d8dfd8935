"""Decisions survive a process killed at any moment.

A child writes decisions (and now and then a shot with its image and note) and reports
each one on stdout once it is committed. The parent kills it with SIGKILL at random
moments. After every kill the database passes `PRAGMA integrity_check`, holds every
reported decision and shot (with its image file), and the command line agrees.
"""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import sys
import time

import pytest

from app.store import open_studio, repo
from tests.store.conftest import draft, image
from tests.store.helpers import atelier, child

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

ROUNDS = 20

CHILD = """
import sys
from PIL import Image
from app.store import open_studio, repo
from app.store.records import NoteDraft, ShotDraft
studio = open_studio(sys.argv[1])
n = int(sys.argv[2])
print("ready", flush=True)
i = 0
while True:
    i += 1
    if i % 7 == 0:
        note = NoteDraft(1, f"round {n} note {i}", "en", "Anna", "stylist",
                         [dict(slot="hair", op="add", term="bun", weight_before=0.0, weight_after=1.0)])
        d = ShotDraft(1, {}, f"round {n} shot {i}", "", "demo", "", i, 20, 7.5, 32, 32, None)
        [s] = repo.add_shots(studio, [d], [Image.new("RGB", (32, 32), (n, i % 256, 7))], note=note)
        print("shot", s.id, flush=True)
    else:
        d = repo.decide(studio, ("approve", "reject", "hold", "changes")[i % 4], "Bea",
                        "art-director", reason=f"round {n} #{i}", shot_id=1)
        print("decision", d.id, flush=True)
"""


def test_sigkill_at_random_moments_loses_no_reported_decision(studio_dir):
    with open_studio(studio_dir) as studio:
        b = repo.create_board(studio, "Kill board")
        repo.add_shots(studio, [draft(b.id)], [image()])
    rng = random.Random(20261123)
    decisions, shots = set(), set()
    for n in range(ROUNDS):
        proc = child(CHILD, studio_dir, n)
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
        time.sleep(rng.uniform(0.0, 0.25))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        assert proc.returncode == -signal.SIGKILL
        for line in out.splitlines(keepends=True):
            if line.endswith("\n"):  # a complete report: it was committed before it was printed
                kind, ident = line.split()
                (decisions if kind == "decision" else shots).add(int(ident))

        conn = sqlite3.connect(studio_dir / "atelier.db")
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        have = {r[0] for r in conn.execute("SELECT id FROM decisions")}
        assert decisions <= have, f"round {n}: lost {sorted(decisions - have)}"
        images = dict(conn.execute("SELECT id, image FROM shots"))
        conn.close()
        assert shots <= set(images)
        with open_studio(studio_dir) as studio:
            assert repo.verify_chain(studio)[0]
            for shot_id, digest in images.items():  # never a row without its files
                assert studio.images.path(digest).exists() and studio.images.thumb_path(digest).exists()
        # and from outside, with the command line
        res = atelier("history", "--shot", "1", "--json", "--verify", studio=studio_dir)
        assert res.returncode == 0, res.stderr
        assert decisions <= {d["id"] for d in json.loads(res.stdout)["decisions"]}
    assert len(decisions) > ROUNDS  # the kills did land while decisions were being written
