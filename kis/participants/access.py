"""Checked fetches for participants and everything in their files."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

from kis.accounts.policy import Can, access
from kis.clubs.access import deny
from kis.lib.http import AuthenticatedHttpRequest
from kis.participants.models import Participant


def get_participant_for(request: AuthenticatedHttpRequest, pk: int, *, need: Can = Can.VIEW_CASE) -> Participant:
    """The participant if the user reaches them (else 404) and holds ``need`` in their club (else 403)."""
    user_access = access(request)
    participant = (
        Participant.objects.visible_to(user_access)
        .select_related("club", "club__operator", "gmina")
        .filter(pk=pk)
        .first()
    )
    if participant is None:
        deny(request, Participant, pk, status=404)
        raise Http404
    if not user_access.can(need, participant.club):
        deny(request, Participant, pk, status=403)
        raise PermissionDenied
    return participant


def get_in_file[M: models.Model](
    request: AuthenticatedHttpRequest, model: type[M], participant: Participant, pk: int
) -> M:
    """A row of ``model`` in ``participant``'s file (already checked), else 404."""
    obj = model._default_manager.filter(participant=participant, pk=pk).first()
    if obj is None:
        deny(request, model, pk, status=404)
        raise Http404
    return obj
