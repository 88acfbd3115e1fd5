"""Demo register entries and notifications."""

from __future__ import annotations


def is_loaded() -> bool:
    return True


def load() -> None:
    """Load the demo register entries and notifications (idempotent: called when ``is_loaded()`` is false)."""
