"""Every view declares its access policy with exactly one of these (checked by a test)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_not_required


def public[V: Callable[..., Any]](view: V) -> V:
    """Anyone, logged in or not."""
    view = login_not_required(view)
    view.kis_policy = "public"  # type: ignore[attr-defined]
    return view


def scoped[V: Callable[..., Any]](view: V) -> V:
    """A logged-in user; the view fetches through a checked helper (404 outside the scope)."""
    view.kis_policy = "scoped"  # type: ignore[attr-defined]
    return view
