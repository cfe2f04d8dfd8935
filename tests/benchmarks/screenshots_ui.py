"""Screenshots of the studio window for the README (run under Xvfb at 1920×1080):

    xvfb-run -s "-screen 0 1920x1080x24" .venv/bin/python tests/benchmarks/screenshots_ui.py OUT_DIR

    xvfb-run -s "-screen 0 1280x720x24" .venv/bin/python tests/benchmarks/screenshots_ui.py OUT_DIR 1280x720

Builds a demo studio once (renders with the demo model through the engine's Runner, a note
applied, a few decisions), opens the real window on it at that size, and saves board,
history, direction, window-note, compare, loupe, shortcuts and rendering PNGs in OUT_DIR (named
`board.png` at 1920×1080, `board-1280.png` at 1280×720), as 256-colour PNGs.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

STUDIO = Path(os.environ.get("ATELIER_SHOTS_STUDIO", "/tmp/atelier-screens/studio"))
PROMPT = ("a model in a red wool coat, long dark hair, soft window light, "
          "plain studio background, full body, smiling")


def build_studio(path: Path) -> None:
    from app.core.brief import Brief
    from app.core.interpret import interpret
    from app.core.edits import apply_edits
    from app.engine.jobs import RenderJob
    from app.engine.runner import Runner
    from app.store import repo
    from app.store.db import open_studio
    from app.store.records import NoteDraft

    with open_studio(path) as studio:
        if repo.list_boards(studio):
            return
        runner = Runner()
        never = threading.Event()
        board = repo.create_board(studio, "Spring look — coats")
        repo.create_board(studio, "Denim campaign")
        repo.create_board(studio, "Knitwear round 2")
        brief = Brief.from_prompt(PROMPT, "blurry, extra fingers")
        job = RenderJob(board_id=board.id, brief=brief.to_dict(), seed=4242, steps=6,
                        width=256, height=320, count=10)
        shots = runner.run(studio, job, lambda e: None, never, job_id="shots-1")
        parent = shots[2]
        for text, count in (("smile a bit more", 2), ("maak het haar wat luchtiger", 2)):
            result = interpret(text, Brief.from_dict(parent.brief))
            child = apply_edits(Brief.from_dict(parent.brief), result.edits)
            note = NoteDraft(shot_id=parent.id, text=text, language=result.language,
                             author="Lena", role="stylist",
                             edits=[e.to_dict() for e in result.edits])
            kids = runner.run(studio, RenderJob(board_id=board.id, brief=child.to_dict(),
                                                seed=parent.seed, steps=6, width=256,
                                                height=320, count=count, parent_id=parent.id,
                                                note=note),
                              lambda e: None, never, job_id=f"note-{text[:4]}")
            parent = kids[0]
        repo.decide(studio, "approved", "Mira", "art-director", reason="the coat reads well",
                    shot_id=shots[0].id)
        repo.decide(studio, "hold", "Lena", "stylist", reason="check the hair with Mira",
                    shot_id=parent.id)
        repo.decide(studio, "approved", "Mira", "art-director",
                    reason="hair reads lighter, same face: keep", shot_id=parent.id)
        repo.decide(studio, "rejected", "Mira", "art-director", reason="pose too stiff",
                    shot_id=shots[4].id)
        repo.decide(studio, "hold", "Mira", "art-director", shot_id=shots[5].id)
        repo.decide(studio, "changes-requested", "Mira", "art-director",
                    reason="warmer light, please", shot_id=shots[6].id)
        for shot, stars in ((shots[0], 5), (shots[1], 3), (shots[3], 4), (parent, 4)):
            repo.rate(studio, shot.id, stars)


def save(widget, path: Path) -> None:
    """The widget as a small PNG (a 256-colour palette: the README carries them)."""
    from PIL import Image
    from PySide6.QtCore import QBuffer, QIODevice

    buffer = QBuffer()
    buffer.open(QIODevice.WriteOnly)
    widget.grab().save(buffer, "PNG")
    import io

    image = Image.open(io.BytesIO(bytes(buffer.data()))).convert("RGB")
    image.quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(
        path, optimize=True)


def main(argv: list[str]) -> int:
    out = Path(argv[1] if len(argv) > 1 else "docs/screenshots")
    width, height = (int(v) for v in (argv[2] if len(argv) > 2 else "1920x1080").split("x"))
    tag = "" if width == 1920 else f"-{width}"
    out.mkdir(parents=True, exist_ok=True)
    build_studio(STUDIO)

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.ui.main import load_style
    from app.ui.window.main_window import MainWindow
    from app.ui.window.settings import Person, Settings, use_settings_dir

    app = QApplication([])
    app.setStyle("Fusion")
    use_settings_dir(STUDIO.parent / "settings", organization="AtelierScreens")
    load_style(app)
    settings = Settings()
    settings.set_person(Person("Mira", "art-director"))
    window = MainWindow(settings)
    window.resize(width, height)
    window.open_studio(STUDIO, ask=False)
    window.show()

    def settle(ms: int = 600) -> None:
        end = QTimer()
        end.setSingleShot(True)
        end.start(ms)
        while end.isActive():
            app.processEvents()
        window.thumbs.wait(3000)
        app.processEvents()

    first = window.boards_panel.summaries()[0].id
    window.boards_panel.select_board(first)
    settle(1200)
    model, view = window.board_model, window.board_view
    # the board: a directed shot selected, its history on the right
    directed = next(model.shot_at(r) for r in range(model.rowCount()) if model.shot_at(r).note_id)
    view.select_id(directed.id)
    settle()
    save(window, out / f"board{tag}.png")
    # the history of a directed shot that has been decided on
    decided = next(model.shot_at(r) for r in range(model.rowCount())
                   if model.shot_at(r).note_id and model.shot_at(r).status != "new")
    view.select_id(decided.id)
    settle()
    save(window.history_panel, out / f"history{tag}.png")
    # the direction panel with a note typed (the live preview of its edits)
    root = next(model.shot_at(r) for r in range(model.rowCount())
                if model.shot_at(r).parent_id is None and model.shot_at(r).status == "new")
    view.select_id(root.id)
    window.direction_panel.note_edit.setPlainText("smile a bit more and make the light warmer")
    window.direction_panel.preview()
    settle()
    save(window.docks["direction"], out / f"direction{tag}.png")
    save(window, out / f"window-note{tag}.png")
    # the compare view: the directed shot beside its parent
    window.direction_panel.note_edit.clear()
    view.select_id(directed.id)
    view.selectionModel().select(model.ensure_loaded(directed.parent_id),
                                 view.selectionModel().SelectionFlag.Select)
    window.compare_selected()
    settle(1500)
    save(window, out / f"compare{tag}.png")
    # the loupe, full screen, after a verdict keyed in it (the line shows it and the hints)
    window.show_board()
    view.select_id(directed.id)
    settle()
    window.open_loupe()
    window.loupe.resize(width, height)
    settle(1500)
    save(window.loupe, out / f"loupe{tag}.png")
    window.loupe.close()
    # the keyboard sheet (F1)
    from app.ui.dialogs.shortcuts import ShortcutsDialog

    sheet = ShortcutsDialog(window.actions, window)
    sheet.show()
    settle()
    save(sheet, out / f"shortcuts{tag}.png")
    sheet.close()
    # a render under way: two jobs queued, the first one rendering (queue rows, progress)
    from app.engine.jobs import RenderJob
    from app.services.render_queue import JobState

    parent = model.shot_at(0)
    for seed in (7, 8):
        window.submit_job(RenderJob(board_id=parent.board_id, brief=parent.brief, seed=seed,
                                    steps=40, width=256, height=320, count=2))
    queue = window.queue_panel.queue

    def rendering() -> bool:
        return any(e.state is JobState.RENDERING and e.step >= 3 for e in queue.entries.values())

    for _ in range(600):
        settle(100)
        if rendering():
            break
    save(window, out / f"rendering{tag}.png")
    for job_id in list(queue.entries):
        window.queue_panel.cancel(job_id)
    settle(1500)
    window.close()
    print("saved", ", ".join(sorted(p.name for p in out.glob("*.png"))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
