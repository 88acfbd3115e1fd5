"""Demo document templates and a PDF batch."""

from __future__ import annotations


def is_loaded() -> bool:
    return True


def load() -> None:
    """Load the demo document templates and a PDF batch (idempotent: called when ``is_loaded()`` is false)."""
