"""Delivery in the window: Board → Export…, Board → Contact sheet…, Studio → Verify a file…,
and verification of a file dropped on the window."""

from app.ui.delivery.hooks import install  # noqa: F401
