from __future__ import annotations

import re
import secrets
from datetime import date
from typing import Any, ClassVar

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kis import audit
from kis.accounts.models import Role
from kis.accounts.policy import Access
from kis.audit.scope import Scope
from kis.clubs.models import Club, Territory
from kis.lib import crypto
from kis.lib.ids import mask_pesel
from kis.lib.storage import encrypted_storage
from kis.lib.text import fold, polish_sort_key


class LegalRuleQuerySet(models.QuerySet["LegalRule"]):
    def in_force(self, code: str, on: date) -> LegalRule | None:
        return (
            self.filter(code=code, valid_from__lte=on)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
            .order_by("-valid_from")
            .first()
        )


class LegalRule(models.Model):
    """A dated legal parameter (domain.md): the value in force on a day, with its source.

    Rules are never constants in code. A change of the law is a new row with a new
    ``valid_from``; the old row gets ``valid_to``. Uncertain facts are marked ``[U]``.
    """

    class Confidence(models.TextChoices):
        CONFIRMED = "C", _("confirmed in the statute")
        PROBABLE = "P", _("probable")
        UNCERTAIN = "U", _("uncertain: to be confirmed")

    code = models.CharField(_("rule"), max_length=64)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    value = models.JSONField(_("value"))
    source = models.CharField(_("legal source"), max_length=200)
    confidence = models.CharField(_("confidence"), max_length=1, choices=Confidence.choices)
    note = models.TextField(_("note"), blank=True)

    objects: ClassVar[LegalRuleQuerySet] = LegalRuleQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("legal rule")
        verbose_name_plural = _("legal rules")
        ordering = ["code", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="legal_rule_unique_start"),
            models.CheckConstraint(
                name="legal_rule_ends_after_start",
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.valid_from:%d.%m.%Y})"


class TargetGroup(models.TextChoices):
    """Art. 1 ust. 2 u.z.s. (current text); special-category data except LONG_TERM_UNEMPLOYED."""

    HOMELESS_IPWB = "homeless_ipwb", _("homeless, carrying out an individual programme for leaving homelessness")
    ALCOHOL_ADDICTION = "alcohol_addiction", _("addicted to alcohol")
    DRUG_ADDICTION = "drug_addiction", _("addicted to drugs or other intoxicants")
    MENTAL_DISORDER = "mental_disorder", _("with a mental disorder")
    LONG_TERM_UNEMPLOYED = "long_term_unemployed", _("long-term unemployed")
    EX_PRISONER = "ex_prisoner", _("released from prison, with difficulty reintegrating")
    REFUGEE_IPI = "refugee_ipi", _("refugee carrying out an individual integration programme")
    DISABILITY = "disability", _("with a disability")
    OTHER = "other", _("other socially excluded person")


class Benefit(models.TextChoices):
    """Benefits whose right excludes a person from the act (art. 1 ust. 3 u.z.s.)."""

    UNEMPLOYMENT_BENEFIT = "unemployment_benefit", _("unemployment benefit")
    PRE_RETIREMENT_ALLOWANCE = "pre_retirement_allowance", _("pre-retirement allowance")
    PRE_RETIREMENT_BENEFIT = "pre_retirement_benefit", _("pre-retirement benefit")
    SOCIAL_PENSION = "social_pension", _("social pension (excluded until 2007)")
    STRUCTURAL_PENSION = "structural_pension", _("structural pension")
    INCAPACITY_PENSION = "incapacity_pension", _("incapacity-for-work pension")
    OLD_AGE_PENSION = "old_age_pension", _("old-age pension")
    TEACHER_COMPENSATION = "teacher_compensation", _("teachers' compensatory benefit")


class Education(models.TextChoices):
    """Highest completed level (ISCED), as in ESF monitoring."""

    ISCED0 = "isced0", _("none or below primary (ISCED 0)")
    ISCED1 = "isced1", _("primary (ISCED 1)")
    ISCED2 = "isced2", _("lower secondary (ISCED 2)")
    ISCED3 = "isced3", _("upper secondary (ISCED 3)")
    ISCED4 = "isced4", _("post-secondary (ISCED 4)")
    ISCED58 = "isced5_8", _("tertiary (ISCED 5–8)")


