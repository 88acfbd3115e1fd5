"""Checked fetches: every club-scoped object is read through one of these (style.md §3)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

from kis import audit
from kis.accounts.policy import Can, access
from kis.audit.trail import scope_of
from kis.clubs.models import Club, ComputerStation, Operator, Room
from kis.lib.http import AuthenticatedHttpRequest


def deny(request: AuthenticatedHttpRequest, model: type[models.Model], pk: object, *, status: int) -> None:
    """Record an access denial in the scope of the object asked for; the caller raises 404 or 403.

    The lookup is unscoped on purpose: the denial must reach the audit viewers of the data's owner.
    """
    target = model._default_manager.filter(pk=pk).first() if str(pk).isdigit() else None
    audit.record(
        request.user,
        "access.denied",
        None,
        scope=scope_of(target),
        object_type=model._meta.label,
        object_id=str(pk),
        status=status,
        path=request.path[:200],
    )


def get_club_for(request: AuthenticatedHttpRequest, pk: int, *, need: Can = Can.VIEW_CLUB) -> Club:
    """The club, if the user reaches it (else 404) and holds ``need`` there (else 403)."""
    user_access = access(request)
    club = Club.objects.visible_to(user_access).select_related("operator", "gmina").filter(pk=pk).first()
    if club is None:
        deny(request, Club, pk, status=404)
        raise Http404
    if not user_access.can(need, club):
        deny(request, Club, pk, status=403)
        raise PermissionDenied
    return club


def get_operator_for(request: AuthenticatedHttpRequest, pk: int, *, write: bool = False) -> Operator:
    user_access = access(request)
    operator = Operator.objects.visible_to(user_access).select_related("gmina").filter(pk=pk).first()
    if operator is None:
        deny(request, Operator, pk, status=404)
        raise Http404
    if write and pk not in user_access.operator_ids("operator"):
        deny(request, Operator, pk, status=403)
        raise PermissionDenied
    return operator


def get_in_club[M: models.Model](request: AuthenticatedHttpRequest, model: type[M], club: Club, pk: int) -> M:
    """A row of ``model`` that belongs to ``club`` (already checked), else 404."""
    obj = model._default_manager.filter(club=club, pk=pk).first()
    if obj is None:
        deny(request, model, pk, status=404)
        raise Http404
    return obj


__all__ = ["ComputerStation", "Room", "get_club_for", "get_in_club", "get_operator_for"]
