"""URL converters shared by the apps' URL patterns."""

from __future__ import annotations

from datetime import date

from django.urls import register_converter


class MonthConverter:
    """``2026-02`` in a URL, the first day of that month in the view."""

    regex = r"[0-9]{4}-(?:0[1-9]|1[0-2])"

    def to_python(self, value: str) -> date:
        return date(int(value[:4]), int(value[5:]), 1)

    def to_url(self, value: date) -> str:
        return f"{value.year:04d}-{value.month:02d}"


# Registered once, on import (register_converter refuses a name registered twice).
register_converter(MonthConverter, "month")
