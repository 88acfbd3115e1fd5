"""Checked fetches for the catalogue, the schedule, appointments and calendar feeds (style.md §3)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from kis.accounts.models import Role
from kis.accounts.policy import Can, access
from kis.activities.access_work import get_session_for
from kis.activities.models import Activity, Appointment, Session
from kis.clubs.access import deny
from kis.lib.http import AuthenticatedHttpRequest


def get_activity_for(request: AuthenticatedHttpRequest, pk: int, *, need: Can = Can.MANAGE_ACTIVITIES) -> Activity:
    """The activity if its club is in the user's scope (else 404) and the user holds ``need`` there (else 403)."""
    user_access = access(request)
    activity = (
        Activity.objects.visible_to(user_access)
        .select_related("club", "club__operator", "staff", "room")
        .filter(pk=pk)
        .first()
    )
    if activity is None:
        deny(request, Activity, pk, status=404)
        raise Http404
    if not user_access.can(need, activity.club):
        deny(request, Activity, pk, status=403)
        raise PermissionDenied
    return activity


def get_session_to_manage(request: AuthenticatedHttpRequest, pk: int) -> Session:
    """A session the user may reschedule or cancel: 404 outside the scope, 403 without the capability."""
    return get_session_for(request, pk, need=Can.MANAGE_ACTIVITIES)


def get_appointment_for(request: AuthenticatedHttpRequest, pk: int, *, write: bool = False) -> Appointment:
    """The appointment for the club's leaders and staff; ``write`` (the note) only for its staff member or a leader."""
    user_access = access(request)
    appointment = (
        Appointment.objects.filter(user_access.club_q(prefix="club__"))
        .select_related("club", "participant", "staff")
        .filter(pk=pk)
        .first()
    )
    if appointment is None:
        deny(request, Appointment, pk, status=404)
        raise Http404
    if not user_access.can(Can.MANAGE_ACTIVITIES, appointment.club) or (
        write and not may_read_note(request, appointment)
    ):
        deny(request, Appointment, pk, status=403)
        raise PermissionDenied
    return appointment


def may_read_note(request: AuthenticatedHttpRequest, appointment: Appointment) -> bool:
    """The confidential note is for the staff member it is with and the club's leader only."""
    if appointment.staff_id == request.user.pk:
        return True
    return appointment.club_id in access(request).club_ids(Role.LEADER)
