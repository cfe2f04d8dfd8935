"""Desktop integration on Linux: `atelier --install-desktop` puts a desktop entry and the
icon where the current user's desktop looks for them (XDG), `--uninstall-desktop` takes
them away again. No root, no system folders, nothing outside $XDG_DATA_HOME.

Kept free of Qt and torch: it runs before either would load.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from app.paths import resource

APP_ID = "atelier"  # the desktop file's name, also given to Qt (setDesktopFileName)
DESKTOP_FILE = f"{APP_ID}.desktop"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
STUDIO_MIME = "application/x-atelier-studio"


class DesktopError(Exception):
    """Integration is not possible here (not Linux, no writable data folder)."""


def data_home(environ=None) -> Path:
    env = os.environ if environ is None else environ
    value = env.get("XDG_DATA_HOME", "")
    # The spec: a relative value is invalid and must be ignored.
    if value and os.path.isabs(value):
        return Path(value)
    return Path(env.get("HOME") or Path.home()) / ".local" / "share"


def launcher_command(executable: str | None = None, argv0: str | None = None) -> list[str]:
    """The command a desktop entry runs to start this same Atelier: the PyInstaller bundle's
    executable, the `atelier` script on which we were started, or this Python with `-m app`."""
    executable = executable or sys.executable
    if getattr(sys, "frozen", False):
        return [str(Path(executable).resolve())]
    argv0 = argv0 if argv0 is not None else sys.argv[0]
    if argv0 and Path(argv0).name == "atelier" and Path(argv0).is_file():
        return [str(Path(argv0).resolve())]
    script = Path(executable).parent / "atelier"  # the console script beside this Python
    if script.is_file():
        return [str(script.absolute())]
    return [str(Path(executable).absolute()), "-m", "app"]


def _quote(arg: str) -> str:
    """One argument of an Exec line (Desktop Entry spec: quote reserved characters; inside
    quotes escape ", `, $ and \\; a literal % is %%)."""
    arg = arg.replace("%", "%%")
    if arg and not any(c in arg for c in " \t\n\"'\\><~|&;$*?#()`"):
        return arg
    for c in ('\\', '"', '`', '$'):
        arg = arg.replace(c, "\\" + c)
    return f'"{arg}"'


def desktop_entry(command: list[str]) -> str:
    exec_line = " ".join(_quote(a) for a in command)
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.5",
        "Name=Atelier",
        "GenericName=AI art direction studio",
        "Comment=Direct AI fashion imagery like a photo shoot",
        f"Exec={exec_line}",
        f"TryExec={command[0]}",
        f"Icon={APP_ID}",
        "Terminal=false",
        "Categories=Graphics;Photography;",
        "Keywords=fashion;art direction;stable diffusion;shoot;",
        f"StartupWMClass={APP_ID}",
        "StartupNotify=true",
        "",
    ])


def installed_paths(home: Path) -> list[Path]:
    paths = [home / "applications" / DESKTOP_FILE,
             home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"]
    paths += [home / "icons" / "hicolor" / f"{s}x{s}" / "apps" / f"{APP_ID}.png" for s in ICON_SIZES]
    return paths


def _refresh_caches(home: Path) -> None:
    """Icon themes are re-read when their folder's time changes (Icon Theme spec); desktop
    entries are watched by the desktops themselves. No cache files are written, so
    uninstalling leaves nothing behind."""
    theme = home / "icons" / "hicolor"
    if theme.is_dir():
        os.utime(theme)


def _check_platform(platform: str) -> None:
    if not platform.startswith("linux"):
        raise DesktopError("--install-desktop is for Linux desktops (XDG); on macOS and Windows "
                           "use the bundle from packaging/ (see packaging/README.md)")


def install(home: Path | None = None, command: list[str] | None = None,
            platform: str = sys.platform) -> list[Path]:
    """Write the desktop entry and icons for the current user; returns the files written.
    A file already there (an older install) is replaced; nothing else is touched."""
    _check_platform(platform)
    home = home or data_home()
    command = command or launcher_command()
    written = []
    entry = home / "applications" / DESKTOP_FILE
    sources = {entry: None,
               home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg": resource("icons", "atelier.svg")}
    for s in ICON_SIZES:
        sources[home / "icons" / "hicolor" / f"{s}x{s}" / "apps" / f"{APP_ID}.png"] = \
            resource("icons", f"atelier-{s}.png")
    missing = [str(src) for src in sources.values() if src is not None and not src.is_file()]
    if missing:
        raise DesktopError(f"this Atelier is missing its icons ({missing[0]}); reinstall it")
    for target, src in sources.items():
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.is_symlink():  # never write through a link somebody left there
                target.unlink()
            tmp = target.with_name(target.name + ".tmp")
            if src is None:
                tmp.write_text(desktop_entry(command), encoding="utf-8")
            else:
                shutil.copyfile(src, tmp)
            os.replace(tmp, target)
        except OSError as exc:
            raise DesktopError(f"could not write {target}: {exc.strerror or exc}") from exc
        written.append(target)
    _refresh_caches(home)
    return written


def uninstall(home: Path | None = None, platform: str = sys.platform) -> list[Path]:
    """Remove what `install` wrote; returns the files removed (none: nothing was installed)."""
    _check_platform(platform)
    home = home or data_home()
    removed = []
    for path in installed_paths(home):
        if path.is_file() or path.is_symlink():
            path.unlink()
            removed.append(path)
    if removed:
        _refresh_caches(home)
    return removed
