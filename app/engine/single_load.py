"""Loading a single-file checkpoint offline: diffusers' `from_single_file` with the bundled
config folder that fits the checkpoint (app/resources/model_configs/<config>), its tokenizers
built from bundled files, `local_files_only=True` and the hub forced offline."""

from __future__ import annotations

from app.engine.checkpoint import ModelError
from app.engine.families import FAMILIES


def load_single_file(info, dtype: dict):
    import diffusers

    from app.engine.singlefile import CONFIG_ROOT

    family = FAMILIES.get(info.family or "")
    if family is None or not info.config or not (CONFIG_ROOT / info.config / "model_index.json").is_file():
        raise ModelError(f"{info.name}: Atelier has no bundled configuration for this {info.family or 'unknown'} "
                         "checkpoint, so it cannot be loaded offline; use a diffusers folder of this model")
    cls = getattr(diffusers, family.pipeline, None)
    if cls is None:
        raise ModelError(f"{info.name}: the installed diffusers cannot load a {info.family} checkpoint")
    return cls.from_single_file(str(info.path), config=str(CONFIG_ROOT / info.config),
                                local_files_only=True, **dtype)
