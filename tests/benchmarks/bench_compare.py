"""Compare-view benchmark: how fast two to four 1024² shots are on screen, and how long the
GUI thread is busy for each step a photographer takes.

    python tests/benchmarks/bench_compare.py --json [--size 1024]

Shots are written through the store (noise pictures, so PNGs are realistic in size), then,
headless: `set_shots` for 4 shots (thumbnails shown, recipes and notes read), the time
until every full image has arrived from the loader threads, a wheel-zoom step synced over
4 panes, an A/B flicker swap, and the difference image. Also the GUI-thread lateness of a
5 ms timer while the full images load (they must decode off the GUI thread). Prints
medians in milliseconds. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402
from PySide6.QtCore import QElapsedTimer, QPointF, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.store import open_studio, repo  # noqa: E402
from tests.ui.lineage_shots import brief, draft, note, SMILE  # noqa: E402


def ms(f) -> float:
    start = time.perf_counter()
    f()
    return (time.perf_counter() - start) * 1000


def make_shots(studio, size: int) -> list:
    board = repo.create_board(studio, "bench")
    rng = np.random.default_rng(1)
    pictures = [Image.fromarray(rng.integers(0, 255, (size, size, 3), dtype=np.uint8)) for _ in range(4)]
    root, = repo.add_shots(studio, [draft(board.id, brief(), size=size)], pictures[:1])
    children = repo.add_shots(studio, [draft(board.id, brief(1.1), parent_id=root.id, size=size)] * 3,
                              pictures[1:], note(root.id, "smile a bit more", SMILE))
    return [root, *children]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--size", type=int, default=1024)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    from app.ui.compare.view import CompareView

    results: dict[str, list[float]] = {k: [] for k in (
        "set_shots_ms", "full_images_ms", "zoom_sync_ms", "flicker_ms", "difference_ms",
        "heartbeat_max_late_ms")}
    with tempfile.TemporaryDirectory() as tmp, open_studio(Path(tmp) / "studio") as studio:
        shots = make_shots(studio, args.size)
        for _ in range(args.rounds):
            view = CompareView()
            view.resize(1600, 1000)
            view.show()
            app.processEvents()
            late, clock = [], QElapsedTimer()
            timer = QTimer()
            timer.setInterval(5)
            timer.timeout.connect(lambda: (late.append(max(0, clock.restart() - 5))))
            clock.start()
            timer.start()
            results["set_shots_ms"].append(ms(lambda: view.set_shots(shots, studio)))
            start = time.perf_counter()
            while not view.images_ready():
                app.processEvents()
            results["full_images_ms"].append((time.perf_counter() - start) * 1000)
            timer.stop()
            results["heartbeat_max_late_ms"].append(float(max(late[1:] or [0])))
            pane = view.grid_panes[0]
            results["zoom_sync_ms"].append(ms(lambda: (pane.zoom_by(1.25, QPointF(200, 200)),
                                                       view.group.sync_from(pane))))
            view.flicker()
            results["flicker_ms"].append(ms(view.flicker))
            view._diff = None
            results["difference_ms"].append(ms(view.difference_image))
            view.close()
            view.deleteLater()
            app.processEvents()
    summary = {k: round(statistics.median(v), 1) for k, v in results.items()}
    summary["size"] = args.size
    print(json.dumps(summary) if args.json else "\n".join(f"{k}: {v}" for k, v in summary.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
