"""Test world: annual reports (owned by the reports app's work)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kis.lib.testing import World


def make_reports(world: World) -> None:
    """Fill the world's reports fields (see World)."""
