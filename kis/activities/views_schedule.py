"""The activity catalogue, enrolment, the schedule, appointments and calendar feeds."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kis import audit
from kis.accounts.decorators import public, scoped
from kis.accounts.models import Grant, Role
from kis.accounts.policy import Can, access
from kis.activities import schedule, services
from kis.activities.access_schedule import (
    get_activity_for,
    get_appointment_for,
    get_session_to_manage,
    may_read_note,
)
from kis.activities.forms_schedule import (
    ActivityForm,
    AppointmentForm,
    AppointmentNoteForm,
    EnrolForm,
    SessionPlanForm,
)
from kis.activities.models import Activity, Appointment, CalendarFeed, Enrolment, Session, SessionQuerySet
from kis.clubs.access import deny, get_club_for, get_in_club
from kis.clubs.models import Club
from kis.lib.forms import errors_as_messages
from kis.lib.http import AuthenticatedHttpRequest
from kis.participants.models import Participant, ParticipantQuerySet

UPCOMING = 20
APPOINTMENTS_PAST = timedelta(days=30)


def _club_participants(request: AuthenticatedHttpRequest, club: Club) -> ParticipantQuerySet:
    return Participant.objects.visible_to(access(request)).filter(club=club)


# --------------------------------------------------------------------------- catalogue


@scoped
def catalogue(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    club = get_club_for(request, pk, need=Can.MANAGE_ACTIVITIES)
    form = ActivityForm(request.POST or None, club=club)
    if request.method == "POST" and form.is_valid():
        activity = audit.save_form(form, "activity.created", by=request.user)
        messages.success(request, _("Activity added to the catalogue."))
        return redirect(activity)
    enrolled = Count("enrolments", filter=Q(enrolments__left_on__isnull=True))
    activities = Activity.objects.visible_to(access(request)).filter(club=club).annotate(enrolled=enrolled)
    context = {"club": club, "form": form, "activities": activities.select_related("staff", "room")}
    return render(request, "activities/schedule/catalogue.html", context, status=400 if form.errors else 200)


@scoped
def activity_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = get_activity_for(request, pk)
    today = timezone.localdate()
    context = {
        "activity": activity,
        "club": activity.club,
        "now": timezone.now(),
        "enrolments": activity.enrolments.exclude(left_on__lt=today).select_related("participant"),
        "sessions": activity.sessions.filter(ends_at__gte=timezone.now()).select_related("room", "staff")[:UPCOMING],
        "form": EnrolForm(
            activity=activity, participants=_club_participants(request, activity.club), initial={"enrolled_on": today}
        ),
    }
    return render(request, "activities/schedule/activity_detail.html", context)


@scoped
def activity_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = get_activity_for(request, pk)
    form = ActivityForm(request.POST or None, instance=activity, club=activity.club)
    if request.method == "POST" and form.is_valid():
        audit.save_form(form, "activity.updated", by=request.user)
        messages.success(request, _("Activity saved."))
        return redirect(activity)
    context = {"form": form, "activity": activity, "club": activity.club}
    return render(request, "activities/schedule/activity_edit.html", context, status=400 if form.errors else 200)


@scoped
@require_POST
def enrol(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = get_activity_for(request, pk)
    form = EnrolForm(request.POST, activity=activity, participants=_club_participants(request, activity.club))
    if form.is_valid():
        participant, day = form.cleaned_data["participant"], form.cleaned_data["enrolled_on"]
        with transaction.atomic():
            enrolment = Enrolment.objects.create(activity=activity, participant=participant, enrolled_on=day)
            audit.record(request.user, "enrolment.created", enrolment, enrolled_on=day.isoformat())
        messages.success(request, _("%(name)s enrolled.") % {"name": participant})
    else:
        errors_as_messages(request, form)
    return redirect(activity)


@scoped
@require_POST
def unenrol(request: AuthenticatedHttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    activity = get_activity_for(request, pk)
    enrolment = activity.enrolments.filter(participant_id=participant_pk, left_on__isnull=True).first()
    if enrolment is None:
        deny(request, Enrolment, participant_pk, status=404)
        raise Http404
    with transaction.atomic():
        enrolment.left_on = max(timezone.localdate(), enrolment.enrolled_on)
        enrolment.save(update_fields=["left_on"])
        audit.record(request.user, "enrolment.ended", enrolment, left_on=enrolment.left_on.isoformat())
    messages.success(request, _("Enrolment of %(name)s ended.") % {"name": enrolment.participant})
    return redirect(activity)


# --------------------------------------------------------------------------- schedule


def _club_sessions(request: AuthenticatedHttpRequest, club: Club) -> SessionQuerySet:
    return Session.objects.visible_to(access(request)).filter(activity__club=club)


@scoped
def schedule_week(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    club = get_club_for(request, pk, need=Can.MANAGE_ACTIVITIES)
    monday = schedule.parse_week(request.GET.get("tydzien", ""), timezone.localdate())
    week = schedule.build_week(_club_sessions(request, club), monday)
    context = {"club": club, "week": week, "today": timezone.localdate(), "now": timezone.now()}
    return render(request, "activities/schedule/week.html", context)


@scoped
def schedule_month(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    club = get_club_for(request, pk, need=Can.MANAGE_ACTIVITIES)
    first = schedule.parse_month(request.GET.get("miesiac", ""), timezone.localdate())
    month = schedule.build_month(_club_sessions(request, club), first)
    return render(
        request, "activities/schedule/month.html", {"club": club, "month": month, "today": timezone.localdate()}
    )


@scoped
def session_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Preview first (holidays skipped, clashes listed), then save exactly what was previewed."""
    activity = get_activity_for(request, pk)
    form = SessionPlanForm(request.POST or None, activity=activity)
    if request.method == "POST" and form.is_valid() and form.plan is not None:
        if request.POST.get("action") == "confirm" and request.POST.get("previewed") == form.fingerprint():
            created = services.create_sessions(plan=form.plan, by=request.user)
            messages.success(request, _("Sessions saved: %(count)s.") % {"count": len(created)})
            return redirect(activity)
        if request.POST.get("action") == "confirm":
            messages.warning(request, _("The data changed after the preview: check the preview again."))
    context = {"activity": activity, "club": activity.club, "form": form, "plan": form.plan}
    if form.plan is not None:
        context["fingerprint"] = form.fingerprint()
    return render(request, "activities/schedule/session_create.html", context, status=400 if form.errors else 200)


