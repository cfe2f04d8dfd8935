"""Where things live: the project's resources and the studio folder."""

from __future__ import annotations

import os
from importlib import resources as _resources
from pathlib import Path


def _resources_dir() -> Path:
    """app/resources as a real folder. Resources ship inside the package (package-data),
    found through importlib.resources, so a wheel installed anywhere (or a PyInstaller
    bundle, which unpacks them beside the code) finds them; nothing is relative to a
    checkout. Atelier is never imported from a zip, so the traversable is a Path."""
    found = _resources.files("app") / "resources"
    return found if isinstance(found, Path) else Path(str(found))


RESOURCES = _resources_dir()


def resource(*parts: str) -> Path:
    """Path of a file under resources/ (lexicons, the demo model's config, the style sheet,
    icons)."""
    return RESOURCES.joinpath(*parts)


def default_studio() -> Path:
    """The studio folder: $ATELIER_STUDIO, else the platform's user data folder for Atelier."""
    env = os.environ.get("ATELIER_STUDIO")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("Atelier", appauthor=False))


def config_dir() -> Path:
    """This user's Atelier settings folder: $ATELIER_CONFIG, else the platform's user config
    folder for Atelier. It holds what must live outside a studio (the record keys and the
    record heads of app/store/keys.py), so that whoever can write a studio cannot rewrite it."""
    env = os.environ.get("ATELIER_CONFIG")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("Atelier", appauthor=False))
