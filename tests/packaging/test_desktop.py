"""`atelier --install-desktop` / `--uninstall-desktop`: the user's desktop entry and icons."""

from __future__ import annotations

import configparser
import shlex
import subprocess
import sys

import pytest

from app import desktop


def _entry(path):
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def test_install_writes_entry_and_every_icon_size_then_uninstall_removes_them(tmp_path):
    home = tmp_path / "share"
    written = desktop.install(home, command=["/opt/Atelier/atelier"], platform="linux")
    assert set(written) == set(desktop.installed_paths(home))
    entry = _entry(home / "applications" / "atelier.desktop")
    assert entry["Exec"] == "/opt/Atelier/atelier" and entry["Icon"] == "atelier"
    assert entry["Type"] == "Application" and entry["Terminal"] == "false"
    assert entry["StartupWMClass"] == desktop.APP_ID  # the window's setDesktopFileName
    png = home / "icons/hicolor/48x48/apps/atelier.png"
    from PIL import Image

    with Image.open(png) as icon:
        assert icon.size == (48, 48)
    svg = (home / "icons/hicolor/scalable/apps/atelier.svg").read_text(encoding="utf-8")
    assert "<svg" in svg

    (home / "applications" / "other.desktop").write_text("[Desktop Entry]\n")
    removed = desktop.uninstall(home, platform="linux")
    assert set(removed) == set(written)
    assert not any(p.exists() for p in written)
    assert (home / "applications" / "other.desktop").exists()  # only ours is touched
    assert desktop.uninstall(home, platform="linux") == []


def test_exec_line_quotes_paths_with_spaces_and_percent():
    line = desktop.desktop_entry(["/home/a b/venv/bin/python", "-m", "app", "100%"])
    exec_value = next(l for l in line.splitlines() if l.startswith("Exec="))[5:]
    assert exec_value == '"/home/a b/venv/bin/python" -m app 100%%'
    assert shlex.split(exec_value.replace("%%", "%")) == ["/home/a b/venv/bin/python", "-m",
                                                          "app", "100%"]


def test_install_replaces_a_symlink_instead_of_writing_through_it(tmp_path):
    home = tmp_path / "share"
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me")
    (home / "applications").mkdir(parents=True)
    (home / "applications" / "atelier.desktop").symlink_to(outside)
    desktop.install(home, command=["atelier"], platform="linux")
    assert outside.read_text() == "keep me"
    assert not (home / "applications" / "atelier.desktop").is_symlink()


def test_other_platforms_are_told_where_to_look(tmp_path):
    with pytest.raises(desktop.DesktopError, match="Linux"):
        desktop.install(tmp_path, command=["atelier"], platform="darwin")
    assert not any(tmp_path.iterdir())


def test_data_home_follows_xdg_and_ignores_a_relative_value(tmp_path):
    assert desktop.data_home({"XDG_DATA_HOME": str(tmp_path)}) == tmp_path
    assert desktop.data_home({"XDG_DATA_HOME": "rel", "HOME": str(tmp_path)}) == \
        tmp_path / ".local" / "share"


def test_launcher_is_the_console_script_beside_this_python(tmp_path):
    (tmp_path / "bin").mkdir()
    python = tmp_path / "bin" / "python"
    python.write_text("")
    assert desktop.launcher_command(str(python), argv0="-c") == [str(python), "-m", "app"]
    (tmp_path / "bin" / "atelier").write_text("#!/bin/sh\n")
    assert desktop.launcher_command(str(python), argv0="-c") == [str(tmp_path / "bin" / "atelier")]


def test_the_command_line_installs_and_uninstalls(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "d")}
    out = subprocess.run([sys.executable, "-m", "app", "--install-desktop"], env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    entry = _entry(tmp_path / "d" / "applications" / "atelier.desktop")
    assert entry["Exec"].split()[0] in (f"{sys.executable}", str(__import__("pathlib").Path(sys.executable).parent / "atelier"))
    out = subprocess.run([sys.executable, "-m", "app", "--uninstall-desktop"], env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and "removed" in out.stdout
    assert not (tmp_path / "d" / "applications" / "atelier.desktop").exists()
