"""The attendance register, placements and hours cards, PSU settlements and computer stations."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from kis import audit
from kis.accounts.decorators import scoped
from kis.accounts.policy import Can, access
from kis.activities import services, services_work
from kis.activities.access_work import get_booking_in, get_session_for
from kis.activities.forms_work import AttendanceForm, BookingForm, HoursCardForm, PlacementForm, plain
from kis.activities.models import Attendance, Placement, Session
from kis.clubs.access import deny, get_club_for
from kis.lib import xlsx
from kis.lib.http import AuthenticatedHttpRequest
from kis.participants import attendance as attendance_rates
from kis.participants.access import get_in_file, get_participant_for
from kis.participants.models import Participant

# Short labels: three radio buttons and the hours fit a 360 px screen.
SHORT_STATUS = [
    (Attendance.Status.PRESENT, pgettext_lazy("attendance, short", "present")),
    (Attendance.Status.EXCUSED, pgettext_lazy("attendance, short", "excused")),
    (Attendance.Status.UNEXCUSED, pgettext_lazy("attendance, short", "unexcused")),
]

# --------------------------------------------------------------------------- attendance register

_OVER_CAP_ON_SHEET = pgettext_lazy(
    "attendance",
    "Nothing was saved: the hours of this work session would pass a legal cap. "
    "The club leader can approve hours above a cap on the participant's hours card.",
)


def _closed(session: Session) -> str:
    if session.cancelled:
        return _("The session was cancelled: attendance is not taken.")
    if timezone.localtime(session.starts_at).date() > timezone.localdate():
        return _("The session has not taken place yet.")
    return ""


def _sheet_context(session: Session, sheet: services_work.Sheet, form: AttendanceForm) -> dict[str, Any]:
    return {
        "session": session,
        "club": session.activity.club,
        "form": form,
        "rows": form.rows(),
        "statuses": SHORT_STATUS,
        "limit": plain(session.hours),
        "enrolled": len(sheet.participants),
        "marked": len(sheet.saved),
        "present": sheet.present,
        "saved_at": sheet.saved_at,
        "closed": _closed(session),
    }


@scoped
def attendance(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = get_session_for(request, pk)
    sheet = services_work.attendance_sheet(session)
    form = AttendanceForm(
        request.POST if request.method == "POST" else None,
        session=session,
        participants=sheet.participants,
        saved=sheet.saved,
        everyone_present="everyone_present" in request.POST,
    )
    closed = _closed(session)
    if request.method == "POST" and closed:
        messages.error(request, closed)
        return redirect(session)
    if request.method == "POST" and form.is_valid():
        try:
            periods = services_work.save_sheet(session=session, marks=form.marks(), by=request.user)
        except services_work.CapExceeded as refused:
            for period in refused.periods:
                form.add_error(None, ValidationError(_cap_message(period), code="over_cap"))
            form.add_error(None, ValidationError(_OVER_CAP_ON_SHEET, code="over_cap"))
        else:
            messages.success(request, _("Attendance saved."))
            for period in periods:
                messages.warning(request, _cap_message(period))
            return redirect(session)
    if form.errors and not form.has_error(NON_FIELD_ERRORS, "over_cap"):
        messages.error(request, _("Nothing was saved: correct the marked rows."))
    context = _sheet_context(session, sheet, form)
    return render(request, "activities/work/attendance.html", context, status=400 if form.errors else 200)


@scoped
@require_POST
def attendance_row(request: AuthenticatedHttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    """One row of the register, saved as soon as a box is ticked (htmx), then shown again."""
    session = get_session_for(request, pk)
    sheet = services_work.attendance_sheet(session)
    participant = next((p for p in sheet.participants if p.pk == participant_pk), None)
    if participant is None:
        deny(request, Participant, participant_pk, status=404)
        raise Http404
    data = request.POST.copy()
    if request.htmx.trigger_name == f"status-{participant.pk}":
        data.pop(f"hours-{participant.pk}", None)  # a new status starts from its own default hours
    form = AttendanceForm(data, session=session, participants=[participant], saved=sheet.saved)
    closed = _closed(session)
    refused = ""
    if not closed and form.is_valid():
        try:
            services_work.save_sheet(session=session, marks=form.marks(), by=request.user)
        except services_work.CapExceeded as exceeded:
            refused = " ".join([*(_cap_message(p) for p in exceeded.periods), str(_OVER_CAP_ON_SHEET)])
        sheet = services_work.attendance_sheet(session)
        form = AttendanceForm(session=session, participants=[participant], saved=sheet.saved)
    if not request.htmx:
        if closed or refused or form.errors:
            messages.error(request, closed or refused or _("Nothing was saved: correct the marked rows."))
        return redirect(session)
    context = {**_sheet_context(session, sheet, form), "row": form.rows()[0], "oob": True}
    if closed or refused:
        context["row"].errors.append(closed or refused)
    # htmx swaps 2xx responses only: a refused row comes back as 200 with its message, nothing saved.
    return render(request, "activities/work/attendance.html#row_update", context)


@scoped
def today(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The front desk's day: today's sessions with their registers, then the computer stations."""
    club = get_club_for(request, pk, need=Can.TAKE_ATTENDANCE)
    day = timezone.localdate()
    context = {
        "club": club,
        "day": day,
        "sessions": services_work.sessions_on(club, day),
        "bookings": services_work.bookings_on(club, day),
        "can_use_stations": access(request).can(Can.USE_STATIONS, club),
        "next": request.path,
    }
    return render(request, "activities/work/today.html", context)


