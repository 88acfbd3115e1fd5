"""Demo annual reports."""

from __future__ import annotations


def is_loaded() -> bool:
    return True


def load() -> None:
    """Load the demo annual reports (idempotent: called when ``is_loaded()`` is false)."""
