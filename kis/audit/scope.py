from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scope:
    """Where an audited object lives, for scoping the trail's viewers."""

    club_id: int | None = None
    operator_id: int | None = None
    voivodeship: str = ""
