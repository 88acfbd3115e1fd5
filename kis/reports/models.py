"""The club's annual report (art. 18a ust. 6 u.z.s.), its submissions, rollups and code lists.

A report is computed from the daily records while it is a draft; submitting it freezes a
snapshot of counts (never of people) with its PDF. Regional and national totals add up
submitted snapshots through ``ReportCell`` rows, never by decrypting people of other clubs.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kis.audit.scope import Scope
from kis.clubs.models import Club
from kis.lib.storage import encrypted_storage
from kis.lib.teryt import Voivodeship

# --------------------------------------------------------------------------- code lists (CAS 01)


class CodeList(models.Model):
    """An editable reference table of the statistical table MRiPS CAS 01.

    The ministry's code lists were not visible when this was written (domain.md §12): the
    seeded members are a proposal [U]. Submitted reports keep the codes and labels they
    used, so editing a list never changes a submitted report.
    """

    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("label"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        abstract = True
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.label

    def audit_scope(self) -> Scope:
        return Scope()


class FundingKind(CodeList):
    """Kinds of funding source (CAS 01 variable 1; art. 18 ust. 6 u.z.s. lists some)."""

    class Meta(CodeList.Meta):
        verbose_name = _("kind of funding source")
        verbose_name_plural = _("kinds of funding source")
        constraints = [models.UniqueConstraint(fields=["code"], name="funding_kind_code_unique")]


class ParticipantGroup(CodeList):
    """Groups of KIS participants (CAS 01 variable 4), mapped from the groups of art. 1 ust. 2."""

    target_groups = models.JSONField(_("groups of art. 1 ust. 2 counted here"), default=list, blank=True)

    class Meta(CodeList.Meta):
        verbose_name = _("group of participants")
        verbose_name_plural = _("groups of participants")
        constraints = [models.UniqueConstraint(fields=["code"], name="participant_group_code_unique")]


class CompletionForm(CodeList):
    """What a participant took up after completing (CAS 01 variable 6).

    A person who left counts as having completed when the reason for ending is listed by some
    form; the first form (by position) whose reasons and kinds of work match is theirs.
    """

    exit_reasons = models.JSONField(_("reasons for ending counted here"), default=list, blank=True)
    employment_kinds = models.JSONField(
        _("kinds of work counted here"),
        default=list,
        blank=True,
        help_text=_("Empty: any kind of work."),
    )

    class Meta(CodeList.Meta):
        verbose_name = _("form of activity after completing")
        verbose_name_plural = _("forms of activity after completing")
        constraints = [models.UniqueConstraint(fields=["code"], name="completion_form_code_unique")]


class ServiceCategory(CodeList):
    """A category of social or vocational reintegration services (CAS 01 variables 7 and 8)."""

    class Kind(models.TextChoices):
        SOCIAL = "social", _("social reintegration")
        VOCATIONAL = "vocational", _("vocational reintegration")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    activity_types = models.JSONField(_("activity types counted here"), default=list, blank=True)

    class Meta(CodeList.Meta):
        verbose_name = _("category of reintegration services")
        verbose_name_plural = _("categories of reintegration services")
        ordering = ["kind", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="service_category_code_unique")]


# --------------------------------------------------------------------------- deadlines


class ReportDeadline(models.Model):
    """The voivode office's deadline for the reports of year Y (in year Y + 1) and its reminders.

    The statute says 31 March (art. 18a ust. 6 u.z.s.); some offices ask earlier (domain.md §12),
    never later. Without a row the statutory date and 14 days of reminders apply.
    """

    DEFAULT_MONTH, DEFAULT_DAY, DEFAULT_REMIND_DAYS = 3, 31, 14

    voivodeship = models.CharField(_("voivodeship"), max_length=2, choices=Voivodeship.choices, unique=True)
    month = models.PositiveSmallIntegerField(_("month"))
    day = models.PositiveSmallIntegerField(_("day"))
    remind_days = models.PositiveSmallIntegerField(
        _("first reminder (days before)"),
        default=DEFAULT_REMIND_DAYS,
        help_text=_("Reminders go out then, 7 days and 1 day before, and the day after the deadline."),
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("report deadline")
        verbose_name_plural = _("report deadlines")
        constraints = [
            models.CheckConstraint(
                name="report_deadline_not_after_31_march",
                condition=Q(month__gte=1, month__lte=3, day__gte=1, day__lte=31),
            ),
            models.CheckConstraint(name="report_deadline_reminder_range", condition=Q(remind_days__lte=90)),
        ]

    def __str__(self) -> str:
        return f"{self.get_voivodeship_display()}: {self.day:02d}.{self.month:02d}"

    def audit_scope(self) -> Scope:
        return Scope(voivodeship=self.voivodeship)

    def for_year(self, year: int) -> date:
        return deadline_on(year, self.month, self.day)


def deadline_on(year: int, month: int, day: int) -> date:
    """The deadline for the reports of ``year``: ``day.month`` of the next year (29 Feb → 28 Feb)."""
    try:
        return date(year + 1, month, day)
    except ValueError:
        return date(year + 1, month, 28)


# --------------------------------------------------------------------------- the report


class AnnualReportQuerySet(models.QuerySet["AnnualReport"]):
    def counted(self) -> AnnualReportQuerySet:
        """Reports whose snapshot counts in regional totals: submitted or accepted."""
        return self.filter(state__in=AnnualReport.COUNTED)


class AnnualReport(models.Model):
    """Sprawozdanie z działalności klubu for one calendar year."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        CHECKED = "checked", _("checked by the leader")
        SUBMITTED = "submitted", _("submitted")
        ACCEPTED = "accepted", _("accepted")
        RETURNED = "returned", _("returned for correction")

    EDITABLE = (State.DRAFT, State.CHECKED, State.RETURNED)
    COUNTED = (State.SUBMITTED, State.ACCEPTED)

    club = models.ForeignKey(Club, verbose_name=_("club"), on_delete=models.PROTECT, related_name="annual_reports")
    year = models.PositiveSmallIntegerField(_("year"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    # Narrative per activity type: {"psu": {"actions": "...", "effects": "..."}}.
    narratives = models.JSONField(_("actions and effects"), default=dict, blank=True)
    staff_note = models.TextField(_("notes on the staff"), blank=True)
    effects_note = models.TextField(_("notes on the reintegration effects"), blank=True)
    grants_note = models.TextField(_("notes on the grants"), blank=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_comment = models.TextField(_("comments of the voivode office"), blank=True)
    submission_count = models.PositiveSmallIntegerField(default=0, editable=False)
    # The latest submitted snapshot (counts only); every submission is kept in ReportSubmission.
    snapshot = models.JSONField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=0, editable=False)

    objects: ClassVar[AnnualReportQuerySet] = AnnualReportQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["club", "year"], name="annual_report_once_per_year"),
            models.CheckConstraint(
                name="annual_report_submitted_has_snapshot",
                condition=~Q(state__in=["submitted", "accepted", "returned"]) | Q(snapshot__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["year", "state"], name="annual_report_year_state")]

    def __str__(self) -> str:
        return f"{self.club} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("reports:report", args=[self.club_id, self.year])

    def audit_scope(self) -> Scope:
        return self.club.audit_scope()

    @property
    def is_editable(self) -> bool:
        return self.state in self.EDITABLE

    @property
    def is_counted(self) -> bool:
        return self.state in self.COUNTED


class ReportGrant(models.Model):
    """Settlement of the grants of one funding source for the year (art. 18a ust. 6 pkt 4)."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="grants")
    funding = models.ForeignKey(FundingKind, verbose_name=_("funding source"), on_delete=models.PROTECT)
    received = models.DecimalField(_("received"), max_digits=12, decimal_places=2, default=0)
    spent = models.DecimalField(_("spent"), max_digits=12, decimal_places=2, default=0)
    returned = models.DecimalField(_("returned"), max_digits=12, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("grant settlement")
        verbose_name_plural = _("grant settlements")
        constraints = [
            models.UniqueConstraint(fields=["report", "funding"], name="report_grant_once_per_source"),
            models.CheckConstraint(
                name="report_grant_amounts_not_negative",
                condition=Q(received__gte=0) & Q(spent__gte=0) & Q(returned__gte=0),
            ),
            models.CheckConstraint(
                name="report_grant_returns_at_most_received", condition=Q(returned__lte=F("received"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.funding}"

    def audit_scope(self) -> Scope:
        return self.report.audit_scope()


def _pdf_path(instance: ReportSubmission, filename: str) -> str:
    report = instance.report
    return f"reports/{report.club_id}/{report.year}-v{instance.number}.pdf"


class ReportSubmission(models.Model):
    """One submission of a report: its frozen snapshot, PDF and the voivode office's answer."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("awaiting review")
        ACCEPTED = "accepted", _("accepted")
        RETURNED = "returned", _("returned for correction")

    report = models.ForeignKey(AnnualReport, on_delete=models.PROTECT, related_name="submissions")
    number = models.PositiveSmallIntegerField(_("version"))
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    snapshot = models.JSONField(editable=False)
    pdf = models.FileField(upload_to=_pdf_path, storage=encrypted_storage, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(_("comments"), blank=True)

    class Meta:
        verbose_name = _("report submission")
        verbose_name_plural = _("report submissions")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="report_submission_number_unique")]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"

    def audit_scope(self) -> Scope:
        return self.report.audit_scope()


class ReportCell(models.Model):
    """One figure of a counted (submitted or accepted) report: the rollup regional totals add up."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="cells")
    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    voivodeship = models.CharField(max_length=2, choices=Voivodeship.choices)
    key = models.CharField(max_length=80)
    value = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "key"], name="report_cell_once_per_key")]
        indexes = [models.Index(fields=["year", "voivodeship", "key"], name="report_cell_region")]

    def __str__(self) -> str:
        return f"{self.report_id} {self.key}={self.value}"


class ReportReminder(models.Model):
    """A reminder sent to the leaders of a club: one per club, year and point, so reruns send nothing twice."""

    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    point = models.CharField(max_length=12)
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["club", "year", "point"], name="report_reminder_once")]

    def __str__(self) -> str:
        return f"{self.club_id} {self.year} {self.point}"

    def audit_scope(self) -> Scope:
        return self.club.audit_scope()
