"""`atelier generate`, `atelier direct` and `atelier models` on the demo model."""

import json
import os
import pickle
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from app.cli import main


@pytest.fixture(scope="module", autouse=True)
def engine_cache(tmp_path_factory):
    old = {k: os.environ.get(k) for k in ("ATELIER_CACHE", "ATELIER_DEVICE", "ATELIER_MODELS")}
    os.environ["ATELIER_CACHE"] = str(tmp_path_factory.mktemp("atelier-cache"))
    os.environ["ATELIER_DEVICE"] = "cpu"
    os.environ.pop("ATELIER_MODELS", None)
    yield
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture
def board(studio_dir, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-hf-cache"))  # no real models here
    assert main(["board", "new", "SS27"]) == 0
    capsys.readouterr()
    return "SS27"


def cli(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def generate(capsys, board, *extra):
    code, out, err = cli(capsys, "generate", "--board", board, "--prompt", "a woman in a linen dress, smiling",
                         "--negative", "blurry", "--seed", "11", "--steps", "2", "--size", "64x64", "--json", *extra)
    assert code == 0, err
    return json.loads(out)["shots"], err


def test_generate_stores_shots_and_prints_them(capsys, board, studio_dir):
    shots, err = generate(capsys, board, "--count", "2")
    assert "built-in demo model" in err and "sketch model" in err
    assert [s["seed"] for s in shots] == [11, 12]
    for s in shots:
        assert s["board"] == "SS27" and s["model"] == "demo" and s["size"] == "64x64" and s["steps"] == 2
        assert s["prompt"] == "a woman in a linen dress, smiling" and s["negative"] == "blurry"
        assert s["parent_id"] is None and s["note_id"] is None
        assert os.path.isabs(s["image"]) and Image.open(s["image"]).size == (64, 64)
        assert s["image"].startswith(str(studio_dir))


def test_direct_renders_a_child_that_differs_only_by_the_edit(capsys, board, studio_dir):
    (parent,), _ = generate(capsys, board)
    code, out, err = cli(capsys, "direct", str(parent["id"]), "--note", "smile more", "--by", "Ann",
                         "--role", "stylist", "--json")
    assert code == 0, err
    result = json.loads(out)
    (child,) = result["shots"]
    assert child["seed"] == parent["seed"] and child["parent_id"] == parent["id"]
    assert child["note_id"] is not None
    assert (child["steps"], child["size"], child["model"]) == (parent["steps"], parent["size"], parent["model"])
    edit = result["note"]["edits"][0]
    assert (edit["slot"], edit["op"], edit["term"]) == ("expression", "increase", "smiling")
    assert child["prompt"] == parent["prompt"].replace("smiling", f"(smiling){edit['weight_after']:g}")
    assert child["negative"] == parent["negative"]

    from app.store import repo
    from app.store.db import open_studio

    with open_studio(studio_dir) as studio:
        (note,) = repo.notes_of(studio, parent["id"])
        assert (note.author, note.role, note.text) == ("Ann", "stylist", "smile more")
        assert [e.term for e in note.edits] == ["smiling"]
        assert [s.id for s in repo.lineage(studio, child["id"]).ancestors] == [parent["id"]]


def test_direct_with_count_and_strength_uses_image_to_image(capsys, board):
    (parent,), _ = generate(capsys, board)
    code, out, err = cli(capsys, "direct", str(parent["id"]), "--note", "smile more", "--by", "Ann",
                         "--role", "stylist", "--count", "2", "--strength", "0.5", "--json")
    assert code == 0, err
    shots = json.loads(out)["shots"]
    assert [s["seed"] for s in shots] == [11, 12]
    assert all(s["strength"] == 0.5 and s["parent_id"] == parent["id"] for s in shots)


def test_a_note_not_understood_renders_nothing(capsys, board, studio_dir):
    (parent,), _ = generate(capsys, board)
    code, out, err = cli(capsys, "direct", str(parent["id"]), "--note", "blorf the zoop", "--by", "Ann",
                         "--role", "stylist")
    assert code == 3 and "Not understood" in err
    code, _, err = cli(capsys, "direct", str(parent["id"]), "--note", "   ", "--by", "Ann", "--role", "stylist")
    assert code == 2 and "empty" in err
    code, out, _ = cli(capsys, "boards", "--json")
    assert json.loads(out)[0]["shots"] == 1


@pytest.mark.parametrize("extra, message", [
    (["--size", "100x64"], "multiples of 8"),
    (["--size", "big"], "--size"),
    (["--steps", "0"], "steps"),
    (["--count", "0"], "count"),
    (["--model", "no-such-model"], "no model named"),
    (["--scheduler", "warp"], "unknown scheduler"),
])
def test_bad_input_is_one_line_and_exit_2(capsys, board, extra, message):
    code, out, err = cli(capsys, "generate", "--board", board, "--prompt", "a dress", *extra)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1
    code, out, _ = cli(capsys, "boards", "--json")
    assert json.loads(out)[0]["shots"] == 0


def test_unknown_board_and_unknown_shot(capsys, board):
    code, _, err = cli(capsys, "generate", "--board", "nope", "--prompt", "a dress")
    assert code == 2 and "no board" in err
    code, _, err = cli(capsys, "direct", "999", "--note", "smile more", "--by", "Ann", "--role", "stylist")
    assert code == 2 and "999" in err


class _Payload:
    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_a_pickle_model_is_refused_and_never_run(capsys, board, tmp_path):
    marker = tmp_path / "pwned"
    ckpt = tmp_path / "model.ckpt"
    ckpt.write_bytes(pickle.dumps(_Payload(marker)))
    code, _, err = cli(capsys, "generate", "--board", board, "--prompt", "a dress", "--model", str(ckpt))
    assert code == 2 and "pickle" in err and "arbitrary code" in err
    assert not marker.exists()


def test_models_lists_the_demo_model(capsys, board, studio_dir):
    (studio_dir / "models").mkdir()
    (studio_dir / "models" / "old.ckpt").write_bytes(b"\x80\x04junk")
    code, out, err = cli(capsys, "models", "--json")
    assert code == 0, err
    data = json.loads(out)
    by_name = {m["name"]: m for m in data["models"]}
    assert by_name["demo"]["runnable"] and by_name["demo"]["kind"] == "demo"
    assert not by_name["old"]["runnable"] and "pickle" in by_name["old"]["reason"]
    assert data["device"] == "cpu" and data["dtype"] == "float32"


def test_the_console_command_renders_end_to_end(board, studio_dir):
    """The real `python -m app` process: a rendered shot, identical pixels for the same seed."""
    args = [sys.executable, "-m", "app", "generate", "--board", board, "--prompt", "a trench coat",
            "--seed", "5", "--steps", "2", "--size", "64x64", "--json"]
    first = subprocess.run(args, capture_output=True, text=True, timeout=300, env=os.environ)
    assert first.returncode == 0, first.stderr
    shot = json.loads(first.stdout)["shots"][0]
    assert "\r" not in first.stderr  # no progress bar when stderr is not a terminal
    assert main(["generate", "--board", board, "--prompt", "a trench coat", "--seed", "5", "--steps", "2",
                 "--size", "64x64"]) == 0
    from app.store import repo
    from app.store.db import open_studio

    with open_studio(studio_dir) as studio:
        again = repo.board_page(studio, repo.get_board(studio, board).id).shots[0]
        pixels = np.asarray(Image.open(studio.images.path(again.image)))
    assert np.array_equal(pixels, np.asarray(Image.open(shot["image"])))


def test_a_progress_bar_when_stderr_is_a_terminal(board):
    import pty

    leader, follower = pty.openpty()
    proc = subprocess.run([sys.executable, "-m", "app", "generate", "--board", board, "--prompt", "a hat",
                           "--seed", "1", "--steps", "3", "--size", "64x64"],
                          stdout=subprocess.PIPE, stderr=follower, timeout=300, env=os.environ)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    assert proc.returncode == 0
    assert b"3/3 steps" in seen and b"\r" in seen
    assert b"steps" not in proc.stdout  # the bar never goes to stdout


def test_generate_and_direct_apply_record_and_keep_lora_adapters(capsys, board, studio_dir):
    import hashlib

    from tests.engine.tiny_lora import kohya_lora

    path = kohya_lora(studio_dir / "models" / "lora" / "odette.safetensors")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    (plain,), _ = generate(capsys, board)
    (flagged,), err = generate(capsys, board, "--lora", "odette:0.6")
    assert flagged["adapters"] == [{"name": "odette", "hash": digest, "weight": 0.6}]
    assert "using the built-in demo model" in err
    assert not np.array_equal(np.asarray(Image.open(flagged["image"])), np.asarray(Image.open(plain["image"])))
    code, out, err = cli(capsys, "generate", "--board", board, "--prompt", "a woman in a linen dress, smiling "
                         "<lora:odette:0.6>", "--negative", "blurry", "--seed", "11", "--steps", "2",
                         "--size", "64x64", "--json")
    assert code == 0, err
    (tagged,) = json.loads(out)["shots"]
    assert tagged["prompt"] == flagged["prompt"] == plain["prompt"]  # the tag is no text for the encoder
    assert tagged["adapters"] == flagged["adapters"]
    assert np.array_equal(np.asarray(Image.open(tagged["image"])), np.asarray(Image.open(flagged["image"])))
    code, out, err = cli(capsys, "direct", str(flagged["id"]), "--note", "smile more", "--by", "Ann",
                         "--role", "stylist", "--json")
    assert code == 0, err
    assert json.loads(out)["shots"][0]["adapters"] == flagged["adapters"]  # the child keeps its parent's
    code, out, err = cli(capsys, "direct", str(flagged["id"]), "--note", "smile more", "--by", "Ann",
                         "--role", "stylist", "--lora", "odette:1.1", "--json")
    assert code == 0, err
    assert json.loads(out)["shots"][0]["adapters"] == [{"name": "odette", "hash": digest, "weight": 1.1}]
    code, out, _ = cli(capsys, "models", "--json")
    (adapter,) = json.loads(out)["adapters"]
    assert (adapter["name"], adapter["layout"], adapter["trigger_words"][0]) == ("odette", "kohya", "odette")


@pytest.mark.parametrize("lora, message", [
    ("look.ckpt", "pickle"), ("nope:0.5", "no adapter named 'nope'"), ("odette:strong", "must be a number"),
])
def test_a_bad_lora_is_one_line_exit_2_and_nothing_is_stored(capsys, board, studio_dir, tmp_path, lora, message):
    from tests.engine.tiny_lora import kohya_lora

    kohya_lora(studio_dir / "models" / "lora" / "odette.safetensors")
    if lora.endswith(".ckpt"):
        lora = str(tmp_path / lora)
        (tmp_path / "look.ckpt").write_bytes(pickle.dumps(_Payload(tmp_path / "pwned")))
    code, out, err = cli(capsys, "generate", "--board", board, "--prompt", "a dress", "--steps", "1",
                         "--size", "64x64", "--lora", lora, "--json")
    assert code == 2 and message in err and out == "" and len(err.strip().splitlines()) == 1, err
    assert not (tmp_path / "pwned").exists()
    from app.store import repo
    from app.store.db import open_studio

    with open_studio(studio_dir) as studio:
        assert repo.board_page(studio, repo.get_board(studio, board).id).total == 0


@pytest.fixture
def default_sigint():
    """Ctrl-C as in a terminal: a test run started in the background (nohup, `&`) inherits
    SIGINT ignored, and the tests below press it."""
    import signal

    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, before)


@pytest.mark.usefixtures("default_sigint")
def test_ctrl_c_after_the_first_picture_keeps_it_and_exits_130(capsys, board, studio_dir, monkeypatch):
    import signal

    from app.store import repo

    real = repo.add_shots

    def add_then_interrupt(*args, **kwargs):
        shots = real(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGINT)  # the user presses Ctrl-C once the first picture is in
        return shots

    monkeypatch.setattr(repo, "add_shots", add_then_interrupt)
    code, out, err = cli(capsys, "generate", "--board", board, "--prompt", "a linen dress", "--seed", "3",
                         "--steps", "3", "--size", "64x64", "--count", "3", "--json")
    assert code == 130, err
    data = json.loads(out)
    assert data["interrupted"] is True and [s["seed"] for s in data["shots"]] == [3]
    assert os.path.isfile(data["shots"][0]["image"])
    assert "1 finished picture(s) kept" in err
    monkeypatch.setattr(repo, "add_shots", real)
    from app.store.db import open_studio

    with open_studio(studio_dir) as studio:
        assert repo.board_page(studio, repo.get_board(studio, board).id).total == 1
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # put back


@pytest.mark.usefixtures("default_sigint")
def test_ctrl_c_while_the_model_loads_stops_at_once(capsys, board, monkeypatch):
    import signal

    from app.engine.runner import Runner

    def load_interrupted(self, *args, **kwargs):
        os.kill(os.getpid(), signal.SIGINT)
        raise AssertionError("the handler raises first")

    monkeypatch.setattr(Runner, "load", load_interrupted)
    code, out, err = cli(capsys, "generate", "--board", board, "--prompt", "a coat", "--steps", "1",
                         "--size", "64x64", "--json")
    assert code == 130 and json.loads(out) == {"shots": [], "interrupted": True}
