"""Attendance rates and their compliance bands (contract clauses, the plan, the participant's rates)."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_THRESHOLD = 80


def band(present: int, total: int, *, threshold: int = DEFAULT_THRESHOLD) -> str:
    """``good`` at or above the threshold, ``warning`` up to 20 points below, ``poor`` under that."""
    if total == 0:
        return "none"
    rate = 100 * present / total
    return "good" if rate >= threshold else "warning" if rate >= threshold - 20 else "poor"


@dataclass(frozen=True)
class Rate:
    """Sessions attended of sessions marked."""

    name: str
    present: int
    total: int
    threshold: int = DEFAULT_THRESHOLD

    @property
    def percent(self) -> int | None:
        return round(100 * self.present / self.total) if self.total else None

    @property
    def band(self) -> str:
        return band(self.present, self.total, threshold=self.threshold)
