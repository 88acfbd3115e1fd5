"""Who is asking and from where, for the audit trail, without threading the request through."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    ip: str | None = None


_EMPTY = RequestContext()
_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar("kis_request", default=None)


def begin(*, request_id: str, ip: str | None) -> contextvars.Token[RequestContext | None]:
    return _current.set(RequestContext(request_id=request_id, ip=ip))


def end(token: contextvars.Token[RequestContext | None]) -> None:
    _current.reset(token)


def current() -> RequestContext:
    return _current.get() or _EMPTY
