from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kis.accounts.policy import Access
from kis.audit.scope import Scope
from kis.clubs.models import Club, ComputerStation, Room, Territory
from kis.lib import crypto
from kis.participants.models import Participant


class ActivityType(models.TextChoices):
    """Art. 18 ust. 2 u.z.s. (statutory, an open list) and the types clubs use in practice."""

    JOB_SEARCH_SUPPORT = "job_search_support", _("help in finding work or preparing for it (art. 18 ust. 2 pkt 1)")
    PSU = "psu", _("socially useful work (art. 18 ust. 2 pkt 2)")
    PUBLIC_WORKS = "public_works", _("public works (art. 18 ust. 2 pkt 3)")
    LEGAL_COUNSELLING = "legal_counselling", _("legal counselling (art. 18 ust. 2 pkt 4)")
    SELF_HELP = "self_help", _("self-help in employment, housing and social matters (art. 18 ust. 2 pkt 5)")
    TRAINEESHIP = "traineeship", _("traineeships (art. 18 ust. 2 pkt 6)")
    VOCATIONAL_WORKSHOP = "vocational_workshop", _("vocational workshops and training")
    CAREER_COUNSELLING = "career_counselling", _("career counselling")
    PSYCHOLOGICAL_SUPPORT = "psychological_support", _("psychological support")
    SUPPORT_GROUP = "support_group", _("support group")
    INTEGRATION_EVENT = "integration_event", _("integration and cultural events")
    COMPUTER_ACCESS = "computer_access", _("computer and Internet access")


class FundingSource(models.TextChoices):
    EU_ESF = "eu_esf", _("European Union (ESF+)")
    GMINA_OWN = "gmina_own", _("gmina's own funds")
    GMINA_ALCOHOL = "gmina_alcohol", _("gmina alcohol-problems programme")
    STATE_BUDGET = "state_budget", _("state budget programme")
    LABOUR_FUND = "labour_fund", _("Labour Fund")
    OTHER = "other", _("other")


class ActivityQuerySet(models.QuerySet["Activity"]):
    def visible_to(self, access: Access, *, roles: frozenset[str] | None = None) -> ActivityQuerySet:
        return self.filter(access.club_q(prefix="club__", roles=roles))


class Activity(models.Model):
    """An item of the club's catalogue: a workshop, a group, counselling, PSU…"""

    club = models.ForeignKey(Club, verbose_name=_("club"), on_delete=models.CASCADE, related_name="activities")
    name = models.CharField(_("name"), max_length=150)
    type = models.CharField(_("type"), max_length=24, choices=ActivityType.choices)
    is_group = models.BooleanField(_("group activity"), default=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff in charge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    room = models.ForeignKey(Room, verbose_name=_("room"), null=True, blank=True, on_delete=models.SET_NULL)
    funding = models.CharField(_("funding source"), max_length=16, choices=FundingSource.choices, blank=True)
    is_reintegration_social = models.BooleanField(_("social reintegration"), default=True)
    is_reintegration_vocational = models.BooleanField(_("vocational reintegration"), default=False)
    is_active = models.BooleanField(_("in the catalogue"), default=True)

    objects: ClassVar[ActivityQuerySet] = ActivityQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["club", "name"], name="activity_name_unique_in_club")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("activities:detail", args=[self.pk])

    def audit_scope(self) -> Scope:
        return self.club.audit_scope()


