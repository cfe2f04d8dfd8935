"""Benchmark of the studio window: responsiveness while rendering, and a 10,000-shot board.

    python tests/benchmarks/bench_ui.py --json

prints {"heartbeat_p99_ms", "heartbeat_max_ms", "board_first_paint_ms",
"scroll_max_stall_ms", "rss_mb", ...}:
- heartbeat: lateness of a 5 ms QTimer on the GUI thread while the real worker renders
  with the demo model (targets: p99 < 16 ms, max < 50 ms);
- board: a board of 10,000 shots (rows written through the store's API, pictures shared by
  a few files): time from choosing the board to its first thumbnails painted (< 500 ms),
  the longest single step while scrolling top to bottom (< 50 ms), and the process memory
  afterwards (bounded by the thumbnail cache, not by the board).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PIL import Image  # noqa: E402
from PySide6.QtCore import QElapsedTimer, QEvent, QEventLoop, QObject, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.core.brief import Brief  # noqa: E402
from app.core.term import Term  # noqa: E402
from app.store import repo  # noqa: E402
from app.store.db import open_studio  # noqa: E402
from app.store.records import ShotDraft  # noqa: E402

BOARD_SHOTS = 10_000
DISTINCT = 96  # distinct pictures (and thumbnail files) on the big board


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    if not values:
        return 0.0
    k = min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))
    return values[k]


def fill_board(studio, n: int) -> int:
    """A board of n shots: DISTINCT written through repo.add_shots (real files and
    thumbnails), the rest copies of their rows in one bulk INSERT (the benchmark's shortcut;
    the window never writes SQL). Writing 10,000 PNGs with fsync would only measure the disk."""
    board = repo.create_board(studio, "Ten thousand")
    brief = Brief({"subject": [Term("a model in a long coat")], "expression": [Term("smiling")]},
                  [Term("blurry")])
    positive, negative = brief.render()
    pictures = [Image.effect_noise((256, 320), 20 + i).convert("RGB") for i in range(DISTINCT)]
    drafts = [ShotDraft(board_id=board.id, brief=brief.to_dict(), prompt=positive,
                        negative=negative, model="demo", model_hash="0" * 16, seed=i, steps=2,
                        guidance=5.0, width=256, height=320, scheduler=None)
              for i in range(DISTINCT)]
    seeds = repo.add_shots(studio, drafts, pictures)
    cols = ("board_id, brief, prompt, negative, model, model_hash, seed, steps, guidance, width, "
            "height, scheduler, image, created_at, status")
    with studio.transaction() as conn:
        for start in range(DISTINCT, n, DISTINCT):
            for k, shot in enumerate(seeds[: min(DISTINCT, n - start)]):
                conn.execute(f"INSERT INTO shots ({cols}) SELECT board_id, brief, prompt, negative, "
                             "model, model_hash, ?, steps, guidance, width, height, scheduler, "
                             "image, created_at, status FROM shots WHERE id = ?",
                             (start + k, shot.id))
    return board.id


class PaintWatch(QObject):
    """Counts paint events of a widget (the board's viewport)."""

    def __init__(self, widget):
        super().__init__()
        self.paints = 0
        widget.installEventFilter(self)

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Paint:
            self.paints += 1
        return False


def bench_board(app, window, board_id: int) -> dict:
    view, model = window.board_view, window.board_model
    watch = PaintWatch(view.viewport())
    clock = QElapsedTimer()
    clock.start()
    window.boards_panel.select_board(board_id)
    first_paint = None
    while clock.elapsed() < 10_000:
        app.processEvents()
        first = view.indexAt(view.viewport().rect().topLeft() + view.rect().topLeft())
        idx = first if first.isValid() else model.index(0)
        if idx.isValid() and window.thumbs.stand_in(model.shot_at(idx.row()).image) is not None:
            painted = watch.paints
            view.viewport().update()
            while watch.paints == painted and clock.elapsed() < 10_000:
                app.processEvents()
            first_paint = clock.elapsed()
            break
    # Scroll top to bottom in steps of half a screen; each step is one repaint.
    bar = view.verticalScrollBar()
    stalls = []
    bar.setValue(0)
    app.processEvents()
    steps = 0
    while True:
        step = QElapsedTimer()
        step.start()
        bar.setValue(bar.value() + max(1, view.viewport().height() // 2))
        view.viewport().repaint()
        app.processEvents()
        stalls.append(step.nsecsElapsed() / 1e6)
        steps += 1
        if bar.value() >= bar.maximum():
            break
        if steps > 20_000:
            break
    # Let the last thumbnails arrive so the memory figure includes a full cache.
    window.thumbs.wait(5000)
    app.processEvents()
    return {"board_first_paint_ms": first_paint, "scroll_max_stall_ms": round(max(stalls), 1),
            "scroll_p99_ms": round(percentile(stalls, 99), 1), "scroll_steps": steps,
            "rows": model.rowCount(), "pages_read": model.pages_read, "thumb_cache_mb": round(window.thumbs.bytes_used / 2**20, 1),
            "thumb_cache_cap_mb": round(window.thumbs.max_bytes / 2**20, 1)}


def bench_heartbeat(app, window, board_id: int, steps: int, size: int, count: int) -> dict:
    """Lateness of a 5 ms timer while the worker renders (model loaded beforehand)."""
    from app.engine.jobs import RenderJob

    brief = Brief({"subject": [Term("a model in a long coat")]}, [])

    def run(job_steps: int, measure: bool) -> list[float]:
        job = RenderJob(board_id=board_id, brief=brief.to_dict(), seed=7, steps=job_steps,
                        width=size, height=size, count=count, model="demo")
        state = {"rendering": False, "done": False}
        late: list[float] = []
        worker = window.worker
        worker.started.connect(lambda _j: state.update(rendering=True))
        worker.finished.connect(lambda _j, _s: state.update(done=True, rendering=False))
        worker.failed.connect(lambda _j, why: state.update(done=True, error=why))
        clock = QElapsedTimer()
        clock.start()
        last = [clock.nsecsElapsed()]

        def beat():
            now = clock.nsecsElapsed()
            if state["rendering"] and measure:
                late.append(max(0.0, (now - last[0]) / 1e6 - 5.0))
            last[0] = now

        timer = QTimer()
        timer.setInterval(5)
        timer.timeout.connect(beat)
        timer.start()
        loop = QEventLoop()
        worker.finished.connect(lambda _j, _s: loop.quit())
        worker.failed.connect(lambda _j, _w: loop.quit())
        QTimer.singleShot(600_000, loop.quit)
        window.submit_job(job)
        if not state["done"]:
            loop.exec()  # the GUI thread idles in its own event loop, as in the window
        timer.stop()
        if "error" in state:
            raise RuntimeError(f"render failed: {state['error']}")
        return late

    run(1, measure=False)  # load the demo model first: loading is not rendering
    late = run(steps, measure=True)
    return {"heartbeat_p99_ms": round(percentile(late, 99), 1),
            "heartbeat_max_ms": round(max(late) if late else 0.0, 1),
            "heartbeat_samples": len(late)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--shots", type=int, default=BOARD_SHOTS)
    parser.add_argument("--steps", type=int, default=40, help="demo render steps for the heartbeat")
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--count", type=int, default=2)
    parser.add_argument("--skip-render", action="store_true")
    parser.add_argument("--switch-ms", type=float, default=None, help="override sys.setswitchinterval")
    parser.add_argument("--skip-board", action="store_true")
    args = parser.parse_args(argv)

    from app.ui.main import reserve_gui_core

    reserve_gui_core()  # as the window does, before torch is imported
    if args.switch_ms is not None:
        sys.setswitchinterval(args.switch_ms / 1000)
    app = QApplication.instance() or QApplication([])
    from app.ui.main import load_style
    from app.ui.window.main_window import MainWindow
    from app.ui.window.settings import Person, Settings, use_settings_dir

    tmp = Path(tempfile.mkdtemp(prefix="atelier-bench-"))
    use_settings_dir(tmp / "settings", organization="AtelierBench")
    load_style(app)
    studio_dir = tmp / "studio"
    t0 = time.monotonic()
    with open_studio(studio_dir) as studio:
        big = fill_board(studio, args.shots)
        small = repo.create_board(studio, "Renders").id
    setup_s = time.monotonic() - t0
    settings = Settings()
    settings.set_person(Person("Bench", "stylist"))
    settings.set_last_board(small)
    window = MainWindow(settings)
    window.resize(1600, 1000)
    window.open_studio(studio_dir, ask=False)
    window.show()
    app.processEvents()
    result = {}
    if not args.skip_render:
        window.boards_panel.select_board(small)
        result.update(bench_heartbeat(app, window, small, args.steps, args.size, args.count))
        window.boards_panel.select_board(small)
    rss_before = rss_mb()
    if not args.skip_board:
        result.update(bench_board(app, window, big))
    result["rss_mb"] = rss_mb()
    result["rss_before_board_mb"] = rss_before
    result["board_shots"] = args.shots
    result["setup_s"] = round(setup_s, 1)
    window.close()
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