@scoped
@require_POST
def session_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = get_session_to_manage(request, pk)
    if session.cancelled or session.starts_at <= timezone.now():
        messages.error(request, _("Only a session that has not started yet can be cancelled."))
    else:
        with transaction.atomic():
            session.cancelled = True
            session.save(update_fields=["cancelled"])
            audit.record(request.user, "session.cancelled", session, starts_at=session.starts_at.isoformat())
        messages.success(request, _("Session cancelled."))
    week = timezone.localtime(session.starts_at).date().isoformat()
    return redirect(reverse("activities:schedule", args=[session.activity.club_id]) + f"?tydzien={week}")


# --------------------------------------------------------------------------- appointments


@scoped
def appointment_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    club = get_club_for(request, pk, need=Can.MANAGE_ACTIVITIES)
    form = AppointmentForm(request.POST or None, club=club, participants=_club_participants(request, club))
    if request.method == "POST" and form.is_valid():
        audit.save_form(form, "appointment.booked", by=request.user)
        messages.success(request, _("Appointment booked."))
        return redirect("activities:appointments", pk=club.pk)
    since = timezone.now() - APPOINTMENTS_PAST
    appointments = Appointment.objects.filter(club=club, starts_at__gte=since).select_related("participant", "staff")
    context = {"club": club, "form": form, "appointments": appointments.defer("note")}
    return render(request, "activities/schedule/appointments.html", context, status=400 if form.errors else 200)


@scoped
def appointment_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Everyone on the team sees when and with whom; the note only its staff member and the leader (audited)."""
    appointment = get_appointment_for(request, pk, write=request.method == "POST")
    form = (
        AppointmentNoteForm(request.POST or None, instance=appointment) if may_read_note(request, appointment) else None
    )
    if form is not None and form.is_bound and form.is_valid():
        audit.save_form(form, "appointment.updated", by=request.user)
        messages.success(request, _("Appointment saved."))
        return redirect("activities:appointment", pk=appointment.pk)
    if form is not None and not form.is_bound and appointment.note:
        audit.record(request.user, "appointment.note_read", appointment)
    context = {"appointment": appointment, "club": appointment.club, "form": form}
    status = 400 if form is not None and form.errors else 200
    return render(request, "activities/schedule/appointment_detail.html", context, status=status)


# --------------------------------------------------------------------------- calendar feeds


def _visible_feeds(request: AuthenticatedHttpRequest, club: Club) -> QuerySet[CalendarFeed]:
    feeds = CalendarFeed.objects.filter(club=club, revoked_at__isnull=True).select_related("staff", "created_by")
    if club.pk in access(request).club_ids(Role.LEADER):
        return feeds
    return feeds.filter(Q(staff__isnull=True) | Q(staff=request.user))


@scoped
def feed_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    club = get_club_for(request, pk, need=Can.MANAGE_ACTIVITIES)
    if request.method == "POST":
        personal = request.POST.get("kind") == "personal"
        with transaction.atomic():
            feed = CalendarFeed.objects.create(
                club=club, staff=request.user if personal else None, created_by=request.user
            )
            audit.record(request.user, "calendar_feed.created", feed, personal=personal)
        messages.success(request, _("Calendar link created. Copy it into your calendar application."))
        return redirect("activities:feeds", pk=club.pk)
    context = {"club": club, "feeds": _visible_feeds(request, club)}
    return render(request, "activities/schedule/feeds.html", context)


@scoped
@require_POST
def feed_revoke(request: AuthenticatedHttpRequest, pk: int, feed_pk: int) -> HttpResponse:
    club = get_club_for(request, pk, need=Can.MANAGE_ACTIVITIES)
    feed = get_in_club(request, CalendarFeed, club, feed_pk)
    if feed.staff_id not in (None, request.user.pk) and club.pk not in access(request).club_ids(Role.LEADER):
        deny(request, CalendarFeed, feed_pk, status=403)
        raise PermissionDenied
    if feed.revoked_at is None:
        with transaction.atomic():
            feed.revoked_at = timezone.now()
            feed.save(update_fields=["revoked_at"])
            audit.record(request.user, "calendar_feed.revoked", feed)
    messages.success(request, _("Calendar link revoked: it no longer works."))
    return redirect("activities:feeds", pk=club.pk)


@public
def ical(request: HttpRequest, token: str) -> HttpResponse:
    """The feed behind a secret link: 404 once revoked, or when its staff member has left the club."""
    feed = CalendarFeed.objects.filter(token=token, revoked_at__isnull=True).select_related("club", "staff").first()
    if feed is None:
        raise Http404
    team = Grant.objects.active().filter(club_id=feed.club_id, role__in=[Role.LEADER, Role.STAFF])
    if feed.staff_id is not None and not team.filter(user_id=feed.staff_id).exists():
        raise Http404
    name = f"{feed.club.name} – {feed.staff}" if feed.staff is not None else feed.club.name
    return HttpResponse(schedule.build_feed(feed, name=name), content_type="text/calendar; charset=utf-8")
