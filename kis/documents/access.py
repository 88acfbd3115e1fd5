"""Checked fetches for the documents app (style.md §3)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from kis.accounts.policy import Can, access
from kis.clubs.access import deny
from kis.documents.models import DocumentBatch
from kis.lib.http import AuthenticatedHttpRequest


def get_batch_for(request: AuthenticatedHttpRequest, pk: int) -> DocumentBatch:
    """A batch of a club in the user's scope (else 404) where the user may print documents (else 403)."""
    user_access = access(request)
    batch = (
        DocumentBatch.objects.filter(user_access.club_q(prefix="club__"))
        .select_related("club", "club__operator", "created_by")
        .filter(pk=pk)
        .first()
    )
    if batch is None:
        deny(request, DocumentBatch, pk, status=404)
        raise Http404
    if not user_access.can(Can.PRINT_DOCUMENTS, batch.club):
        deny(request, DocumentBatch, pk, status=403)
        raise PermissionDenied
    return batch