class LabourStatus(models.TextChoices):
    REGISTERED_UNEMPLOYED = "registered_unemployed", _("registered unemployed")
    UNREGISTERED_UNEMPLOYED = "unregistered_unemployed", _("unemployed, not registered")
    INACTIVE = "inactive", _("economically inactive")
    EMPLOYED = "employed", _("employed")


class Referral(models.TextChoices):
    OWN = "own", _("own application")
    OPS = "ops", _("OPS/CUS social worker")
    PUP = "pup", _("labour office (PUP)")
    CIS = "cis", _("social integration centre (CIS)")
    OTHER = "other", _("other")


class ParticipantQuerySet(models.QuerySet["Participant"]):
    def visible_to(self, access: Access) -> ParticipantQuerySet:
        """Club staff see their clubs' participants; an OPS partner only the people they referred."""
        club_roles = frozenset({Role.LEADER, Role.STAFF, Role.DESK})
        q = access.club_q(prefix="club__", roles=club_roles)
        partner_clubs = access.club_ids(Role.PARTNER)
        if partner_clubs and access.user_id is not None:
            q |= Q(club_id__in=sorted(partner_clubs), referring_partner_id=access.user_id)
        return self.filter(q)

    def active_on(self, day: date) -> ParticipantQuerySet:
        return self.filter(joined_on__lte=day).exclude(left_on__lt=day)

    def search(self, term: str) -> ParticipantQuerySet:
        qs = self
        for word in fold(term).split()[:4]:
            qs = qs.filter(name_search__contains=word)
        return qs


