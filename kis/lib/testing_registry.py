"""Test world: register entries and notifications (owned by the registry app's work)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kis.lib.testing import World


def make_registry(world: World) -> None:
    """Fill the world's registry fields (see World)."""
