from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kis import audit
from kis.accounts.decorators import scoped
from kis.accounts.models import Grant, Role
from kis.accounts.policy import Can, access
from kis.audit.models import AuditEvent
from kis.clubs import services
from kis.clubs.access import deny, get_club_for, get_in_club, get_operator_for
from kis.clubs.dashboard import build_dashboard
from kis.clubs.forms import ClubForm, InviteForm, OperatorForm, RoomForm, StationForm
from kis.clubs.models import Club, ComputerStation, Room, Territory
from kis.lib.forms import CONFLICT_MESSAGE, Conflict
from kis.lib.http import AuthenticatedHttpRequest


@scoped
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "clubs/dashboard.html", {"board": build_dashboard(access(request))})


@scoped
def club_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    club = get_club_for(request, pk)
    context = {
        "club": club,
        "rooms": club.rooms.all(),
        "stations": club.stations.select_related("room"),
        "can_edit": access(request).can(Can.EDIT_CLUB, club),
        "can_manage_rooms": access(request).can(Can.MANAGE_ROOMS, club),
        "can_view_staff": access(request).can(Can.VIEW_STAFF, club),
        "can_view_audit": access(request).can(Can.VIEW_AUDIT, club),
    }
    return render(request, "clubs/club_detail.html", context)


def _save_versioned(request: AuthenticatedHttpRequest, form: ClubForm | OperatorForm, action: str) -> bool:
    try:
        form.save_audited(action, by=request.user)
    except Conflict:
        form.add_error(None, CONFLICT_MESSAGE)
        return False
    return True


@scoped
def club_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    club = get_club_for(request, pk, need=Can.EDIT_CLUB)
    form = ClubForm(request.POST or None, instance=club)
    if request.method == "POST" and form.is_valid() and _save_versioned(request, form, "club.updated"):
        messages.success(request, _("Club data saved."))
        return redirect(club)
    status = 409 if form.non_field_errors() else 400 if form.errors else 200
    return render(request, "clubs/club_form.html", {"form": form, "club": club}, status=status)


@scoped
def club_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    operator = get_operator_for(request, pk, write=True)
    form = ClubForm(request.POST or None, instance=Club(operator=operator))
    if request.method == "POST" and form.is_valid():
        club = form.save_audited("club.created", by=request.user)
        messages.success(request, _("Club created."))
        return redirect(club)
    return render(
        request, "clubs/club_form.html", {"form": form, "operator": operator}, status=400 if form.errors else 200
    )


@scoped
def operator_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    operator = get_operator_for(request, pk)
    clubs = Club.objects.visible_to(access(request)).filter(operator=operator).select_related("gmina")
    can_edit = pk in access(request).operator_ids(Role.OPERATOR)
    return render(request, "clubs/operator_detail.html", {"operator": operator, "clubs": clubs, "can_edit": can_edit})


@scoped
def operator_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    operator = get_operator_for(request, pk, write=True)
    form = OperatorForm(request.POST or None, instance=operator)
    if request.method == "POST" and form.is_valid() and _save_versioned(request, form, "operator.updated"):
        messages.success(request, _("Operator data saved."))
        return redirect(operator)
    status = 409 if form.non_field_errors() else 400 if form.errors else 200
    return render(request, "clubs/operator_form.html", {"form": form, "operator": operator}, status=status)


@scoped
def staff_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    club = get_club_for(request, pk, need=Can.VIEW_STAFF)
    grants = Grant.objects.active().filter(club=club).select_related("user").order_by("role", "user__full_name")
    context = {
        "club": club,
        "grants": grants,
        "can_manage": access(request).can(Can.MANAGE_STAFF, club),
        "grantable": access(request).grantable_roles(club),
    }
    return render(request, "clubs/staff_list.html", context)


@scoped
def staff_invite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    club = get_club_for(request, pk, need=Can.MANAGE_STAFF)
    form = InviteForm(request.POST or None, grantable=access(request).grantable_roles(club))
    if request.method == "POST" and form.is_valid():
        services.invite_staff(club=club, by=request.user, **form.cleaned_data)
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
        return redirect("clubs:staff", pk=club.pk)
    return render(request, "clubs/staff_invite.html", {"form": form, "club": club}, status=400 if form.errors else 200)


@scoped
@require_POST
def staff_remove(request: AuthenticatedHttpRequest, pk: int, grant_pk: int) -> HttpResponse:
    club = get_club_for(request, pk, need=Can.MANAGE_STAFF)
    grant = get_in_club(request, Grant, club, grant_pk)
    if grant.revoked_at is not None:
        raise Http404
    if grant.role not in access(request).grantable_roles(club) or grant.user_id == request.user.pk:
        deny(request, Grant, grant.pk, status=403)
        raise PermissionDenied
    grant.revoke(by=request.user)
    messages.success(request, _("%(name)s no longer has access to the club.") % {"name": grant.user})
    return redirect("clubs:staff", pk=club.pk)