class Participant(models.Model):
    """A person taking part (or applying to take part) in a club."""

    # Fields whose values never reach the audit trail (special categories, identifiers).
    AUDIT_REDACTED_FIELDS = (
        "pesel",
        "groups",
        "other_group_reason",
        "excluded_benefits",
        "health_notes",
        "id_document_number",
    )

    class Status(models.TextChoices):
        CANDIDATE = "candidate", _("candidate")
        ACTIVE = "active", _("active")
        EXITED = "exited", _("finished")

    class Sex(models.TextChoices):
        FEMALE = "F", _("woman")
        MALE = "M", _("man")

    class DocumentType(models.TextChoices):
        ID_CARD = "id_card", _("identity card")
        PASSPORT = "passport", _("passport")
        RESIDENCE_CARD = "residence_card", _("residence card")
        OTHER = "other", _("other document")

    class ExitReason(models.TextChoices):
        COMPLETED = "completed", _("completed the programme")
        EMPLOYED = "employed", _("took up employment")
        TO_CIS = "to_cis", _("moved to a social integration centre (CIS)")
        TO_SOCIAL_COOPERATIVE = "to_social_cooperative", _("founded or joined a social cooperative")
        RESIGNED = "resigned", _("resigned")
        CONTRACT_BROKEN = "contract_broken", _("did not keep the social contract")
        LOST_ELIGIBILITY = "lost_eligibility", _("lost eligibility")
        OTHER = "other", _("other")

    class EmploymentKind(models.TextChoices):
        CONTRACT = "contract", _("employment contract")
        CIVIL = "civil", _("civil-law contract")
        SELF_EMPLOYED = "self_employed", _("self-employment")
        SUBSIDISED = "subsidised", _("subsidised job")

    club = models.ForeignKey(Club, verbose_name=_("club"), on_delete=models.PROTECT, related_name="participants")
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    name_search = models.CharField(max_length=220, editable=False, db_index=True)
    name_sort = models.CharField(max_length=255, editable=False, db_index=True)
    pesel = crypto.EncryptedTextField(_("PESEL"), null=True, blank=True)
    pesel_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    pesel_last4 = models.CharField(max_length=4, blank=True, editable=False)
    id_document_type = models.CharField(_("identity document"), max_length=20, choices=DocumentType.choices, blank=True)
    id_document_number = crypto.EncryptedTextField(_("document number"), null=True, blank=True)
    birth_date = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    street = models.CharField(_("street and number"), max_length=150, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=6, blank=True)
    city = models.CharField(_("town"), max_length=100, blank=True)
    gmina = models.ForeignKey(
        Territory, verbose_name=_("gmina (TERYT)"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    education = models.CharField(_("education"), max_length=10, choices=Education.choices, blank=True)
    labour_status = models.CharField(_("labour-market status at entry"), max_length=30, choices=LabourStatus.choices)
    referral = models.CharField(_("came through"), max_length=10, choices=Referral.choices)
    referred_by = models.CharField(_("referred by"), max_length=200, blank=True)
    referring_partner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("referring OPS social worker (account)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referred_participants",
    )
    # Special-category data (GDPR art. 9/10): encrypted, read only through reveal_special().
    groups = crypto.EncryptedJSONField(_("groups (art. 1 ust. 2 u.z.s.)"), null=True, blank=True)
    groups_refused = models.BooleanField(_("refused to answer about groups"), default=False)
    other_group_reason = crypto.EncryptedTextField(_("why another excluded person"), null=True, blank=True)
    excluded_benefits = crypto.EncryptedJSONField(_("has the right to"), null=True, blank=True)
    health_notes = crypto.EncryptedTextField(_("health, addiction and disability notes"), null=True, blank=True)
    general_clause_confirmed = models.BooleanField(
        _("socially excluded and unable to meet basic needs by own efforts (art. 1 ust. 2)"), default=False
    )
    benefits_declared_on = models.DateField(_("benefits declaration signed on"), null=True, blank=True)
    notice_acknowledged_on = models.DateField(_("GDPR information notice acknowledged on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CANDIDATE)
    applied_on = models.DateField(_("applied on"))
    joined_on = models.DateField(_("participation started on"), null=True, blank=True)
    left_on = models.DateField(_("participation ended on"), null=True, blank=True)
    exit_reason = models.CharField(_("reason for ending"), max_length=24, choices=ExitReason.choices, blank=True)
    employment_kind = models.CharField(_("kind of work"), max_length=16, choices=EmploymentKind.choices, blank=True)
    exit_note = models.CharField(_("note on ending"), max_length=300, blank=True)
    case_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("case worker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="caseload",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=0, editable=False)

    objects: ClassVar[ParticipantQuerySet] = ParticipantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["name_sort", "pk"]
        indexes = [
            models.Index(fields=["club", "name_sort", "id"], name="participant_club_order"),
            models.Index(fields=["club", "status", "name_sort"], name="participant_club_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["club", "pesel_hash"], condition=~Q(pesel_hash=""), name="participant_pesel_unique_in_club"
            ),
            models.CheckConstraint(
                name="participant_leaves_after_joining",
                condition=Q(left_on__isnull=True) | Q(joined_on__isnull=True) | Q(left_on__gte=F("joined_on")),
            ),
            models.CheckConstraint(
                name="participant_exited_has_reason",
                condition=~Q(status="exited") | (Q(left_on__isnull=False) & ~Q(exit_reason="")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Derived columns only: search and sort keys, and the PESEL's hash and visible tail.
        self.name_search = fold(f"{self.first_name} {self.last_name} {self.last_name} {self.first_name}")[:220]
        self.name_sort = polish_sort_key(f"{self.last_name} {self.first_name}")
        self.pesel_hash = crypto.keyed_hash(self.pesel, purpose="pesel") if self.pesel else ""
        self.pesel_last4 = self.pesel[-4:] if self.pesel else ""
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "name_search",
                "name_sort",
                "pesel_hash",
                "pesel_last4",
            }
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("participants:detail", args=[self.pk])

    def audit_scope(self) -> Scope:
        return self.club.audit_scope()

    @property
    def full_name(self) -> str:
        return str(self)

    @property
    def masked_pesel(self) -> str:
        return mask_pesel("0000000" + self.pesel_last4) if self.pesel_last4 else ""

    @property
    def duration_days(self) -> int | None:
        if self.joined_on is None:
            return None
        return ((self.left_on or timezone.localdate()) - self.joined_on).days

    def is_graduate(self) -> bool:
        """KIS graduate (absolwent): ≥ 6 months, a certificate, the contract completed positively.

        The contract is read through the reverse relation: contracts build on participants.
        """
        if self.joined_on is None or self.left_on is None or not hasattr(self, "certificate"):
            return False
        return (
            self.left_on >= add_months(self.joined_on, 6)
            and self.contracts.filter(status="completed_positively").exists()
        )

    def reveal_pesel(self, *, by: Any) -> str:
        audit.record(by, "participant.pesel_revealed", self)
        return self.pesel or ""

    def reveal_special(self, *, by: Any, reason: str) -> dict[str, Any]:
        """Special-category data for one screen; every call is audited (without the values)."""
        audit.record(by, "participant.special_read", self, reason=reason[:200])
        return {
            "groups": [TargetGroup(code).label for code in (self.groups or []) if code in TargetGroup.values],
            "groups_refused": self.groups_refused,
            "other_group_reason": self.other_group_reason or "",
            "excluded_benefits": [
                Benefit(code).label for code in (self.excluded_benefits or []) if code in Benefit.values
            ],
            "health_notes": self.health_notes or "",
        }

    @transaction.atomic
    def admit(self, *, on: date, by: Any) -> None:
        self.status, self.joined_on = self.Status.ACTIVE, on
        self.version += 1
        self.save(update_fields=["status", "joined_on", "version"])
        audit.record(by, "participant.admitted", self, joined_on=on.isoformat())


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clipped to the month's end (31 Jan + 1 → 28/29 Feb)."""
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for candidate in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


class Consent(models.Model):
    """A processing purpose with its legal basis; consents can be withdrawn."""

    class Purpose(models.TextChoices):
        PARTICIPATION = "participation", _("running the participation (u.z.s., u.p.s.)")
        SPECIAL_CATEGORIES = "special_categories", _("special-category data needed for eligibility")
        IMAGE = "image", _("use of image (photos of activities)")
        CONTACT = "contact", _("contact about activities after finishing")

    class Basis(models.TextChoices):
        STATUTE = "statute", _("legal obligation / public task (art. 6(1)(c)(e), 9(2)(b)(g) GDPR)")
        CONTRACT = "contract", _("contract (art. 6(1)(b) GDPR)")
        CONSENT = "consent", _("consent (art. 6(1)(a), 9(2)(a) GDPR)")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=24, choices=Purpose.choices)
    basis = models.CharField(_("legal basis"), max_length=10, choices=Basis.choices)
    given_on = models.DateField(_("given on"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)

    class Meta:
        verbose_name = _("processing purpose")
        verbose_name_plural = _("processing purposes")
        ordering = ["purpose", "-given_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "purpose"], condition=Q(withdrawn_on__isnull=True), name="consent_one_active"
            ),
            models.CheckConstraint(
                name="consent_withdrawal_only_for_consent",
                condition=Q(withdrawn_on__isnull=True) | Q(basis="consent"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.get_basis_display()})"

    def audit_scope(self) -> Scope:
        return self.participant.audit_scope()


class HouseholdMember(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="household")
    name = models.CharField(_("name"), max_length=150)
    relation = models.CharField(_("relation"), max_length=60)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")

    def __str__(self) -> str:
        return self.name

    def audit_scope(self) -> Scope:
        return self.participant.audit_scope()


class CaseNote(models.Model):
    class Level(models.TextChoices):
        TEAM = "team", _("club team")
        RESTRICTED = "restricted", _("author and club leader only")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    level = models.CharField(_("who may read"), max_length=12, choices=Level.choices, default=Level.TEAM)
    text = crypto.EncryptedTextField(_("note"))

    AUDIT_REDACTED_FIELDS = ("text",)

    class Meta:
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.participant} {self.created_at:%Y-%m-%d}"

    def audit_scope(self) -> Scope:
        return self.participant.audit_scope()


def _upload_to(instance: CaseDocument, filename: str) -> str:
    return f"participants/{instance.participant.club_id}/{secrets.token_hex(16)}"


class CaseDocument(models.Model):
    class Kind(models.TextChoices):
        EVIDENCE = "evidence", _("evidence of a group (art. 1 ust. 2)")
        DECLARATION = "declaration", _("declaration")
        CONTRACT = "contract", _("social contract (signed copy)")
        PLAN = "plan", _("reintegration plan (signed copy)")
        CERTIFICATE = "certificate", _("certificate")
        OTHER = "other", _("other")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=150)
    file = models.FileField(upload_to=_upload_to, storage=encrypted_storage)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.title

    def audit_scope(self) -> Scope:
        return self.participant.audit_scope()


class Certificate(models.Model):
    """Completion certificate (zaświadczenie, art. 18 ust. 5a u.z.s.), issued at once on exit."""

    participant = models.OneToOneField(Participant, on_delete=models.PROTECT, related_name="certificate")
    club = models.ForeignKey(Club, on_delete=models.PROTECT, related_name="certificates")
    year = models.PositiveSmallIntegerField()
    serial = models.PositiveIntegerField()
    issued_on = models.DateField(_("issued on"))
    verification_code = models.CharField(max_length=12, unique=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("completion certificate")
        verbose_name_plural = _("completion certificates")
        constraints = [models.UniqueConstraint(fields=["club", "year", "serial"], name="certificate_number_unique")]

    def __str__(self) -> str:
        return self.number

    NUMBER = re.compile(r"^KIS/(\d{1,9})/(\d{4})/(\d{1,6})$")

    @property
    def number(self) -> str:
        return f"KIS/{self.club_id}/{self.year}/{self.serial:04d}"

    @classmethod
    def parse_number(cls, text: str) -> tuple[int, int, int] | None:
        """(club id, year, serial) of a number written as ``number`` writes it, or None."""
        match = cls.NUMBER.match(text.strip())
        return None if match is None else (int(match[1]), int(match[2]), int(match[3]))

    def audit_scope(self) -> Scope:
        return self.club.audit_scope()


class FollowUp(models.Model):
    """Monitoring after the end of participation: 1, 3, 6 and 12 months."""

    MONTHS = (1, 3, 6, 12)

    class Outcome(models.TextChoices):
        EMPLOYED = "employed", _("employed")
        NOT_EMPLOYED = "not_employed", _("not employed")
        UNKNOWN = "unknown", _("unknown")

    class Source(models.TextChoices):
        PARTICIPANT = "participant", _("the person (phone, visit)")
        EMPLOYER = "employer", _("employer")
        PUP = "pup", _("labour office (PUP)")
        OPS = "ops", _("OPS/CUS")
        ZUS = "zus", _("ZUS data")
        OTHER = "other", _("other")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="follow_ups")
    months = models.PositiveSmallIntegerField(_("months after ending"))
    due_on = models.DateField(_("due on"))
    outcome = models.CharField(_("outcome"), max_length=14, choices=Outcome.choices, blank=True)
    source = models.CharField(_("evidence source"), max_length=12, choices=Source.choices, blank=True)
    recorded_on = models.DateField(_("recorded on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "months"], name="follow_up_once_per_point"),
            models.CheckConstraint(
                name="follow_up_recorded_has_outcome", condition=Q(recorded_on__isnull=True) | ~Q(outcome="")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} +{self.months}"

    def audit_scope(self) -> Scope:
        return self.participant.audit_scope()

    @property
    def is_overdue(self) -> bool:
        return self.recorded_on is None and self.due_on < timezone.localdate()
