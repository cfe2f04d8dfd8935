"""A studio on a really full disk (a small tmpfs in a private mount namespace): no
"damaged" message, nothing lost, everything back when space returns. Skipped where
`unshare -rm` cannot mount a tmpfs (no user namespaces)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from tests.store.helpers import ROOT

CHILD = r'''
import json, os, sqlite3, subprocess, sys
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from app.store import backups, open_studio, repo
from app.store.errors import DiskFull, StoreError, StudioDamaged
from tests.store.conftest import draft, image

mnt = Path(sys.argv[1]); studio_dir = mnt / "studio"; out = {}
with open_studio(studio_dir) as s:
    b = repo.create_board(s, "Spring")
    shots = repo.add_shots(s, [draft(b.id, f"look {i}") for i in range(4)],
                           [image((i * 50, 20, 20), (256, 256)) for i in range(4)])
    repo.decide(s, "approve", "Bea", "art-director", shot_id=shots[0].id)
    s.backup()
for old in backups.list_backups(studio_dir / "backups"):
    os.utime(old, (1, 1))  # a daily backup is due at the next open
good = backups.newest_good_backup(studio_dir / "backups")
db_before = (studio_dir / "atelier.db").read_bytes()
window = open_studio(studio_dir, instance_lock=True)  # the window is open when the disk fills
filler = mnt / "filler"
with open(filler, "wb", buffering=0) as fh:  # fill the disk to the last byte
    try:
        while True:
            fh.write(b"\0" * 65536)
    except OSError:
        pass
    for size in (4096, 512, 1):
        try:
            while True:
                fh.write(b"\0" * size)
        except OSError:
            pass

def attempt(name, fn):
    try:
        fn(); out[name] = "ok"
    except StudioDamaged as exc:
        out[name] = "DAMAGED: " + str(exc)
    except DiskFull as exc:
        out[name] = "disk full"
    except StoreError as exc:
        out[name] = "store error: " + str(exc)
    except Exception as exc:
        out[name] = f"CRASH {type(exc).__name__}: {exc}"

def window_session():
    s = window
    try:
        out["pages"] = repo.board_page(s, 1).total
        attempt("decide", lambda: repo.decide(s, "reject", "Bea", "art-director", shot_id=shots[1].id))
        attempt("add_shots", lambda: repo.add_shots(s, [draft(1, "new")], [image("blue", (256, 256))]))
        attempt("board", lambda: repo.create_board(s, "Autumn"))
        attempt("backup", s.backup)
    finally:
        s.close()  # its close-time backup fails softly
    out["close_backup"] = "is full" in (s.backup_problem or "")

window_session()
attempt("open", lambda: open_studio(studio_dir, instance_lock=True).close())
attempt("restore", lambda: backups.restore(studio_dir, good))
cli = subprocess.run([sys.executable, "-m", "app", "--studio", str(studio_dir), "decide", str(shots[2].id),
                      "approve", "--by", "Bea", "--role", "art-director"], capture_output=True, text=True,
                     cwd=sys.argv[2], env={**os.environ, "PYTHONPATH": sys.argv[2]})
out["cli"] = [cli.returncode, cli.stderr.strip()]
out["db_kept"] = (studio_dir / "atelier.db").exists()
out["temporaries"] = [str(p) for p in studio_dir.rglob("*") if p.name.startswith((".tmp-", ".restore-"))]
filler.unlink()  # space returns
with open_studio(studio_dir, instance_lock=True) as s:
    out["after_shots"] = repo.board_page(s, 1).total
    out["after_decisions"] = len(repo.decisions(s))
    repo.decide(s, "reject", "Bea", "art-director", shot_id=shots[1].id)
    out["verified"] = repo.verify_chain(s)[0]
    out["after_backup"] = s.backup_problem
print(json.dumps(out))
'''


def _namespace_ok() -> bool:
    if sys.platform != "linux" or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /mnt 2>/dev/null "
                            "|| mount -t tmpfs -o size=1m tmpfs /tmp"], capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not _namespace_ok(), reason="cannot mount a tmpfs in a user namespace here")
def test_a_full_tmpfs_loses_nothing_and_recovers(tmp_path):
    mnt = tmp_path / "small"
    mnt.mkdir()
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    run = subprocess.run(["unshare", "-rm", "sh", "-c",
                          f'mount -t tmpfs -o size=3m tmpfs "{mnt}" && exec "{sys.executable}" "{script}" "{mnt}" "{ROOT}"'],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    out = json.loads(run.stdout.strip().splitlines()[-1])
    text = json.dumps(out)
    print(text)
    assert "DAMAGED" not in text and "CRASH" not in text and "damaged" not in text, out
    assert out["decide"] == "disk full" and out["add_shots"] == "disk full", out
    assert out["board"] == "disk full" and out["backup"] == "disk full", out
    assert out["close_backup"] and out["open"] in ("ok", "disk full"), out
    assert out["pages"] == 4
    assert out["restore"] != "ok" and out["db_kept"], out  # a restore that cannot fit changes nothing
    assert out["cli"][0] == 1 and "is full" in out["cli"][1], out
    assert out["temporaries"] == []
    assert out["after_shots"] == 4 and out["after_decisions"] == 1 and out["verified"]
    assert out["after_backup"] is None
