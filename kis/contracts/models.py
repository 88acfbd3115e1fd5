from __future__ import annotations

from datetime import date, timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kis import audit
from kis.audit.scope import Scope
from kis.participants.models import Participant


class SocialContractQuerySet(models.QuerySet["SocialContract"]):
    def covering(self, day: date) -> SocialContractQuerySet:
        """Contracts in force on ``day``: signed (or amended) and within their dates."""
        return self.filter(
            status__in=[SocialContract.Status.SIGNED, SocialContract.Status.AMENDED],
            valid_from__lte=day,
            valid_to__gte=day,
        )

    def expiring_within(self, days: int, *, today: date) -> SocialContractQuerySet:
        return self.filter(
            status__in=[SocialContract.Status.SIGNED, SocialContract.Status.AMENDED],
            valid_to__gte=today,
            valid_to__lte=today + timedelta(days=days),
        )


class SocialContract(models.Model):
    """Kontrakt socjalny (u.p.s. art. 108): the entry gate to a club (art. 18 ust. 4 u.z.s.).

    The OPS/CUS concludes it with the person; the club keeps the reference and tracks its clauses.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SIGNED = "signed", _("signed")
        AMENDED = "amended", _("amended")
        COMPLETED_POSITIVELY = "completed_positively", _("completed positively")
        COMPLETED_NEGATIVELY = "completed_negatively", _("completed negatively")
        TERMINATED = "terminated", _("terminated")
        EXPIRED = "expired", _("expired")

    class Variant(models.TextChoices):
        A = "A", _("part A: person or family – solving a difficult life situation")
        B = "B", _("part B: person – activity, independence, preventing exclusion")

    OPEN = (Status.DRAFT, Status.SIGNED, Status.AMENDED)
    IN_FORCE = (Status.SIGNED, Status.AMENDED)

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="contracts")
    number = models.CharField(_("number"), max_length=40, blank=True)
    ops_name = models.CharField(_("OPS/CUS that concluded it"), max_length=200)
    social_worker = models.CharField(_("social worker"), max_length=150)
    social_worker_phone = models.CharField(_("social worker's phone"), max_length=40, blank=True)
    variant = models.CharField(_("variant"), max_length=1, choices=Variant.choices, default=Variant.B)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.DRAFT)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_note = models.CharField(_("assessment or reason"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects: ClassVar[SocialContractQuerySet] = SocialContractQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("social contract")
        verbose_name_plural = _("social contracts")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(name="contract_valid_to_after_from", condition=Q(valid_to__gte=F("valid_from"))),
            models.CheckConstraint(
                name="contract_signed_has_date",
                condition=Q(status="draft") | Q(signed_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        label = self.number or str(_("without number"))
        return f"{label} ({self.valid_from:%d.%m.%Y}–{self.valid_to:%d.%m.%Y})"

    def get_absolute_url(self) -> str:
        return reverse("contracts:detail", args=[self.pk])

    def audit_scope(self) -> Scope:
        return self.participant.audit_scope()

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @transaction.atomic
    def sign(self, *, on: date, by: Any) -> None:
        self.status, self.signed_on = self.Status.SIGNED, on
        self.version += 1
        self.save(update_fields=["status", "signed_on", "version"])
        audit.record(by, "contract.signed", self, signed_on=on.isoformat())

    @transaction.atomic
    def amend(self, *, valid_to: date, note: str, by: Any) -> None:
        previous = self.valid_to
        self.status, self.valid_to = self.Status.AMENDED, valid_to
        self.version += 1
        self.save(update_fields=["status", "valid_to", "version"])
        audit.record(by, "contract.amended", self, valid_to=[previous.isoformat(), valid_to.isoformat()], note=note)

    @transaction.atomic
    def close(self, *, status: str, on: date, note: str, by: Any) -> None:
        self.status, self.ended_on, self.end_note = status, on, note
        self.version += 1
        self.save(update_fields=["status", "ended_on", "end_note", "version"])
        audit.record(by, "contract.closed", self, status=status, ended_on=on.isoformat())

    def attendance(self, *, today: date | None = None) -> tuple[int, int]:
        """Sessions attended and sessions marked while the contract is in force (one query).

        Read through the participant's reverse relation: contracts do not import activities.
        """
        today = today or timezone.localdate()
        last = min(self.ended_on or self.valid_to, today)
        counts = self.participant.attendance.filter(
            session__starts_at__date__range=(self.valid_from, last), session__cancelled=False
        ).aggregate(total=Count("pk"), present=Count("pk", filter=Q(status="present")))
        return counts["present"], counts["total"]

    def progress(self) -> tuple[int, int]:
        """Clauses done and clauses in total."""
        clauses = list(self.clauses.all())
        return sum(1 for clause in clauses if clause.done_on), len(clauses)


class ContractClause(models.Model):
    """One action of the contract: what, who is responsible, by when, how it is verified."""

    class Party(models.TextChoices):
        PARTICIPANT = "participant", _("participant")
        SOCIAL_WORKER = "social_worker", _("OPS social worker")
        CLUB = "club", _("club")

    contract = models.ForeignKey(SocialContract, on_delete=models.CASCADE, related_name="clauses")
    action = models.CharField(_("action"), max_length=300)
    responsible = models.CharField(_("responsible"), max_length=16, choices=Party.choices)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    verification = models.CharField(_("how it is verified"), max_length=200, blank=True)
    goal = models.ForeignKey(
        "PlanGoal",
        verbose_name=_("plan goal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="clauses",
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    attendance_threshold = models.PositiveSmallIntegerField(
        _("required attendance (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "For a clause such as 'takes part in at least 80 per cent of the workshops': the share of marked "
            "sessions the participant must attend while the contract is in force. Leave empty for other clauses."
        ),
    )

    class Meta:
        verbose_name = _("contract clause")
        verbose_name_plural = _("contract clauses")
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return self.action

    def audit_scope(self) -> Scope:
        return self.contract.audit_scope()

    @property
    def state(self) -> str:
        if self.done_on:
            return "done"
        if self.deadline and self.deadline < timezone.localdate():
            return "overdue"
        return "open"


class ReintegrationPlan(models.Model):
    """Indywidualny plan reintegracji. Every change is a new version; old versions stay."""

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="plans")
    number = models.PositiveSmallIntegerField(_("version"))
    is_current = models.BooleanField(default=True)
    diagnosis = models.TextField(_("opening diagnosis"))
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    agreed_on = models.DateField(_("the participant agreed on"), null=True, blank=True)
    agreement_witness = models.CharField(_("witness of the agreement"), max_length=150, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    AUDIT_REDACTED_FIELDS = ("diagnosis",)

    class Meta:
        verbose_name = _("reintegration plan")
        verbose_name_plural = _("reintegration plans")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "number"], name="plan_version_unique"),
            models.UniqueConstraint(
                fields=["participant"], condition=Q(is_current=True), name="plan_one_current_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("contracts:plan", args=[self.participant_id])

    def audit_scope(self) -> Scope:
        return self.participant.audit_scope()


class PlanGoal(models.Model):
    class Kind(models.TextChoices):
        SOCIAL = "social", _("social")
        VOCATIONAL = "vocational", _("vocational")

    plan = models.ForeignKey(ReintegrationPlan, on_delete=models.CASCADE, related_name="goals")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    description = models.CharField(_("goal"), max_length=300)

    class Meta:
        verbose_name = _("plan goal")
        verbose_name_plural = _("plan goals")
        ordering = ["kind", "pk"]

    def __str__(self) -> str:
        return self.description


class PlanStep(models.Model):
    goal = models.ForeignKey(PlanGoal, on_delete=models.CASCADE, related_name="steps")
    description = models.CharField(_("step"), max_length=300)
    owner = models.CharField(_("who"), max_length=150)
    due_on = models.DateField(_("by"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("plan step")
        verbose_name_plural = _("plan steps")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.description


class PlanReview(models.Model):
    plan = models.ForeignKey(ReintegrationPlan, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("reviewed on"))
    progress = models.TextField(_("progress"))
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    AUDIT_REDACTED_FIELDS = ("progress",)

    class Meta:
        verbose_name = _("plan review")
        verbose_name_plural = _("plan reviews")
        ordering = ["-reviewed_on"]

    def __str__(self) -> str:
        return f"{self.plan} {self.reviewed_on}"

    def audit_scope(self) -> Scope:
        return self.plan.audit_scope()
