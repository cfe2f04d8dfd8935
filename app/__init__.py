"""Atelier: a desktop studio for AI art direction in fashion."""

__version__ = "0.1.0"
