from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from kis.accounts.policy import Can, access
from kis.clubs.access import deny
from kis.contracts.models import SocialContract
from kis.lib.http import AuthenticatedHttpRequest
from kis.participants.models import Participant


def get_contract_for(request: AuthenticatedHttpRequest, pk: int) -> SocialContract:
    user_access = access(request)
    visible = Participant.objects.visible_to(user_access)
    contract = (
        SocialContract.objects.filter(participant__in=visible)
        .select_related("participant", "participant__club")
        .filter(pk=pk)
        .first()
    )
    if contract is None:
        deny(request, SocialContract, pk, status=404)
        raise Http404
    if not user_access.can(Can.VIEW_CASE, contract.participant.club):
        deny(request, SocialContract, pk, status=403)
        raise PermissionDenied
    return contract
