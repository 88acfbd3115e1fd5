"""Checked fetches of the register (style.md §3): 404 outside the scope, 403 inside it without the role.

The register of a club is open to those who notify for it (the club's leader, the operator
admin: ``Can.NOTIFY_REGISTER``) and to the voivode officer who keeps it (``Can.KEEP_REGISTER``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from kis.accounts.models import Role
from kis.accounts.policy import CLUB_CAPABILITIES, Can, access
from kis.clubs.access import deny
from kis.clubs.models import Club
from kis.lib.http import AuthenticatedHttpRequest
from kis.registry.models import ImportBatch, Notification, RegisterEntry

REGISTER_ROLES = CLUB_CAPABILITIES[Can.NOTIFY_REGISTER] | CLUB_CAPABILITIES[Can.KEEP_REGISTER]


def _allowed(request: AuthenticatedHttpRequest, club: Club, need: Can | None) -> bool:
    user_access = access(request)
    if need is None:
        return user_access.can(Can.NOTIFY_REGISTER, club) or user_access.can(Can.KEEP_REGISTER, club)
    return user_access.can(need, club)


def get_register_club_for(request: AuthenticatedHttpRequest, pk: int, *, need: Can | None = None) -> Club:
    """A club whose register page the user may open (``need=None``: notifier or keeper)."""
    club = Club.objects.visible_to(access(request)).select_related("operator", "gmina").filter(pk=pk).first()
    if club is None:
        deny(request, Club, pk, status=404)
        raise Http404
    if not _allowed(request, club, need):
        deny(request, Club, pk, status=403)
        raise PermissionDenied
    return club


def get_notification_for(request: AuthenticatedHttpRequest, pk: int, *, need: Can | None = None) -> Notification:
    notification = (
        Notification.objects.visible_to(access(request))
        .select_related("club", "club__operator", "operator", "submitted_by", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if notification is None:
        deny(request, Notification, pk, status=404)
        raise Http404
    if not _allowed(request, notification.club, need):
        deny(request, Notification, pk, status=403)
        raise PermissionDenied
    return notification


def get_entry_for(request: AuthenticatedHttpRequest, pk: int, *, need: Can | None = None) -> RegisterEntry:
    entry = (
        RegisterEntry.objects.visible_to(access(request)).select_related("club", "club__operator").filter(pk=pk).first()
    )
    if entry is None:
        deny(request, RegisterEntry, pk, status=404)
        raise Http404
    if not _allowed(request, entry.club, need):
        deny(request, RegisterEntry, pk, status=403)
        raise PermissionDenied
    return entry


def voivodeships_kept_by(request: AuthenticatedHttpRequest) -> list[str]:
    """The voivodeships whose register the user keeps; 403 for everybody else."""
    codes = sorted(access(request).voivodeships(Role.VOIVODE))
    if not codes:
        deny(request, RegisterEntry, "", status=403)
        raise PermissionDenied
    return codes


def notifier_scope(request: AuthenticatedHttpRequest) -> None:
    """Pages of those who notify (leaders, operator admins); 403 for everybody else."""
    if not access(request).has_role(*CLUB_CAPABILITIES[Can.NOTIFY_REGISTER]):
        deny(request, Notification, "", status=403)
        raise PermissionDenied


def get_batch_for(request: AuthenticatedHttpRequest, pk: int) -> ImportBatch:
    """An import of the user's own, in a voivodeship they keep; else 404."""
    codes = voivodeships_kept_by(request)
    batch = ImportBatch.objects.filter(pk=pk, uploaded_by=request.user, voivodeship__in=codes).first()
    if batch is None:
        deny(request, ImportBatch, pk, status=404)
        raise Http404
    return batch
