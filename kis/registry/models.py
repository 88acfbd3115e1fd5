"""The voivode's register of clubs (art. 18a u.z.s.): notifications, entries, their history.

A club may operate only once it is entered (art. 18 ust. 1). The operator notifies the voivode
of the voivodeship where the club operates (ust. 2) on the 2012 form (Dz.U. 2012 poz. 513) with
the founding act attached; the voivode enters it within 30 days, records changes, and strikes it
off on the operator's notice of cessation (due within 30 days, ust. 4) or on their own finding
(ust. 5). The public columns of an entry are copied onto it, so the public list reads one table.
"""

from __future__ import annotations

import re
import secrets
from datetime import date, timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kis.accounts.policy import Access
from kis.audit.scope import Scope
from kis.clubs.models import Club, Operator
from kis.lib.storage import encrypted_storage
from kis.lib.teryt import Voivodeship
from kis.lib.text import fold, polish_sort_key

# Art. 18a ust. 2 (entry) and ust. 4 (notice of cessation): 30 days each.
ENTRY_DAYS = 30
CESSATION_NOTICE_DAYS = 30

# The fields of the 2012 notification form, in the order of the form, as stored in a snapshot.
OPERATOR_FIELDS = (
    "operator_name",
    "operator_krs",
    "operator_street",
    "operator_postal_code",
    "operator_city",
    "operator_phone",
    "operator_fax",
    "operator_email",
)
CLUB_FIELDS = (
    "club_name",
    "club_street",
    "club_postal_code",
    "club_city",
    "club_gmina",
    "created_on",
    "started_on",
    "manager_name",
    "club_phone",
    "club_email",
)
FORM_FIELDS = OPERATOR_FIELDS + CLUB_FIELDS


def address(street: str, postal_code: str, city: str) -> str:
    return ", ".join(part for part in (street.strip(), f"{postal_code} {city}".strip()) if part)


# --------------------------------------------------------------------------- numbering

_PLACEHOLDER = re.compile(r"\{(n|rok|woj)(?::0([1-9])d)?\}")
_ANY_BRACE = re.compile(r"[{}]")


class NumberingScheme(models.Model):
    """How one voivode office numbers its entries, e.g. ``KIS/{woj}/{n}/{rok}`` → ``KIS/12/7/2026``.

    Placeholders: ``{n}`` the counter (``{n:03d}`` pads it to 3 digits), ``{rok}`` the year of the
    entry, ``{woj}`` the voivodeship's TERYT code. With ``yearly`` the counter restarts each year.
    """

    DEFAULT_PATTERN = "KIS/{woj}/{n}/{rok}"

    voivodeship = models.CharField(_("voivodeship"), max_length=2, choices=Voivodeship.choices, unique=True)
    pattern = models.CharField(_("number pattern"), max_length=60, default=DEFAULT_PATTERN)
    next_number = models.PositiveIntegerField(_("next number"), default=1)
    yearly = models.BooleanField(_("restart the counter every year"), default=True)
    counter_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("numbering scheme")
        verbose_name_plural = _("numbering schemes")

    def __str__(self) -> str:
        return f"{self.get_voivodeship_display()}: {self.pattern}"

    @classmethod
    def for_voivodeship(cls, code: str) -> NumberingScheme:
        scheme, _created = cls.objects.get_or_create(voivodeship=code)
        return scheme

    @staticmethod
    def pattern_problem(pattern: str) -> str | None:
        """Why a pattern cannot be used, or None."""
        if "{n" not in pattern or not any(m.group(1) == "n" for m in _PLACEHOLDER.finditer(pattern)):
            return "no_counter"
        if _ANY_BRACE.search(_PLACEHOLDER.sub("", pattern)):
            return "unknown_placeholder"
        return None

    def counter_for(self, year: int) -> int:
        if self.yearly and self.counter_year is not None and self.counter_year != year:
            return 1
        return self.next_number

    def format(self, n: int, year: int) -> str:
        def replace(match: re.Match[str]) -> str:
            name, width = match.group(1), match.group(2)
            if name == "n":
                return f"{n:0{int(width)}d}" if width else str(n)
            if name == "rok":
                return str(year)
            return self.voivodeship

        return _PLACEHOLDER.sub(replace, self.pattern)

    def propose(self, on: date) -> str:
        return self.format(self.counter_for(on.year), on.year)

    def advance(self, on: date) -> None:
        """The proposed number was used: move the counter on."""
        self.next_number = self.counter_for(on.year) + 1
        self.counter_year = on.year
        self.save(update_fields=["next_number", "counter_year"])

    def audit_scope(self) -> Scope:
        return Scope(voivodeship=self.voivodeship)


