"""Starting the window: a headless machine gets one clear line, not a Qt abort."""

import subprocess
import sys

from app.ui.main import no_display_reason


def test_no_display_is_explained_before_qt_starts():
    assert "no display" in no_display_reason({}, "linux")
    assert no_display_reason({"DISPLAY": ":0"}, "linux") is None
    assert no_display_reason({"WAYLAND_DISPLAY": "wayland-0"}, "linux") is None
    assert no_display_reason({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert no_display_reason({}, "darwin") is None


def test_the_bare_command_without_a_display_exits_2_with_one_line(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-m", "app", "--studio", str(tmp_path / "s")],
                         capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "xvfb-run" in out.stderr
    assert not (tmp_path / "s").exists()  # nothing written
