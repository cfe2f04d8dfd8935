"""The talent area in the window: talents, consents, usage, board use, twin marks."""

from app.ui.talent.hooks import install

__all__ = ["install"]
