"""Rendering one image with a loaded pipeline: schedulers, compel conditioning, previews
from the step callback, and cancel between steps without the final VAE decode."""

from __future__ import annotations

import inspect

from app.engine.previews import Previewer, fitted_map
from app.engine.prompts import Conditioner

# Scheduler names stored in recipes -> (diffusers class, config overrides).
SCHEDULERS = {
    "dpm++2m": ("DPMSolverMultistepScheduler", {"use_karras_sigmas": False}),
    "dpm++2m-karras": ("DPMSolverMultistepScheduler", {"use_karras_sigmas": True}),
    "euler": ("EulerDiscreteScheduler", {}),
    "euler-a": ("EulerAncestralDiscreteScheduler", {}),
    "ddim": ("DDIMScheduler", {}),
    "unipc": ("UniPCMultistepScheduler", {}),
}
DEFAULT_SCHEDULER = "dpm++2m"


class Cancelled(Exception):
    """Raised from the step callback when cancel is set: unwinds the pipeline at once,
    so the remaining steps and the final VAE decode never run."""


class Renderer:
    """One loaded pipeline and what it needs per render (conditioning, previews, the
    image-to-image variant sharing the same modules)."""

    def __init__(self, pipe):
        self.pipe = pipe
        self._base_scheduler = dict(pipe.scheduler.config)
        self._img2img = None
        self.conditioner = Conditioner(pipe)
        factors, bias = fitted_map(pipe)
        self.previewer = Previewer(xl=getattr(pipe, "tokenizer_2", None) is not None, factors=factors, bias=bias)
        self.steps_run = 0  # denoising steps completed by the last render (for benchmarks)
        self.adapters: list = []  # app.engine.lora.Adapter, applied now

    def apply_adapters(self, adapters) -> None:
        """Apply LoRA adapters (app.engine.lora.Adapter) with their weights, replacing any
        applied before. The file is read with safetensors (never unpickled); a file that does
        not fit the model is a ModelError, and leaves no adapter behind."""
        self.clear_adapters()
        if not adapters:
            return
        import warnings

        from safetensors.torch import load_file

        from app.engine.checkpoint import ModelError

        self.adapters = list(adapters)  # set first: a failure half-way is cleared below
        names = []
        try:
            for i, adapter in enumerate(adapters):
                name = f"atelier_{i}"
                with warnings.catch_warnings():  # peft warns when a second adapter joins
                    warnings.simplefilter("ignore")
                    self.pipe.load_lora_weights(load_file(adapter.path), adapter_name=name)
                names.append(name)
            self.pipe.set_adapters(names, [a.weight for a in adapters])
        except ImportError as exc:
            self.clear_adapters()
            raise ModelError(f"LoRA adapters need the peft package ({exc}); install it with "
                             "`pip install peft`") from exc
        except (ValueError, KeyError, RuntimeError, TypeError, OSError) as exc:
            self.clear_adapters()
            bad = adapters[len(names)] if len(names) < len(adapters) else adapters[-1]
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
            raise ModelError(f"{bad.name}: this adapter does not fit the loaded model ({first}); "
                             "choose an adapter made for this model's family") from exc

    def clear_adapters(self) -> None:
        """Take every adapter out of the pipeline (and the image-to-image one sharing its
        modules): the next job renders as if none had ever been loaded."""
        if not self.adapters:
            return
        self.adapters = []
        self.pipe.unload_lora_weights()

    def scheduler_for(self, name: str | None):
        import diffusers

        key = (name or DEFAULT_SCHEDULER).lower()
        if key not in SCHEDULERS:
            raise ValueError(f"unknown scheduler {name!r}: use one of {', '.join(SCHEDULERS)}")
        cls_name, overrides = SCHEDULERS[key]
        if self.pipe.scheduler.__class__.__name__.startswith("FlowMatch"):
            cls_name, overrides = self.pipe.scheduler.__class__.__name__, {}  # FLUX/SD3 keep theirs
        cls = getattr(diffusers, cls_name)
        return cls.from_config({**self._base_scheduler, **overrides})

    def image_steps(self, steps: int, strength: float | None) -> int:
        """Denoising steps a render really runs (image-to-image skips the first ones)."""
        if strength is None:
            return steps
        return max(1, min(int(steps * strength), steps))

    def render(self, *, prompt: str, negative: str, seed: int, steps: int, guidance: float,
               width: int, height: int, scheduler: str | None = None, init_image=None,
               strength: float | None = None, cancel=None, on_step=None, on_preview=None):
        """One PIL image. `on_step(done)` after every step, `on_preview(PIL image)` after
        every step but the last; raises Cancelled within one step of `cancel` being set."""
        return self.render_batch(prompt=prompt, negative=negative, seeds=[seed], steps=steps,
                                 guidance=guidance, width=width, height=height, scheduler=scheduler,
                                 init_image=init_image, strength=strength, cancel=cancel,
                                 on_step=on_step, on_preview=on_preview)[0]

    def render_batch(self, *, prompt: str, negative: str, seeds, steps: int, guidance: float,
                     width: int, height: int, scheduler: str | None = None, init_image=None,
                     strength: float | None = None, cancel=None, on_step=None, on_preview=None):
        """len(seeds) PIL images from one pipeline call, image i from its own CPU generator
        seeded seeds[i] (the noise a single render with that seed gets). Previews show the
        first image."""
        import torch

        pipe = self.pipe
        if init_image is not None:
            if self._img2img is None:
                from diffusers import AutoPipelineForImage2Image

                self._img2img = AutoPipelineForImage2Image.from_pipe(self.pipe)
                self._img2img.set_progress_bar_config(disable=True)
            pipe = self._img2img
        pipe.scheduler = self.scheduler_for(scheduler)
        total = self.image_steps(steps, strength if init_image is not None else None)
        self.steps_run = 0

        def on_step_end(_pipe, i, _t, kwargs):
            self.steps_run = i + 1
            if cancel is not None and cancel.is_set():
                raise Cancelled()
            if on_step is not None:
                on_step(min(i + 1, total))
            if on_preview is not None and i + 1 < total:
                image = self.previewer(kwargs["latents"])
                if image is not None:
                    on_preview(image)
            return kwargs

        # A CPU generator gives the same noise on every device: recipes stay portable.
        generators = [torch.Generator("cpu").manual_seed(int(seed)) for seed in seeds]
        generator = generators[0] if len(generators) == 1 else generators
        args = dict(self.conditioner(prompt, negative), num_inference_steps=steps,
                    guidance_scale=guidance, generator=generator, callback_on_step_end=on_step_end,
                    callback_on_step_end_tensor_inputs=["latents"], output_type="pil")
        if init_image is not None:
            args.update(image=init_image.convert("RGB").resize((width, height)), strength=strength)
        else:
            args.update(width=width, height=height)
        if len(generators) > 1:
            args["num_images_per_prompt"] = len(generators)
        accepted = inspect.signature(pipe.__call__).parameters
        args = {k: v for k, v in args.items() if k in accepted}
        if cancel is not None and cancel.is_set():
            raise Cancelled()
        return list(pipe(**args).images)