@scoped
def room_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    club = get_club_for(request, pk, need=Can.MANAGE_ROOMS)
    room_form = RoomForm(request.POST or None, club=club, prefix="room")
    station_form = StationForm(None, club=club, prefix="station")
    if request.method == "POST" and room_form.is_valid():
        audit.save_form(room_form, "room.created", by=request.user)
        messages.success(request, _("Room added."))
        return redirect("clubs:rooms", pk=club.pk)
    context = {
        "club": club,
        "rooms": club.rooms.all(),
        "stations": club.stations.select_related("room"),
        "room_form": room_form,
        "station_form": station_form,
    }
    return render(request, "clubs/rooms.html", context, status=400 if room_form.errors else 200)


@scoped
def room_edit(request: AuthenticatedHttpRequest, pk: int, room_pk: int) -> HttpResponse:
    club = get_club_for(request, pk, need=Can.MANAGE_ROOMS)
    room = get_in_club(request, Room, club, room_pk)
    form = RoomForm(request.POST or None, instance=room, club=club)
    if request.method == "POST" and form.is_valid():
        audit.save_form(form, "room.updated", by=request.user)
        messages.success(request, _("Room saved."))
        return redirect("clubs:rooms", pk=club.pk)
    return render(
        request, "clubs/room_form.html", {"form": form, "club": club, "room": room}, status=400 if form.errors else 200
    )


@scoped
def station_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    club = get_club_for(request, pk, need=Can.MANAGE_ROOMS)
    form = StationForm(request.POST or None, club=club, prefix="station")
    if request.method == "POST" and form.is_valid():
        audit.save_form(form, "station.created", by=request.user)
        messages.success(request, _("Computer station added."))
        return redirect("clubs:rooms", pk=club.pk)
    return render(request, "clubs/station_form.html", {"form": form, "club": club}, status=400 if form.errors else 200)


@scoped
def station_edit(request: AuthenticatedHttpRequest, pk: int, station_pk: int) -> HttpResponse:
    club = get_club_for(request, pk, need=Can.MANAGE_ROOMS)
    station = get_in_club(request, ComputerStation, club, station_pk)
    form = StationForm(request.POST or None, instance=station, club=club, prefix="station")
    if request.method == "POST" and form.is_valid():
        audit.save_form(form, "station.updated", by=request.user)
        messages.success(request, _("Computer station saved."))
        return redirect("clubs:rooms", pk=club.pk)
    context = {"form": form, "club": club, "station": station}
    return render(request, "clubs/station_form.html", context, status=400 if form.errors else 200)


@scoped
def gmina_search(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Suggestions for the gmina field: any query parameter is the search term."""
    term = next((v for v in request.GET.dict().values() if v), "").replace("\x00", "")[:80]
    gminas = Territory.objects.gminas().search(term).order_by("name")[:20] if len(term) >= 2 else []
    return render(request, "clubs/widgets/gmina_options.html", {"gminas": gminas})


AUDIT_PAGE = 50


@scoped
def audit_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The trail of the user's scopes: leaders see their clubs, DPOs their operators."""
    user_access = access(request)
    operator_ids = user_access.operator_ids(Role.DPO)
    club_ids = set(
        Club.objects.visible_to(user_access, roles=frozenset({Role.LEADER, Role.DPO})).values_list("pk", flat=True)
    )
    if not club_ids and not operator_ids:
        deny(request, AuditEvent, "", status=403)
        raise PermissionDenied
    events = AuditEvent.objects.in_scopes(club_ids=club_ids, operator_ids=operator_ids)
    action = request.GET.get("action", "").strip().replace("\x00", "")
    if action:
        events = events.filter(action__startswith=action)
    actor = request.GET.get("actor", "").strip().replace("\x00", "")
    if actor:
        events = events.filter(Q(actor_label__icontains=actor))
    day = request.GET.get("day", "")
    if day:
        try:
            start = timezone.make_aware(datetime.combine(date.fromisoformat(day), time.min))
            events = events.filter(created_at__gte=start, created_at__lt=start + timedelta(days=1))
        except ValueError:
            messages.error(request, _("Enter the day as a date."))
    before = request.GET.get("before", "")
    if before.isdigit():
        events = events.filter(seq__lt=int(before))
    rows = list(events.order_by("-seq")[: AUDIT_PAGE + 1])
    context = {
        "events": rows[:AUDIT_PAGE],
        "next_before": rows[AUDIT_PAGE - 1].seq if len(rows) > AUDIT_PAGE else None,
        "filters": {"action": action, "actor": actor, "day": day},
    }
    return render(request, "clubs/audit_log.html", context)
