"""`atelier generate` renders new shots on a board; `atelier direct` applies a note to a
shot and renders its children with the parent's seed and settings."""

from __future__ import annotations

import json
import random
import sys
import threading

from app.cli import NOT_UNDERSTOOD, UsageError
from app.commands._studio import check_text, command_studio

ROLES = ("stylist", "art-director", "photographer")


def add_parser(subparsers) -> None:
    g = subparsers.add_parser("generate", help="render new shots on a board")
    g.add_argument("--board", required=True, metavar="NAME", help="the board (name or id)")
    g.add_argument("--prompt", required=True, metavar="TEXT", help="compel or A1111 syntax")
    g.add_argument("--negative", default="", metavar="TEXT")
    g.add_argument("--seed", type=int, help="first seed (default: a random one); images get seed, seed+1, …")
    g.add_argument("--steps", type=int, help="denoising steps (default: the model's)")
    g.add_argument("--size", metavar="WxH", help="image size, multiples of 8 (default: the model's)")
    g.add_argument("--count", type=int, default=1, metavar="N", help="number of images")
    g.add_argument("--model", metavar="NAME|PATH|demo", help="default: a real model if one is found, else demo")
    g.add_argument("--guidance", type=float, metavar="F", help="classifier-free guidance scale")
    g.add_argument("--scheduler", metavar="NAME", help="dpm++2m (default), dpm++2m-karras, euler, euler-a, ddim, unipc")
    g.add_argument("--twin", metavar="TALENT", help="render with the talent's twin (needs their consent)")
    g.add_argument("--lora", action="append", default=[], metavar="NAME|PATH[:WEIGHT]",
                   help="apply a LoRA adapter (repeatable; weight 0.8 by default); "
                        "a prompt may also carry <lora:NAME:WEIGHT>")
    g.add_argument("--json", action="store_true", help="print the shots as JSON")
    g.set_defaults(run=run_generate)

    d = subparsers.add_parser("direct", help="apply a note to a shot: new child shots, same seed")
    d.add_argument("shot", help="the shot id")
    d.add_argument("--note", required=True, metavar="TEXT", help="the direction, in English or Dutch")
    d.add_argument("--by", required=True, metavar="NAME", help="who gives the note")
    d.add_argument("--role", required=True, choices=ROLES)
    d.add_argument("--count", type=int, default=1, metavar="N")
    d.add_argument("--new-seeds", action="store_true", help="fresh seeds instead of the parent's")
    d.add_argument("--strength", type=float, metavar="F",
                   help="image-to-image from the parent's picture (0–1: how much may change)")
    d.add_argument("--lora", action="append", default=[], metavar="NAME|PATH[:WEIGHT]",
                   help="add a LoRA adapter to the parent's (repeatable; a new weight for one it has)")
    d.add_argument("--json", action="store_true")
    d.set_defaults(run=run_direct)


def run(args) -> int:
    return args.run(args)


def parse_size(text: str | None) -> tuple[int | None, int | None]:
    if text is None:
        return None, None
    try:
        w, h = (int(x) for x in text.lower().replace("×", "x").split("x"))
    except ValueError:
        raise UsageError(f"--size must look like 512x768 (got {text!r})") from None
    if w % 8 or h % 8 or w < 64 or h < 64:
        raise UsageError(f"--size {w}x{h}: width and height must be multiples of 8, at least 64")
    return w, h


def run_generate(args) -> int:
    from app.core.brief import Brief
    from app.engine.jobs import RenderJob
    from app.store import repo

    prompt = check_text(args.prompt, "the prompt").strip()
    negative = check_text(args.negative, "the negative prompt").strip()
    adapters = _lora_args(args.lora)
    prompt, tagged = _take_tags(prompt)  # <lora:NAME:W> becomes an adapter, not words
    negative, tagged_neg = _take_tags(negative)
    adapters += tagged + tagged_neg
    if not prompt:
        raise UsageError("--prompt is empty: say what the picture should show")
    width, height = parse_size(args.size)
    try:
        brief = Brief.from_prompt(prompt, negative)
    except ValueError as exc:
        raise UsageError(f"the prompt cannot be read: {exc}") from None
    seed = args.seed if args.seed is not None else random.randrange(2**31)
    with command_studio(args) as studio:
        board = repo.get_board(studio, check_text(args.board, "the board name"))
        job = RenderJob(board_id=board.id, brief=brief.to_dict(), seed=seed, steps=args.steps,
                        guidance=args.guidance, width=width, height=height, count=args.count,
                        scheduler=args.scheduler, twin=check_text(args.twin, "--twin"), adapters=adapters)
        _validate(job)  # all input checked before a model is looked for
        _authorize(studio, job)
        _find_adapters(job, studio.path)
        job.model = _pick_model(args.model, studio.path)
        shots, interrupted = _render(studio, job)
        _print(studio, shots, args.json, {board.id: board.name}, extra={"interrupted": True} if interrupted else None)
    return _interrupted(shots) if interrupted else 0


