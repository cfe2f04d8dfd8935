"""Where things live: the project's resources and the studio folder."""

from __future__ import annotations

import os
from pathlib import Path

# Resources ship inside the package (app/resources), so an installed wheel finds them.
RESOURCES = Path(__file__).resolve().parent / "resources"


def resource(*parts: str) -> Path:
    """Path of a file under resources/ (lexicons, the demo model's config, the style sheet)."""
    return RESOURCES.joinpath(*parts)


def default_studio() -> Path:
    """The studio folder: $ATELIER_STUDIO, else the platform's user data folder for Atelier."""
    env = os.environ.get("ATELIER_STUDIO")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("Atelier", appauthor=False))
