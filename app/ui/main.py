"""Start the studio window: `atelier` with no subcommand."""

from __future__ import annotations

import sys
from pathlib import Path

from app.paths import resource


def reserve_gui_core() -> None:
    """Leave one CPU core to the GUI thread: torch's intra-op threads (read from
    OMP_NUM_THREADS when torch is first imported, later, by the engine) default to every
    core, and on a small machine they then starve the window. Measured on 2 cores while
    rendering: heartbeat p99 15 ms with 2 torch threads, 3–5 ms with 1 (and the render
    itself was faster, without oversubscription). An explicit OMP_NUM_THREADS wins."""
    import os

    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    os.environ.setdefault("OMP_NUM_THREADS", str(max(1, cores - 1)))


def load_style(app) -> None:
    """The dark photo-tool style sheet; the window works (unstyled) without it."""
    try:
        sheet = resource("style.qss").read_text(encoding="utf-8")
    except OSError:
        return
    # url() in a style sheet is relative to the working directory, not to the sheet.
    app.setStyleSheet(sheet.replace("@ICONS@", resource("icons").as_posix()))


def set_identity(app) -> None:
    """Name, desktop file and icon, so task bars group the window with its launcher
    (`atelier --install-desktop` writes atelier.desktop) and show Atelier's icon."""
    from PySide6.QtGui import QIcon

    from app import __version__
    from app.desktop import APP_ID

    app.setApplicationDisplayName("Atelier")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    icon = QIcon(str(resource("icons", "atelier.svg")))
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        icon.addFile(str(resource("icons", f"atelier-{size}.png")))
    app.setWindowIcon(icon)


def create_window(studio: Path | str, settings=None, ask_person: bool = True):
    """The window with `studio` open (asks who is working when nobody is known yet)."""
    from app.ui.window.main_window import MainWindow
    from app.ui.dialogs.person import ask_person as ask_who

    window = MainWindow(settings)
    if window.person is None and ask_person:  # (was `and ask`: the function, always true)
        person = ask_who(window)
        if person is not None:
            window.settings.set_person(person)
            window.set_person(person)
    window.open_studio(studio)
    return window


def _install_excepthook(window_getter) -> None:
    """An error in a slot is written to the log (app/logs.py, with its traceback) and shown
    once, plainly; the window stays open (Qt would otherwise only print it)."""
    import logging

    from app import logs

    def hook(kind, value, tb):
        logging.getLogger("app.ui").error("unexpected error in the window",
                                          exc_info=(kind, value, tb))
        where = logs.log_file()
        window = window_getter()
        if window is not None:
            from app.ui.text import message_box

            message_box(window, "critical", "Something went wrong",
                        f"{value}\n\nThe window stays open; details are in {where} "
                        "(Help → Open log folder).")

    sys.excepthook = hook


def no_display_reason(environ=None, platform: str = sys.platform) -> str | None:
    """Why the window cannot open here, in one line, or None. On Linux Qt aborts the
    process when it finds no display; say so plainly instead."""
    import os

    env = os.environ if environ is None else environ
    if not platform.startswith("linux") or env.get("QT_QPA_PLATFORM"):
        return None
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    return ("no display to open the studio window on: start it from a desktop session, or "
            "on a headless machine run it under a virtual screen (xvfb-run ./scripts/studio); "
            "the command line (atelier --help) works without one")


def run_window(args) -> int:
    reason = no_display_reason()
    if reason:
        print(f"atelier: {reason}", file=sys.stderr)
        return 2

    from PySide6.QtWidgets import QApplication

    reserve_gui_core()
    from app import logs

    logs.setup()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("Atelier")
    app.setApplicationName("Atelier")
    set_identity(app)
    app.setStyle("Fusion")
    load_style(app)
    from app.ui.dialogs.first_run import ask_first_run, start_studio
    from app.ui.window.settings import Settings

    shot = getattr(args, "screenshot", None)
    studio, first_run = start_studio(getattr(args, "studio", None), Settings())
    if first_run and not shot:
        studio = ask_first_run(studio)
        if studio is None:
            return 0  # the person chose Quit: nothing was created
    holder: list = []
    _install_excepthook(lambda: holder[0] if holder else None)
    window = create_window(studio, ask_person=not shot)
    holder.append(window)
    if window.studio is None:
        return 2  # the reason was shown in a message box
    window.show()
    if shot:
        return _screenshot_and_quit(app, window, Path(shot))
    return app.exec()


def _screenshot_and_quit(app, window, path: Path, delay_ms: int = 1500) -> int:
    """`atelier --screenshot FILE`: show the window, let it settle (board, thumbnails),
    save what it shows as a PNG and quit; for install checks and bug reports. Exit 0 when
    the file was written."""
    from PySide6.QtCore import QTimer

    result = {"ok": False}

    def take():
        path.parent.mkdir(parents=True, exist_ok=True)
        result["ok"] = window.grab().save(str(path), "PNG")
        window.close()
        app.quit()

    QTimer.singleShot(delay_ms, take)
    app.exec()
    if not result["ok"]:
        print(f"atelier: could not write the screenshot {path}", file=sys.stderr)
        return 1
    print(f"atelier: window shown; screenshot in {path}")
    return 0