def run_direct(args) -> int:
    from app.core.brief import Brief
    from app.core.interpret import EmptyNote, interpret
    from app.services import direct
    from app.store import repo

    note_text = check_text(args.note, "the note")
    by = check_text(args.by, "--by").strip()
    if not by:
        raise UsageError("--by is empty: say who gives the note")
    with command_studio(args) as studio:
        parent = repo.get_shot(studio, args.shot)
        before = Brief.from_dict(parent.brief)
        try:
            reading = interpret(note_text, before)
        except EmptyNote as exc:
            raise UsageError(str(exc)) from None
        if not reading.understood:
            if args.json:
                print(json.dumps(reading.to_json(before, before), ensure_ascii=False))
            print(f"atelier: {reading.message}", file=sys.stderr)
            return NOT_UNDERSTOOD
        after = reading.apply(before)
        note = direct.note_draft(parent, note_text, reading.language, by, args.role,
                                 reading.edits)
        try:
            _resolve(parent.model, studio.path)
        except UsageError as exc:
            raise UsageError(f"shot {parent.id} was made with a model this machine lacks: {exc}") from None
        # The same use case as the window's direction panel (app/services/direct.py).
        job = direct.direction_job(parent, after, count=args.count, note=note,
                                   new_seeds=args.new_seeds, strength=args.strength)
        job.adapters = list(job.adapters) + _lora_args(args.lora)  # the parent's, then those added
        _validate(job)
        _authorize(studio, job)  # a twin shot keeps its twin: consent is checked again
        _find_adapters(job, studio.path)
        if not args.json:
            print(f"note: {reading.message}", file=sys.stderr)
        shots, interrupted = _render(studio, job)
        board = repo.get_board(studio, parent.board_id)
        _print(studio, shots, args.json, {board.id: board.name},
               extra={"note": reading.to_json(before, after), **({"interrupted": True} if interrupted else {})})
    return _interrupted(shots) if interrupted else 0


def _lora_args(values) -> list[dict]:
    from app.engine.lora import parse_lora

    out = []
    for value in values or []:
        try:
            out.append(parse_lora(check_text(value, "--lora")))
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    return out


def _find_adapters(job, studio_path) -> None:
    """Every adapter asked for by name or path is here and is a safetensors LoRA (a pickle is
    refused by its name); whether each fits the model is checked when the model is known."""
    from app.engine.models import ModelError, resolve_adapter

    for a in job.adapters:
        if a.get("hash"):
            continue  # a parent's adapter: found by its content when rendering
        try:
            resolve_adapter(a["name"], studio=studio_path)
        except ModelError as exc:
            raise UsageError(str(exc)) from None


def _take_tags(text: str):
    from app.engine.lora import take_tags

    try:
        return take_tags(text)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _authorize(studio, job) -> None:
    """A twin without a consent covering the board's use is refused (exit 4) here, before a
    model is looked for; the runner checks again (app/talent/enforce.py)."""
    from app.talent.enforce import for_job

    for_job(studio, job)


def _resolve(name: str, studio_path):
    from app.engine.models import ModelError, resolve_model

    try:
        return resolve_model(name, studio=studio_path)
    except ModelError as exc:
        raise UsageError(str(exc)) from None


def _pick_model(asked: str | None, studio_path) -> str:
    """The model asked for; else the first runnable real model; else the demo model (said)."""
    from app.engine.demo import PLACEHOLDER_NOTE
    from app.engine.models import find_models

    if asked is not None:
        return _resolve(check_text(asked, "--model"), studio_path).name
    real = [m for m in find_models(studio=studio_path) if m.kind != "demo" and m.runnable]
    if real:
        print(f"atelier: using {real[0].name} (choose another with --model)", file=sys.stderr)
        return real[0].name
    print(f"atelier: {PLACEHOLDER_NOTE}", file=sys.stderr)
    return "demo"


