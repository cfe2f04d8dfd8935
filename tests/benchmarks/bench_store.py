"""Store benchmark: a studio with 10,000 shots and 100,000 decisions.

    python tests/benchmarks/bench_store.py --json [--studio DIR] [--shots N] [--decisions N]

Rows are inserted in bulk (all shots share one image file); then the repository API is
timed as the window uses it: the first page of the biggest board (200 shots with counts
by status), the lineage of a shot 50 generations deep, and a full-text search. Prints
medians in milliseconds, and the time `history --verify` takes over the whole sealed record
(`verify_record_ms`: every entry's HMAC, every row's digest, triggers, the picture file).
Not collected by pytest.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PIL import Image  # noqa: E402

from app.store import open_studio, repo  # noqa: E402
from app.store.decisions import GENESIS, chain_hash  # noqa: E402

WORDS = ("red coat, white shirt, linen dress, velvet blazer, denim jacket, silk scarf, "
         "studio light, golden hour, soft shadows, plain white background, city street, "
         "hair up in a bun, loose curls, natural makeup, bold lips, smiling, serious, "
         "looking at camera, three-quarter view, full body, close-up, pastel colors").split(", ")
NOTES = ("smile a bit more", "lach iets meer", "maak het haar wat luchtiger", "less contrast",
         "warmer light please", "make the background plain white", "a bit more serious",
         "meer zachte schaduwen", "turn her slightly to the left", "way more volume in the hair")
VERDICTS = ("approved", "rejected", "hold", "changes-requested")
DEPTH = 50
# A brief as core stores it (Brief.to_dict()): slots of weighted terms, and the negative terms.
BRIEF = json.dumps({"slots": {slot: [{"text": t, "weight": 1.1}] for slot, t in (
    ("subject", "a model"), ("garment", "red coat"), ("expression", "smiling"),
    ("hair", "hair up in a bun"), ("lighting", "studio light"), ("background", "plain white background"),
    ("framing", "full body"), ("quality", "high detail"))}, "negative": [{"text": "blurry", "weight": 1.0}]})


def fill(studio, n_shots: int, n_decisions: int, rng: random.Random) -> int:
    """Bulk-insert boards, people, notes, shots and chained decisions; returns the deep shot."""
    digest, _ = studio.images.put(Image.new("RGB", (512, 512), (180, 40, 60)), {"bench": True})
    now = "2026-01-01T00:00:00.000Z"
    boards = [repo.create_board(studio, f"Board {i}").id for i in range(5)]
    weights = [6, 1, 1, 1, 1]
    with studio.transaction() as conn:
        conn.execute("INSERT INTO people (id, name, role) VALUES (1, 'Anna', 'stylist'), "
                     "(2, 'Bea', 'art-director'), (3, 'Cor', 'photographer')")
        shots, notes = [], []
        board_of = {}
        for sid in range(1, n_shots + 1):
            if sid <= DEPTH:  # one chain 50 generations deep, each step made by a note
                board, parent = boards[0], (sid - 1 or None)
            else:
                board = rng.choices(boards, weights)[0]
                same = [s for s in (rng.randint(1, sid - 1) for _ in range(3)) if board_of[s] == board]
                parent = same[0] if same and rng.random() < 0.8 else None
            board_of[sid] = board
            note_id = None
            if parent is not None:
                note_id = len(notes) + 1
                notes.append((note_id, parent, rng.choice(NOTES), "en", rng.choice((1, 3)), now))
            prompt = ", ".join(rng.sample(WORDS, 6))
            shots.append((sid, board, parent, note_id, BRIEF, prompt, "blurry, lowres", "demo", "",
                          rng.randrange(2**31), 20, 7.5, 512, 512, None, digest, now))
        # notes refer to shots and shots to notes: insert shots without note_id, then link
        conn.executemany("INSERT INTO shots (id, board_id, parent_id, note_id, brief, prompt, negative, "
                         "model, model_hash, seed, steps, guidance, width, height, scheduler, image, "
                         "created_at) VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         [s[:3] + s[4:] for s in shots])
        conn.executemany("INSERT INTO notes (id, shot_id, text, language, person_id, created_at) "
                         "VALUES (?, ?, ?, ?, ?, ?)", notes)
        conn.executemany("INSERT INTO edits (note_id, slot, op, term, weight_before, weight_after) "
                         "VALUES (?, 'expression', 'increase', 'smiling', 1.0, 1.1)", [(n[0],) for n in notes])
        conn.executemany("UPDATE shots SET note_id = ? WHERE id = ?", [(s[3], s[0]) for s in shots if s[3]])
        prev, rows, status = GENESIS, [], {}
        for did in range(1, n_decisions + 1):
            sid = rng.randint(1, n_shots)
            role = rng.choice(("stylist", "art-director", "photographer"))
            row = dict(id=did, shot_id=sid, board_id=None, verdict=rng.choice(VERDICTS),
                       person={"stylist": "Anna", "art-director": "Bea", "photographer": "Cor"}[role],
                       role=role, reason=rng.choice((None, "looks right", "not on brief")), created_at=now)
            h = chain_hash(prev, row)
            rows.append((*row.values(), prev, h))
            status[sid] = row["verdict"]
            prev = h
        conn.executemany("INSERT INTO decisions (id, shot_id, board_id, verdict, person, role, reason, "
                         "created_at, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        conn.executemany("UPDATE shots SET status = ? WHERE id = ?", [(v, k) for k, v in status.items()])
    studio.conn.execute("ANALYZE")
    studio.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return DEPTH


def _verified(result):
    assert result[0], result[1]  # the whole sealed record, pictures included
    return result


def median_ms(fn, runs: int = 31) -> float:
    fn()  # warm the page cache, as a window that already shows the board has
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return round(statistics.median(times), 2)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--studio", help="fill this (new) folder instead of a temporary one")
    ap.add_argument("--shots", type=int, default=10_000)
    ap.add_argument("--decisions", type=int, default=100_000)
    args = ap.parse_args()
    tmp = None if args.studio else tempfile.TemporaryDirectory(prefix="atelier-bench-")
    path = Path(args.studio or tmp.name) / "studio"
    rng = random.Random(7)
    t0 = time.perf_counter()
    with open_studio(path) as studio:
        deep = fill(studio, args.shots, args.decisions, rng)
    fill_s = time.perf_counter() - t0
    t = time.perf_counter()
    studio = open_studio(path)  # includes quick_check (and the first daily backup)
    open_ms = (time.perf_counter() - t) * 1000
    with studio:
        page = repo.board_page(studio, "Board 0", 0, 200)
        assert len(page.shots) == 200 and sum(page.counts.values()) == page.total
        lin = repo.lineage(studio, deep)
        assert len(lin.ancestors) == DEPTH - 1 and len(lin.notes) == DEPTH - 1
        assert repo.search(studio, "luchtiger")
        result = {
            "shots": studio.conn.execute("SELECT COUNT(*) FROM shots").fetchone()[0],
            "decisions": studio.conn.execute("SELECT COUNT(*) FROM decisions").fetchone()[0],
            "board_page_ms": median_ms(lambda: repo.board_page(studio, "Board 0", 0, 200)),
            "lineage_ms": median_ms(lambda: repo.lineage(studio, deep)),
            "search_ms": median_ms(lambda: repo.search(studio, "haar luchtiger")),
            "search_common_ms": median_ms(lambda: repo.search(studio, "smiling")),
            "board_shots": page.total,
            "open_ms": round(open_ms, 1),
            "verify_chain_ms": median_ms(lambda: repo.verify_chain(studio), runs=3),
            "verify_record_ms": median_ms(lambda: _verified(repo.verify_record(studio)), runs=3),
            "record_entries": studio.conn.execute("SELECT count(*) FROM record").fetchone()[0],
            "fill_s": round(fill_s, 1),
        }
    result["db_mb"] = round((path / "atelier.db").stat().st_size / 1e6, 1)
    if tmp is not None:
        tmp.cleanup()
    if args.json:
        print(json.dumps(result))
    else:
        for k, v in result.items():
            print(f"{k:>18}: {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
