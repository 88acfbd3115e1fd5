"""The audit trail. Imports no domain app; call ``kis.audit.record`` explicitly.

The functions are thin wrappers so that importing this package does not load models.
"""

from __future__ import annotations

from typing import Any


def record(*args: Any, **kwargs: Any) -> Any:
    from kis.audit.trail import record as _record

    return _record(*args, **kwargs)


def save_form(*args: Any, **kwargs: Any) -> Any:
    from kis.audit.trail import save_form as _save_form

    return _save_form(*args, **kwargs)
