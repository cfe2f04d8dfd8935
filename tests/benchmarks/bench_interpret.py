"""Benchmark of the note interpreter: `python tests/benchmarks/bench_interpret.py --json`.

per_note_ms: mean time of interpret() over the dev and extra note sets (warm process);
cold_start_s: median wall time of a fresh `python -m app interpret --json "smile more"`,
as on an installed studio: after one warm-up run, with Python's bytecode cache allowed
(PYTHONDONTWRITEBYTECODE is dropped for the child) and the compiled lexicon cached.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def notes() -> list[str]:
    out = []
    for path in (ROOT.parent / "shared" / "eval" / "notes_dev.jsonl",
                 ROOT / "tests" / "core" / "data" / "notes_extra.jsonl"):
        if path.exists():
            out += [json.loads(line)["note"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [n for n in out if n.strip()]


def per_note_ms(rounds: int = 5) -> float:
    from app.core.brief import Brief
    from app.core.interpret import interpret

    brief = Brief.from_prompt("portrait of a woman, smiling, soft light, white background, 85mm")
    sample = notes()
    interpret(sample[0], brief)  # lexicon loaded outside the timing
    start = time.perf_counter()
    for _ in range(rounds):
        for note in sample:
            interpret(note, brief)
    return (time.perf_counter() - start) * 1000 / (rounds * len(sample))


def cold_start_s(runs: int = 5) -> float:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    command = [sys.executable, "-m", "app", "interpret", "--json", "smile more"]
    subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=True)  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    result = {"per_note_ms": round(per_note_ms(), 3), "cold_start_s": round(cold_start_s(), 3)}
    print(json.dumps(result) if args.json else
          f"{result['per_note_ms']} ms per note, {result['cold_start_s']} s cold start")


if __name__ == "__main__":
    main()