class Enrolment(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="enrolments")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="enrolments")
    enrolled_on = models.DateField(_("enrolled on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "participant"], condition=Q(left_on__isnull=True), name="enrolment_one_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} – {self.activity}"

    def audit_scope(self) -> Scope:
        return self.activity.audit_scope()


class SessionQuerySet(models.QuerySet["Session"]):
    def visible_to(self, access: Access, *, roles: frozenset[str] | None = None) -> SessionQuerySet:
        return self.filter(access.club_q(prefix="activity__club__", roles=roles))

    def on_day(self, day: date) -> SessionQuerySet:
        start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
        return self.filter(starts_at__gte=start, starts_at__lt=start + timedelta(days=1))

    def overlapping(self, starts_at: datetime, ends_at: datetime) -> SessionQuerySet:
        return self.filter(starts_at__lt=ends_at, ends_at__gt=starts_at, cancelled=False)


class Session(models.Model):
    """A dated occurrence of an activity (spotkanie)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    room = models.ForeignKey(Room, verbose_name=_("room"), null=True, blank=True, on_delete=models.SET_NULL)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
    )
    series = models.CharField(max_length=32, blank=True, db_index=True, editable=False)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    topic = models.CharField(_("topic"), max_length=200, blank=True)

    objects: ClassVar[SessionQuerySet] = SessionQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at"]
        constraints = [models.CheckConstraint(name="session_ends_after_start", condition=Q(ends_at__gt=F("starts_at")))]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.activity} {local:%d.%m.%Y %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("activities:attendance", args=[self.pk])

    def audit_scope(self) -> Scope:
        return self.activity.audit_scope()

    @property
    def hours(self) -> Decimal:
        return (Decimal((self.ends_at - self.starts_at).total_seconds()) / Decimal(3600)).quantize(Decimal("0.25"))


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("present")
        EXCUSED = "excused", _("excused absence")
        UNEXCUSED = "unexcused", _("unexcused absence")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices)
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=2, default=Decimal(0))
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="attendance_once_per_session"),
            models.CheckConstraint(name="attendance_hours_not_negative", condition=Q(hours__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.participant} {self.session}: {self.status}"

    def audit_scope(self) -> Scope:
        return self.session.audit_scope()


class Appointment(models.Model):
    """An individual consultation: legal advice, psychologist, career counsellor."""

    class Kind(models.TextChoices):
        LEGAL = "legal", _("legal advice")
        PSYCHOLOGIST = "psychologist", _("psychologist")
        CAREER = "career", _("career counsellor")
        SOCIAL_WORKER = "social_worker", _("social worker")

    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="appointments")
    participant = models.ForeignKey(
        Participant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="appointments"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("with"), on_delete=models.PROTECT, related_name="appointments"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    attended = models.BooleanField(_("took place"), null=True, blank=True)
    note = crypto.EncryptedTextField(_("confidential note"), null=True, blank=True)

    AUDIT_REDACTED_FIELDS = ("note",)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(name="appointment_ends_after_start", condition=Q(ends_at__gt=F("starts_at")))
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {timezone.localtime(self.starts_at):%d.%m.%Y %H:%M}"

    def audit_scope(self) -> Scope:
        return self.club.audit_scope()


class Placement(models.Model):
    """Socially useful work, public works, a traineeship or a temporary job."""

    class Kind(models.TextChoices):
        PSU = "psu", _("socially useful work (PSU)")
        PUBLIC_WORKS = "public_works", _("public works")
        TRAINEESHIP = "traineeship", _("traineeship")
        TEMPORARY_JOB = "temporary_job", _("temporary job")

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="placements")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    organiser = models.CharField(_("organiser or employer"), max_length=200)
    agreement = models.CharField(_("agreement (number and date)"), max_length=120, blank=True)
    gmina = models.ForeignKey(
        Territory,
        verbose_name=_("gmina paying the benefit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    planned_hours_week = models.DecimalField(_("planned hours a week"), max_digits=4, decimal_places=1)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(name="placement_ends_after_start", condition=Q(ends_on__gte=F("starts_on")))
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.organiser}"

    def audit_scope(self) -> Scope:
        return self.participant.audit_scope()


class HoursEntry(models.Model):
    """Hours worked on one day of a placement (the monthly hours card is built from these)."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="hours")
    day = models.DateField(_("day"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=2)
    over_cap_reason = models.CharField(_("reason for exceeding the cap"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("hours entry")
        verbose_name_plural = _("hours entries")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "day"], name="hours_once_per_day"),
            models.CheckConstraint(name="hours_positive", condition=Q(hours__gt=0) & Q(hours__lte=24)),
        ]

    def __str__(self) -> str:
        return f"{self.placement} {self.day}: {self.hours}"

    def audit_scope(self) -> Scope:
        return self.placement.audit_scope()


class StationBooking(models.Model):
    station = models.ForeignKey(ComputerStation, on_delete=models.CASCADE, related_name="bookings")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="station_bookings")
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("to"))
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out"), null=True, blank=True)

    class Meta:
        verbose_name = _("station booking")
        verbose_name_plural = _("station bookings")
        ordering = ["starts_at"]
        constraints = [models.CheckConstraint(name="booking_ends_after_start", condition=Q(ends_at__gt=F("starts_at")))]

    def __str__(self) -> str:
        return f"{self.station} {self.participant}"

    def audit_scope(self) -> Scope:
        return self.station.audit_scope()


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A secret link to an iCalendar feed of a club or of one staff member; revocable."""

    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="calendar_feeds")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.club} {self.staff or ''}".strip()

    def get_absolute_url(self) -> str:
        return reverse("activities:ical", args=[self.token])

    def audit_scope(self) -> Scope:
        return self.club.audit_scope()
