"""Test world: document templates and a PDF batch (owned by the documents app's work)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kis.lib.testing import World


def make_documents(world: World) -> None:
    """Fill the world's documents fields (see World)."""