def _validate(job) -> None:
    from app.engine.render import SCHEDULERS

    try:
        job.validate()
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if job.scheduler is not None and job.scheduler.lower() not in SCHEDULERS:
        raise UsageError(f"unknown scheduler {job.scheduler!r}: use one of {', '.join(SCHEDULERS)}")


_runner = None  # one per process: a model loaded once serves every command run in it


INTERRUPTED = 130  # Ctrl-C: the shell's code for SIGINT


def _render(studio, job) -> tuple[list, bool]:
    """(the shots stored, whether Ctrl-C stopped the render). The first Ctrl-C while pictures
    are rendering stops within one step and keeps the pictures already stored; before the
    render starts (a model loading), or a second time, it stops at once."""
    global _runner
    from app.engine.checkpoint import ModelError
    from app.engine.runner import Runner
    from app.store import repo

    _runner = _runner or Runner()
    bar = _ProgressBar() if sys.stderr.isatty() else None
    cancel = threading.Event()
    state = {"rendering": False, "stored": []}

    def emit(event) -> None:
        if event.kind == "started":
            state["rendering"] = True
        elif event.kind == "stored":
            state["stored"] += list(event.shot_ids)
        if bar is not None:
            bar(event)

    def on_sigint(_signum, _frame) -> None:
        if state["rendering"] and not cancel.is_set():
            cancel.set()
            print("\natelier: stopping after this step; finished pictures are kept (Ctrl-C again to quit now)",
                  file=sys.stderr)
            return
        raise KeyboardInterrupt

    previous = _install_sigint(on_sigint)
    try:
        shots = _runner.run(studio, job, emit, cancel)
        return shots, cancel.is_set()
    except KeyboardInterrupt:
        return [repo.get_shot(studio, i) for i in state["stored"]], True
    except (ModelError, ValueError) as exc:
        raise UsageError(str(exc)) from None
    finally:
        _install_sigint(previous)
        if bar is not None:
            bar.close()


def _install_sigint(handler):
    """Install a SIGINT handler (main thread only); the one it replaces, or None."""
    import signal

    if handler is None or threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGINT, handler)


def _interrupted(shots) -> int:
    print(f"atelier: interrupted; {len(shots)} finished picture(s) kept"
          + (f" (shot {', '.join(str(s.id) for s in shots)})" if shots else ""), file=sys.stderr)
    return INTERRUPTED


class _ProgressBar:
    """A one-line bar on stderr (only when stderr is a terminal)."""

    def __init__(self):
        self.shown = False

    def __call__(self, event) -> None:
        if event.kind == "loading":
            sys.stderr.write(f"\rloading {event.model}…")
        elif event.kind == "progress" and event.total:
            filled = int(30 * event.step / event.total)
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {event.step}/{event.total} steps ")
        else:
            return
        self.shown = True
        sys.stderr.flush()

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def shot_json(studio, shot, board_name: str) -> dict:
    return {"id": shot.id, "board": board_name, "board_id": shot.board_id,
            "image": str(studio.images.path(shot.image).resolve()),
            "thumb": str(studio.images.thumb_path(shot.image).resolve()),
            "seed": shot.seed, "prompt": shot.prompt, "negative": shot.negative,
            "parent_id": shot.parent_id, "note_id": shot.note_id, "model": shot.model,
            "model_hash": shot.model_hash, "steps": shot.steps, "guidance": shot.guidance,
            "size": f"{shot.width}x{shot.height}", "width": shot.width, "height": shot.height,
            "scheduler": shot.scheduler, "strength": shot.strength, "adapters": list(shot.adapters or []),
            "created_at": shot.created_at}


def _print(studio, shots, as_json: bool, boards: dict, extra: dict | None = None) -> None:
    if as_json:
        out = {"shots": [shot_json(studio, s, boards[s.board_id]) for s in shots]}
        print(json.dumps({**out, **(extra or {})}, ensure_ascii=False, indent=2))
        return
    for s in shots:
        print(f"shot {s.id}  seed {s.seed}  {s.width}x{s.height}  {studio.images.path(s.image)}")
