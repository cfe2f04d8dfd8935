"""Runner: owns the loaded pipeline and runs one RenderJob to stored shots.

Plain Python, no Qt: the command line calls it directly, the worker calls it from its
thread. A model stays loaded until a job asks for another one."""

from __future__ import annotations

import gc
import os
import sys
import threading

from app.engine import lora
from app.engine.checkpoint import ModelError
from app.engine.jobs import JobEvent, RenderJob
from app.engine.render import DEFAULT_SCHEDULER, Cancelled

from app.engine.families import defaults as family_defaults

OOM_MESSAGE = "ran out of GPU memory — try a smaller size or fewer images"


class Runner:
    def __init__(self, placement=None, extra_model_paths=()):
        self._placement = placement  # None: app.engine.device.choose() on first load
        self.extra_model_paths = tuple(extra_model_paths)
        self.info = None  # ModelInfo of the loaded model
        self.model_hash = ""
        self.renderer = None
        self._lock = threading.Lock()  # one render at a time, whoever calls

    @property
    def placement(self):
        if self._placement is None:
            from app.engine.device import choose

            self._placement = choose()
        return self._placement

    def load(self, model, emit=None, job_id: str = "", studio_path=None):
        """Load `model` (name, path, "demo", or a ModelInfo) unless it is the one loaded; the
        ModelInfo. Names are looked up in `studio_path`/models, $ATELIER_MODELS, the extra
        paths and the Hugging Face cache."""
        from app.engine.models import ModelInfo, resolve_model

        info = model if isinstance(model, ModelInfo) else \
            resolve_model(model, extra=self.extra_model_paths, studio=studio_path)
        if self.info is not None and self.info.path == info.path and self.renderer is not None:
            return self.info
        if emit is not None:
            emit(JobEvent("loading", job_id, model=info.name, message=f"loading {info.name}"))
        self.unload()
        from app.engine.loading import load_pipeline, model_hash
        from app.engine.render import Renderer

        pipe = load_pipeline(info, self.placement)
        self.renderer, self.info, self.model_hash = Renderer(pipe), info, model_hash(info)
        return info

    def unload(self) -> None:
        self.renderer, self.info, self.model_hash = None, None, ""
        gc.collect()
        torch = sys.modules.get("torch")
        if torch is not None and torch.cuda.is_available():
            torch.cuda.empty_cache()

    def run(self, studio, job: RenderJob, emit, cancel: threading.Event, job_id: str = "") -> list:
        """Render the job's shots, each stored as soon as its picture exists (a `stored`
        event per picture); emits started/progress/preview/stored/finished, or cancelled
        (returns the shots stored before the cancel, which stay), or failed (then re-raises;
        pictures stored before the failure stay too, named in the event's shot_ids)."""
        emit = emit or (lambda event: None)
        kept: list = []
        with self._lock:
            try:
                return self._run(studio, job, emit, cancel, job_id, kept)
            except Cancelled:
                emit(JobEvent("cancelled", job_id, shot_ids=[s.id for s in kept]))
                return kept
            except BaseException as exc:
                emit(JobEvent("failed", job_id, message=describe_error(exc), shot_ids=[s.id for s in kept]))
                raise

    def batch_size(self, count: int, width: int, height: int) -> int:
        """Images per pipeline call: on CUDA as many as about four 1024² pictures' worth of
        pixels (at most 8), one at a time elsewhere; ATELIER_BATCH=N overrides (1: one by one)."""
        env = os.environ.get("ATELIER_BATCH", "").strip()
        if env:
            try:
                return max(1, min(count, int(env)))
            except ValueError:
                raise ValueError(f"ATELIER_BATCH must be a whole number (got {env!r})") from None
        if not self.placement.device.startswith("cuda"):
            return 1
        return max(1, min(count, 8, (4 * 1024 * 1024) // max(1, width * height)))

    def _run(self, studio, job, emit, cancel, job_id, kept):
        from app.core.brief import Brief
        from app.engine.models import resolve_model
        from app.talent import enforce

        job.validate()
        grant = enforce.for_job(studio, job)  # a twin without consent is refused before any work
        prompt, negative = Brief.from_dict(job.brief).render()
        prompt, tagged = lora.take_tags(prompt)  # <lora:NAME:W> is an adapter, never encoder text
        prompt = enforce.prompt_with_trigger(prompt, grant)
        if cancel.is_set():
            raise Cancelled()
        studio_path = getattr(studio, "path", None)
        info = resolve_model(job.model, extra=self.extra_model_paths, studio=studio_path)
        # Adapters are checked before the model loads: a wrong one costs no load.
        adapters = lora.resolve(list(job.adapters or []) + tagged + _twin_adapter(studio, grant), info,
                                self.extra_model_paths, studio_path)
        self.load(info, emit, job_id, studio_path)
        try:
            self.renderer.apply_adapters(adapters)
            return self._render(studio, job, emit, cancel, job_id, info, prompt, negative, adapters, grant, kept)
        finally:
            if self.renderer is not None:
                self.renderer.clear_adapters()  # one job's adapters never reach the next

    def _render(self, studio, job, emit, cancel, job_id, info, prompt, negative, adapters, grant, kept):
        from app.store import repo
        from app.store.records import ShotDraft

        from app.talent import enforce

        steps, guidance, side = family_defaults(info.family)
        steps = job.steps or steps
        guidance = job.guidance if job.guidance is not None else guidance
        width, height = job.width or side, job.height or side
        scheduler = job.scheduler or DEFAULT_SCHEDULER
        init_image = None
        if job.init_shot_id is not None:
            from PIL import Image

            parent = repo.get_shot(studio, job.init_shot_id)
            with Image.open(studio.images.path(parent.image)) as img:
                init_image = img.convert("RGB")
        strength = job.strength if init_image is not None else None
        if strength is not None and int(steps * strength) < 1:
            raise ValueError(f"strength {strength} of {steps} steps leaves no step to run: "
                             "raise the strength or the steps")
        per_image = self.renderer.image_steps(steps, strength)
        total = per_image * job.count
        emit(JobEvent("started", job_id, total=total, model=info.name))
        note_id = None
        batch = self.batch_size(job.count, width, height)
        i = 0
        while i < job.count:
            seeds = [job.seed + k for k in range(i, min(job.count, i + batch))]
            done, n = i * per_image, len(seeds)
            try:
                images = self.renderer.render_batch(
                    prompt=prompt, negative=negative, seeds=seeds, steps=steps, guidance=guidance,
                    width=width, height=height, scheduler=scheduler, init_image=init_image,
                    strength=strength, cancel=cancel,
                    on_step=lambda s, d=done, n=n: emit(JobEvent("progress", job_id, step=d + s * n, total=total)),
                    on_preview=lambda im: emit(JobEvent("preview", job_id, image=im)))
            except Exception as exc:
                if n == 1 or not _is_oom(exc):
                    raise
                _empty_cuda_cache()
                batch = 1  # memory is short for a batch: the rest one at a time
                continue
            for seed, image in zip(seeds, images):
                if cancel.is_set():  # asked after the last step: this picture is not kept
                    raise Cancelled()
                draft = ShotDraft(board_id=job.board_id, brief=job.brief, prompt=prompt, negative=negative,
                                  model=info.name, model_hash=self.model_hash, seed=seed, steps=steps,
                                  guidance=guidance, width=width, height=height, scheduler=scheduler,
                                  parent_id=job.parent_id, strength=strength,
                                  adapters=[a.recipe() for a in adapters])
                stored = repo.add_shots(studio, [draft], [image], note=job.note if note_id is None else None,
                                        note_id=note_id, after=enforce.recorder(grant))
                note_id = stored[0].note_id
                kept.extend(stored)
                emit(JobEvent("stored", job_id, shot_ids=[s.id for s in stored]))
            i += n
        emit(JobEvent("finished", job_id, shot_ids=[s.id for s in kept]))
        return list(kept)


def _is_oom(exc: BaseException) -> bool:
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(exc, torch.cuda.OutOfMemoryError)


def _empty_cuda_cache() -> None:
    torch = sys.modules.get("torch")
    if torch is not None and torch.cuda.is_available():
        torch.cuda.empty_cache()


def _twin_adapter(studio, grant) -> list[dict]:
    """The twin's own adapter (kept in the studio by its hash), when the talent has one."""
    if grant is None or not getattr(grant.talent, "adapter", None):
        return []
    from app.talent.repo import adapter_path

    path = adapter_path(studio, grant.talent)
    if path is None:
        return []
    name = grant.talent.adapter_name or f"{grant.talent.name} twin"
    name = name[: -len(".safetensors")] if name.endswith(".safetensors") else name
    return [{"name": name, "path": str(path), "hash": grant.talent.adapter, "weight": lora.DEFAULT_WEIGHT,
             "label": name}]


def describe_error(exc: BaseException) -> str:
    """One sentence a person can act on."""
    torch = sys.modules.get("torch")  # only loaded torch can have raised its errors
    if torch is not None and isinstance(exc, torch.cuda.OutOfMemoryError):
        torch.cuda.empty_cache()
        return OOM_MESSAGE
    if isinstance(exc, (ModelError, ValueError)):
        return str(exc)
    from app.store.errors import RuleViolation, StoreError

    if isinstance(exc, RuleViolation):  # e.g. a twin without consent: the rule says why
        return str(exc)
    if isinstance(exc, StoreError):
        return f"the shots could not be saved: {exc}"
    if isinstance(exc, MemoryError):
        return "ran out of memory — try a smaller size or fewer images"
    return f"the render failed ({type(exc).__name__}: {exc})"
