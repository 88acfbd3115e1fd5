"""Checked fetches for the attendance register, hours cards and station bookings (style.md §3)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from kis.accounts.policy import Can, access
from kis.activities.models import Session, StationBooking
from kis.clubs.access import deny
from kis.clubs.models import Club
from kis.lib.http import AuthenticatedHttpRequest


def get_session_for(request: AuthenticatedHttpRequest, pk: int, *, need: Can = Can.TAKE_ATTENDANCE) -> Session:
    """The session if its club is in the user's scope (else 404) and the user holds ``need`` there (else 403)."""
    user_access = access(request)
    session = (
        Session.objects.visible_to(user_access)
        .select_related("activity", "activity__club", "room")
        .filter(pk=pk)
        .first()
    )
    if session is None:
        deny(request, Session, pk, status=404)
        raise Http404
    if not user_access.can(need, session.activity.club):
        deny(request, Session, pk, status=403)
        raise PermissionDenied
    return session


def get_booking_in(request: AuthenticatedHttpRequest, club: Club, pk: int) -> StationBooking:
    """A station booking of ``club`` (already checked), else 404."""
    booking = StationBooking.objects.filter(station__club=club, pk=pk).select_related("station", "participant").first()
    if booking is None:
        deny(request, StationBooking, pk, status=404)
        raise Http404
    return booking