# --------------------------------------------------------------------------- notifications


class NotificationQuerySet(models.QuerySet["Notification"]):
    def visible_to(self, access: Access) -> NotificationQuerySet:
        """Notifications of clubs the user reaches (the capability is checked per club)."""
        return self.filter(access.club_q(prefix="club__"))

    def open(self) -> NotificationQuerySet:
        return self.exclude(state=Notification.State.RECORDED)


def _act_upload_to(instance: Notification, filename: str) -> str:
    return f"registry/{instance.voivodeship}/{secrets.token_hex(16)}"


class Notification(models.Model):
    """One notification (zgłoszenie) to the register: a new club, a change of data, or cessation."""

    class Kind(models.TextChoices):
        NEW = "new", _("new club")
        CHANGE = "change", _("change of data")
        CESSATION = "cessation", _("cessation of activity")

    class State(models.TextChoices):
        RECEIVED = "received", _("received, awaiting decision")
        CORRECTIONS = "corrections", _("corrections requested")
        RESUBMITTED = "resubmitted", _("corrected, awaiting decision")
        RECORDED = "recorded", _("dealt with")

    class ActKind(models.TextChoices):
        GMINA_RESOLUTION = "gmina_resolution", _("resolution of the gmina council")
        MAYOR_ORDER = "mayor_order", _("order of the mayor (wójt, burmistrz, prezydent)")
        OPS_ORDER = "ops_order", _("order of the head of the OPS/CUS")
        BOARD_RESOLUTION = "board_resolution", _("resolution of the board (NGO, cooperative, church entity)")
        OTHER = "other", _("other act")

    club = models.ForeignKey(Club, verbose_name=_("club"), on_delete=models.PROTECT, related_name="notifications")
    operator = models.ForeignKey(Operator, verbose_name=_("operator"), on_delete=models.PROTECT, related_name="+")
    voivodeship = models.CharField(_("voivodeship"), max_length=2, choices=Voivodeship.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.RECEIVED)
    received_on = models.DateField(_("received on"))
    # 30 days from receipt, or from the corrected notification (the missing data arrive then).
    deadline = models.DateField(_("deadline"))
    data = models.JSONField(_("data as notified"), default=dict)
    ceased_on = models.DateField(_("activity ceased on"), null=True, blank=True)
    act_kind = models.CharField(_("kind of founding act"), max_length=20, choices=ActKind.choices, blank=True)
    act_number = models.CharField(_("number of the act"), max_length=60, blank=True)
    act_date = models.DateField(_("date of the act"), null=True, blank=True)
    act_file = models.FileField(upload_to=_act_upload_to, storage=encrypted_storage, blank=True)
    act_original_name = models.CharField(max_length=200, blank=True)
    act_content_type = models.CharField(max_length=100, blank=True)
    act_size = models.PositiveIntegerField(default=0)
    note = models.CharField(_("note of the operator"), max_length=500, blank=True)
    corrections = models.TextField(_("corrections requested"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_on = models.DateField(_("dealt with on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=0, editable=False)

    objects: ClassVar[NotificationQuerySet] = NotificationQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["voivodeship", "state", "deadline"])]
        constraints = [
            models.CheckConstraint(
                name="notification_deadline_after_receipt", condition=Q(deadline__gte=F("received_on"))
            ),
            models.CheckConstraint(
                name="notification_cessation_has_date", condition=~Q(kind="cessation") | Q(ceased_on__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.data.get('club_name') or self.club.name}"

    def get_absolute_url(self) -> str:
        return reverse("registry:notification", args=[self.pk])

    def audit_scope(self) -> Scope:
        return Scope(club_id=self.club_id, operator_id=self.operator_id, voivodeship=self.voivodeship)

    @property
    def is_open(self) -> bool:
        return self.state != self.State.RECORDED

    @property
    def awaits_officer(self) -> bool:
        return self.state in (self.State.RECEIVED, self.State.RESUBMITTED)

    def days_left(self, today: date | None = None) -> int:
        return (self.deadline - (today or timezone.localdate())).days

    @property
    def is_overdue(self) -> bool:
        return self.awaits_officer and self.days_left() < 0

    @property
    def overdue_days(self) -> int:
        return max(0, -self.days_left())

    @property
    def club_name(self) -> str:
        return str(self.data.get("club_name") or self.club.name)

    def form_rows(self) -> list[tuple[str, Any]]:
        """The notified data as (label, value) in the order of the 2012 form."""
        from kis.registry.forms import FIELD_LABELS

        rows: list[tuple[str, Any]] = []
        for name in FORM_FIELDS:
            value = self.data.get(name, "")
            if name in ("created_on", "started_on") and value:
                value = date.fromisoformat(value)
            rows.append((str(FIELD_LABELS[name]), value))
        return rows

    @staticmethod
    def deadline_from(day: date) -> date:
        return day + timedelta(days=ENTRY_DAYS)


# --------------------------------------------------------------------------- entries


class EntryQuerySet(models.QuerySet["RegisterEntry"]):
    def visible_to(self, access: Access) -> EntryQuerySet:
        return self.filter(access.club_q(prefix="club__"))

    def in_voivodeship(self, code: str) -> EntryQuerySet:
        return self.filter(voivodeship=code) if code else self

    def search(self, term: str) -> EntryQuerySet:
        qs = self
        for word in fold(term).split()[:5]:
            qs = qs.filter(search_text__contains=word)
        return qs


class RegisterEntry(models.Model):
    """A club's entry in the register (wpis), with the public columns copied onto it."""

    class Basis(models.TextChoices):
        OPERATOR_NOTICE = "operator_notice", _("on the operator's notice of cessation (art. 18a ust. 5)")
        VOIVODE_FINDING = "voivode_finding", _("on the voivode's own finding (art. 18a ust. 5)")

    club = models.OneToOneField(Club, verbose_name=_("club"), on_delete=models.PROTECT, related_name="register_entry")
    voivodeship = models.CharField(_("voivodeship"), max_length=2, choices=Voivodeship.choices)
    number = models.CharField(_("entry number"), max_length=60)
    entered_on = models.DateField(_("date of entry"))
    notification = models.ForeignKey(
        Notification, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    ceased_on = models.DateField(_("activity ceased on"), null=True, blank=True)
    struck_off_on = models.DateField(_("date of strike-off"), null=True, blank=True)
    strike_off_basis = models.CharField(_("basis of strike-off"), max_length=16, choices=Basis.choices, blank=True)
    strike_off_reason = models.CharField(_("reason of strike-off"), max_length=500, blank=True)
    imported = models.BooleanField(_("imported from an earlier register"), default=False)
    # The register's full record of the club (the 2012 form fields), not all of it public.
    data = models.JSONField(default=dict, blank=True)
    # Public columns (domain.md §3.4), copied when the entry is made or changed.
    club_name = models.CharField(_("name of the club"), max_length=250)
    club_address = models.CharField(_("address of the club"), max_length=300)
    club_city = models.CharField(_("town"), max_length=100)
    operator_name = models.CharField(_("operator"), max_length=250)
    operator_address = models.CharField(_("address of the operator"), max_length=300)
    name_sort = models.CharField(max_length=255, editable=False, db_index=True)
    search_text = models.CharField(max_length=800, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[EntryQuerySet] = EntryQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("register entry")
        verbose_name_plural = _("register entries")
        ordering = ["name_sort", "pk"]
        indexes = [models.Index(fields=["voivodeship", "name_sort"])]
        constraints = [
            models.UniqueConstraint(fields=["voivodeship", "number"], name="entry_number_unique_in_voivodeship"),
            models.CheckConstraint(
                name="entry_struck_off_after_entry",
                condition=Q(struck_off_on__isnull=True) | Q(struck_off_on__gte=F("entered_on")),
            ),
            models.CheckConstraint(
                name="entry_strike_off_has_basis",
                condition=(Q(struck_off_on__isnull=True) & Q(strike_off_basis=""))
                | (Q(struck_off_on__isnull=False) & ~Q(strike_off_basis="")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.club_name}"

    def get_absolute_url(self) -> str:
        return reverse("registry:entry", args=[self.pk])

    def audit_scope(self) -> Scope:
        return Scope(club_id=self.club_id, operator_id=self.club.operator_id, voivodeship=self.voivodeship)

    @property
    def is_struck_off(self) -> bool:
        return self.struck_off_on is not None

    def set_public_columns(self, data: dict[str, Any]) -> None:
        """Copy the public columns from a notification's (or an import row's) data."""
        self.club_name = data["club_name"]
        self.club_city = data["club_city"]
        self.club_address = address(data["club_street"], data["club_postal_code"], data["club_city"])
        self.operator_name = data["operator_name"]
        self.operator_address = address(data["operator_street"], data["operator_postal_code"], data["operator_city"])
        self.refresh_derived()

    def refresh_derived(self) -> None:
        self.name_sort = polish_sort_key(self.club_name)
        self.search_text = fold(
            " ".join([self.club_name, self.club_address, self.operator_name, self.operator_address, self.number])
        )[:800]


class RegisterEvent(models.Model):
    """One step in a club's register history: who did what, when, on which legal date."""

    class Kind(models.TextChoices):
        NOTIFIED = "notified", _("notification received")
        CORRECTIONS = "corrections", _("corrections requested")
        RESUBMITTED = "resubmitted", _("corrected notification received")
        ENTERED = "entered", _("entered in the register")
        CHANGE_NOTIFIED = "change_notified", _("change of data notified")
        CHANGED = "changed", _("change recorded")
        CESSATION_NOTIFIED = "cessation_notified", _("cessation notified")
        STRUCK_OFF = "struck_off", _("struck off the register")
        IMPORTED = "imported", _("imported from an earlier register")

    club = models.ForeignKey(Club, on_delete=models.PROTECT, related_name="register_events")
    entry = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    notification = models.ForeignKey(
        Notification, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    on = models.DateField(_("date"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    by_label = models.CharField(max_length=200, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    # For changes: field → [old, new]; otherwise small facts (number, basis…).
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("register event")
        verbose_name_plural = _("register events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%d.%m.%Y}"

    def change_rows(self) -> list[tuple[str, Any, Any]]:
        from kis.registry.forms import FIELD_LABELS

        changes = self.details.get("changes", {})
        return [(str(FIELD_LABELS.get(name, name)), old, new) for name, (old, new) in changes.items()]


# --------------------------------------------------------------------------- imports


def _import_upload_to(instance: ImportBatch, filename: str) -> str:
    return f"registry-imports/{secrets.token_hex(16)}"


class ImportBatch(models.Model):
    """An uploaded register list, kept between the dry run and the confirmation."""

    class State(models.TextChoices):
        CHECKED = "checked", _("checked")
        IMPORTED = "imported", _("imported")

    voivodeship = models.CharField(_("voivodeship"), max_length=2, choices=Voivodeship.choices)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    file = models.FileField(upload_to=_import_upload_to, storage=encrypted_storage)
    original_name = models.CharField(max_length=200)
    state = models.CharField(max_length=10, choices=State.choices, default=State.CHECKED)
    rows = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")

    def __str__(self) -> str:
        return self.original_name

    def audit_scope(self) -> Scope:
        return Scope(voivodeship=self.voivodeship)
