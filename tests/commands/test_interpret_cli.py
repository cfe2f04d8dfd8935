"""`atelier interpret`, as a person or a script calls it (a fresh process each time)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def atelier(*args):
    return subprocess.run([sys.executable, "-m", "app", "interpret", *args], cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8", timeout=60)


def test_json_for_an_understood_note():
    proc = atelier("--prompt", "a woman, smiling", "--negative", "blurry", "--json", "lach iets meer")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data == {
        "note": "lach iets meer", "language": "nl", "understood": True,
        "edits": [{"slot": "expression", "op": "increase", "term": "smiling",
                   "weight_before": 1.0, "weight_after": 1.1, "delta": 0.1}],
        "prompt": {"before": "a woman, smiling", "after": "a woman, (smiling)1.1"},
        "negative": {"before": "blurry", "after": "blurry"},
        "message": "expression: smiling 1.0 → 1.1",
    }


def test_removal_shows_in_the_negative_prompt():
    data = json.loads(atelier("--prompt", "a woman, gold jewelry", "--json", "no jewelry").stdout)
    assert data["prompt"]["after"] == "a woman"
    assert data["negative"]["after"] == "gold jewelry"


def test_not_understood_exits_3_without_edits():
    proc = atelier("--json", "asdfgh jkl")
    assert proc.returncode == 3
    data = json.loads(proc.stdout)
    assert data["understood"] is False and data["edits"] == []
    assert "asdfgh" in data["message"]
    assert data["prompt"]["before"] == data["prompt"]["after"]


@pytest.mark.parametrize("note", ["", "   "])
def test_empty_note_exits_2_with_a_message_on_stderr(note):
    proc = atelier("--json", note)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "empty" in proc.stderr and proc.stderr.count("\n") == 1


def test_missing_note_is_bad_input():
    assert atelier("--json").returncode == 2


def test_human_output_is_readable_lines():
    proc = atelier("--prompt", "a woman, city street background", "smile more and plain white background")
    assert proc.returncode == 0
    out = proc.stdout
    assert "increase" in out and "expression" in out and "smiling" in out
    assert "Prompt after:  a woman, (smiling)1.2, plain white background" in out
    assert "background: plain white background absent → 1.0 (replaces city street background)" in out
    not_understood = atelier("blorp")
    assert not_understood.returncode == 3 and "blorp" in not_understood.stdout


def test_interpret_imports_neither_torch_nor_diffusers_nor_qt():
    code = (
        "import sys, io, contextlib\n"
        "from app.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    rc = main(['interpret', '--json', 'smile more and no jewelry'])\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('torch', 'diffusers', 'transformers', 'PySide6', 'shiboken6', 'compel', 'sqlite_utils'))\n"
        "print(rc, heavy)\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "0 []", proc.stdout + proc.stderr