# --------------------------------------------------------------------------- placements and hours


@scoped
def placements(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    participant = get_participant_for(request, pk, need=Can.MANAGE_HOURS)
    form = PlacementForm(request.POST or None, participant=participant)
    if request.method == "POST" and form.is_valid():
        audit.save_form(form, "placement.created", by=request.user)
        messages.success(request, _("Placement added."))
        return redirect("activities:placements", pk=participant.pk)
    today = timezone.localdate()
    context = {
        "participant": participant,
        "club": participant.club,
        "tab": "hours",
        "placements": [(p, services_work.card_month(p, today)) for p in participant.placements.select_related("gmina")],
        "form": form,
    }
    return render(request, "activities/work/placements.html", context, status=400 if form.errors else 200)


def _cap_message(period: services_work.CapPeriod) -> str:
    values = {
        "first": date_format(period.first, "SHORT_DATE_FORMAT"),
        "last": date_format(period.last, "SHORT_DATE_FORMAT"),
        "total": number_format(Decimal(plain(period.total))),
        "cap": number_format(Decimal(plain(period.cap))),
    }
    if period.kind == "week" and period.over:
        return _("Week %(first)s–%(last)s: %(total)s h, above the cap of %(cap)s h.") % values
    if period.kind == "week":
        return _("Week %(first)s–%(last)s: %(total)s h of %(cap)s h, close to the cap.") % values
    if period.over:
        return _("Month: %(total)s h, above the cap of %(cap)s h.") % values
    return _("Month: %(total)s h of %(cap)s h, close to the cap.") % values


@scoped
def hours_card(request: AuthenticatedHttpRequest, pk: int, placement_pk: int, month: date) -> HttpResponse:
    participant = get_participant_for(request, pk, need=Can.MANAGE_HOURS)
    placement = get_in_file(request, Placement, participant, placement_pk)
    card = services_work.hours_card(placement, month.year, month.month)
    can_override = access(request).can(Can.OVERRIDE_CAPS, participant.club)
    form = HoursCardForm(
        request.POST if request.method == "POST" else None,
        days=card.editable_days,
        saved=card.saved,
        can_override=can_override,
    )
    if request.method == "POST" and form.is_valid():
        try:
            periods = services_work.save_hours_card(
                placement=placement, hours=form.hours_by_day(), override_reason=form.approved_reason(), by=request.user
            )
        except services_work.CapExceeded as refused:
            for period in refused.periods:
                form.add_error(None, ValidationError(_cap_message(period), code="over_cap"))
            if not can_override:
                form.add_error(None, ValidationError(_("Only the club leader can approve hours above a cap.")))
        else:
            messages.success(request, _("Hours saved."))
            for period in periods:
                messages.warning(request, _cap_message(period))
            return redirect("activities:hours_card", pk=participant.pk, placement_pk=placement.pk, month=month)
    context = {
        "participant": participant,
        "club": participant.club,
        "tab": "hours",
        "placement": placement,
        "card": card,
        "form": form,
        "weeks": [(week, [(d, form.field_for(d.day)) for d in week.days]) for week in card.weeks],
        "can_override": can_override,
        "month": month,
        "previous": services_work.shift_month(month, -1),
        "next": services_work.shift_month(month, 1),
    }
    return render(request, "activities/work/hours_card.html", context, status=400 if form.errors else 200)


@scoped
def participant_attendance(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Attendance rates per activity with their band against the strictest attendance clause of an open contract."""
    participant = get_participant_for(request, pk)
    required = attendance_rates.threshold(participant)
    rates = attendance_rates.by_activity(participant, required=required)
    context = {
        "participant": participant,
        "club": participant.club,
        "tab": "hours",
        "rates": rates,
        "overall": attendance_rates.overall(rates, required=required),
    }
    return render(request, "activities/work/participant_attendance.html", context)


# --------------------------------------------------------------------------- PSU settlement


@scoped
def settlement(request: AuthenticatedHttpRequest, pk: int, month: date) -> HttpResponse:
    club = get_club_for(request, pk, need=Can.MANAGE_HOURS)
    rows = services.monthly_settlement(club_id=club.pk, year=month.year, month=month.month)
    groups = services_work.settlement_by_gmina(rows)
    if request.GET.get("format") == "xlsx":
        audit.record(request.user, "settlement.exported", club, month=f"{month:%Y-%m}", rows=len(rows), format="xlsx")
        content = services_work.settlement_xlsx(groups, month)
        return xlsx.response(f"rozliczenie-psu-{club.pk}-{month:%Y-%m}.xlsx", content)
    context = {
        "club": club,
        "month": month,
        "groups": groups,
        "total": services_work.GminaTotal(None, list(rows)),
        "previous": services_work.shift_month(month, -1),
        "next": services_work.shift_month(month, 1),
    }
    return render(request, "activities/work/settlement.html", context)


# --------------------------------------------------------------------------- computer stations


def _back(request: AuthenticatedHttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and safe else default


@scoped
def stations(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    club = get_club_for(request, pk, need=Can.USE_STATIONS)
    today = timezone.localdate()
    people = Participant.objects.visible_to(access(request)).filter(club=club, status=Participant.Status.ACTIVE)
    form = BookingForm(
        request.POST or None,
        participants=people.only("pk", "first_name", "last_name").order_by("name_sort", "pk"),
        stations=club.stations.filter(is_active=True),
        initial={"day": today},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services_work.book_station(
                station=form.cleaned_data["station"],
                participant=form.cleaned_data["participant"],
                starts_at=form.starts_at,
                ends_at=form.ends_at,
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Station booked."))
            return redirect("activities:stations", pk=club.pk)
    month = services_work.parse_month(request.GET.get("month", ""), default=today.replace(day=1))
    first, last = services_work.month_bounds(month.year, month.month)
    context = {
        "club": club,
        "form": form,
        "day": today,
        "bookings": services_work.bookings_on(club, today),
        "usage": services_work.station_usage(club, first, last),
        "month": month,
        "next": request.path,
    }
    return render(request, "activities/work/stations.html", context, status=400 if form.errors else 200)


@scoped
@require_POST
def station_check_in(request: AuthenticatedHttpRequest, pk: int, booking_pk: int) -> HttpResponse:
    club = get_club_for(request, pk, need=Can.USE_STATIONS)
    booking = get_booking_in(request, club, booking_pk)
    try:
        services_work.check_in(booking=booking, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s checked in at %(station)s.") % _who(booking))
    return redirect(_back(request, reverse("activities:stations", args=[club.pk])))


@scoped
@require_POST
def station_check_out(request: AuthenticatedHttpRequest, pk: int, booking_pk: int) -> HttpResponse:
    club = get_club_for(request, pk, need=Can.USE_STATIONS)
    booking = get_booking_in(request, club, booking_pk)
    try:
        services_work.check_out(booking=booking, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s checked out of %(station)s.") % _who(booking))
    return redirect(_back(request, reverse("activities:stations", args=[club.pk])))


def _who(booking: Any) -> dict[str, str]:
    return {"name": str(booking.participant), "station": booking.station.label}
