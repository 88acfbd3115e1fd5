from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from kis.accounts import policy


def access(request: HttpRequest) -> dict[str, Any]:
    """Expose the request's grants to templates (navigation per persona)."""
    return {"access": policy.access(request)} if hasattr(request, "user") else {}
