from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kis.accounts.policy import CLUB_CAPABILITIES, Access, Can
from kis.audit.scope import Scope
from kis.lib.teryt import Voivodeship
from kis.lib.text import fold, polish_sort_key


class TerritoryQuerySet(models.QuerySet["Territory"]):
    def gminas(self) -> TerritoryQuerySet:
        return self.filter(level=Territory.Level.GMINA, is_current=True)

    def search(self, term: str) -> TerritoryQuerySet:
        words = fold(term).split()
        qs = self
        for word in words[:4]:
            qs = qs.filter(search_text__contains=word)
        return qs


class Territory(models.Model):
    """A unit of the GUS TERC register: voivodeship, powiat or gmina (and its parts)."""

    class Level(models.TextChoices):
        VOIVODESHIP = "voivodeship", _("voivodeship")
        POWIAT = "powiat", _("powiat")
        GMINA = "gmina", _("gmina")
        PART = "part", _("part of a gmina")

    code = models.CharField(_("TERYT code"), max_length=7, primary_key=True)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=60)
    voivodeship = models.CharField(_("voivodeship"), max_length=2, choices=Voivodeship.choices)
    powiat_name = models.CharField(_("powiat"), max_length=100, blank=True)
    search_text = models.CharField(max_length=300, editable=False)
    valid_on = models.DateField(_("register state on"))
    is_current = models.BooleanField(_("in the current register"), default=True)

    objects: ClassVar[TerritoryQuerySet] = TerritoryQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("territorial unit")
        verbose_name_plural = _("territorial units")
        indexes = [models.Index(fields=["level", "voivodeship"])]

    def __str__(self) -> str:
        if self.level == self.Level.GMINA:
            return f"{self.name} ({self.kind}, pow. {self.powiat_name}, woj. {self.get_voivodeship_display()})"
        return f"{self.name} ({self.kind})"


class Address(models.Model):
    """Postal address with its TERYT gmina; mixed into operators and clubs."""

    street = models.CharField(_("street and number"), max_length=150)
    postal_code = models.CharField(_("postal code"), max_length=6)
    city = models.CharField(_("town"), max_length=100)
    gmina = models.ForeignKey(
        Territory,
        verbose_name=_("gmina (TERYT)"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Territory.Level.GMINA},
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        abstract = True

    @property
    def address_line(self) -> str:
        return f"{self.street}, {self.postal_code} {self.city}"


class NamedPlace(Address):
    """An operator or a club: a name sorted the Polish way and the voivodeship of its gmina."""

    name = models.CharField(_("name"), max_length=250)
    voivodeship = models.CharField(_("voivodeship"), max_length=2, choices=Voivodeship.choices, editable=False)
    name_sort = models.CharField(max_length=255, editable=False, db_index=True)
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Derived columns only: the Polish sort key, and the voivodeship that registers a club
        # (for an operator, the voivodeship of its seat).
        self.name_sort = polish_sort_key(self.name)
        self.voivodeship = self.gmina_id[:2] if self.gmina_id else ""
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_sort", "voivodeship"}
        super().save(*args, **kwargs)


class OperatorQuerySet(models.QuerySet["Operator"]):
    def visible_to(self, access: Access) -> OperatorQuerySet:
        """Operators the user works for, and those running a club whose page the user may open."""
        reachable = Club.objects.visible_to(access, roles=CLUB_CAPABILITIES[Can.VIEW_CLUB]).values("operator_id")
        return self.filter(Q(pk__in=sorted(access.operator_ids())) | Q(pk__in=reachable))


class Operator(NamedPlace):
    """The organisation that runs clubs (podmiot prowadzący), art. 18 ust. 1 u.z.s."""

    class Type(models.TextChoices):
        GMINA = "gmina", _("gmina")
        OPS = "ops", _("social assistance centre (OPS/CUS)")
        NGO = "ngo", _("non-governmental organisation")
        CHURCH = "church", _("church legal person")
        SOCIAL_COOPERATIVE = "social_cooperative", _("social cooperative")

    # Legal forms entered in the National Court Register.
    KRS_TYPES = frozenset({Type.NGO, Type.SOCIAL_COOPERATIVE})

    type = models.CharField(_("type"), max_length=24, choices=Type.choices)
    nip = models.CharField(_("NIP"), max_length=10, unique=True)
    regon = models.CharField(_("REGON"), max_length=14, blank=True)
    krs = models.CharField(_("KRS number"), max_length=10, blank=True)
    website = models.URLField(_("website"), blank=True)
    contact_person = models.CharField(_("contact person"), max_length=150, blank=True)

    objects: ClassVar[OperatorQuerySet] = OperatorQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("operator")
        verbose_name_plural = _("operators")
        ordering = ["name_sort"]
        constraints = [
            models.CheckConstraint(
                name="operator_krs_only_where_it_applies",
                condition=Q(krs="") | Q(type__in=["ngo", "social_cooperative", "church"]),
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("clubs:operator_detail", args=[self.pk])

    def audit_scope(self) -> Scope:
        return Scope(operator_id=self.pk, voivodeship=self.voivodeship)


class ClubQuerySet(models.QuerySet["Club"]):
    def visible_to(self, access: Access, *, roles: frozenset[str] | None = None) -> ClubQuerySet:
        return self.filter(access.club_q(roles=roles))


class Club(NamedPlace):
    """A social integration club (klub integracji społecznej)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("awaiting register entry")
        ACTIVE = "active", _("active")
        SUSPENDED = "suspended", _("suspended")
        CLOSED = "closed", _("closed")

    operator = models.ForeignKey(Operator, verbose_name=_("operator"), on_delete=models.PROTECT, related_name="clubs")
    manager_name = models.CharField(_("person managing the club"), max_length=150)
    manager_title = models.CharField(_("their title"), max_length=100, help_text=_("e.g. club leader, coordinator"))
    created_on = models.DateField(_("date created"))
    started_on = models.DateField(_("activity started on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)

    objects: ClassVar[ClubQuerySet] = ClubQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("club")
        verbose_name_plural = _("clubs")
        ordering = ["name_sort"]
        constraints = [
            models.CheckConstraint(
                name="club_starts_after_creation",
                condition=Q(started_on__isnull=True) | Q(started_on__gte=F("created_on")),
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("clubs:detail", args=[self.pk])

    def audit_scope(self) -> Scope:
        return Scope(club_id=self.pk, operator_id=self.operator_id, voivodeship=self.voivodeship)


class Room(models.Model):
    club = models.ForeignKey(Club, verbose_name=_("club"), on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("name"), max_length=100)
    capacity = models.PositiveSmallIntegerField(_("places"), null=True, blank=True)
    step_free = models.BooleanField(_("step-free access"), default=False)
    notes = models.CharField(_("notes"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["club", "name"], name="room_name_unique_in_club")]

    def __str__(self) -> str:
        return self.name

    def audit_scope(self) -> Scope:
        return self.club.audit_scope()


class ComputerStation(models.Model):
    club = models.ForeignKey(Club, verbose_name=_("club"), on_delete=models.CASCADE, related_name="stations")
    label = models.CharField(_("label"), max_length=50)
    room = models.ForeignKey(
        Room, verbose_name=_("room"), null=True, blank=True, on_delete=models.SET_NULL, related_name="stations"
    )
    is_active = models.BooleanField(_("in use"), default=True)
    notes = models.CharField(_("notes"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("computer station")
        verbose_name_plural = _("computer stations")
        ordering = ["label"]
        constraints = [models.UniqueConstraint(fields=["club", "label"], name="station_label_unique_in_club")]

    def __str__(self) -> str:
        return self.label

    def audit_scope(self) -> Scope:
        return self.club.audit_scope()


class StaffMemberQuerySet(models.QuerySet["StaffMember"]):
    def working_between(self, first: date, last: date) -> StaffMemberQuerySet:
        """People on the club's staff on at least one day of ``first``–``last``."""
        return self.filter(started_on__lte=last).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))


class StaffMember(models.Model):
    """A person on the club's staff (kadra), for the annual report (art. 18a ust. 6 pkt 1 u.z.s.).

    Not an account: volunteers and contractors often have none. ``user`` links one when it exists.
    The statute names "basis of employment" without a closed list: the choices are [U].
    """

    class Basis(models.TextChoices):
        EMPLOYMENT = "employment", _("employment contract")
        CIVIL = "civil", _("civil-law contract")
        VOLUNTEER = "volunteer", _("volunteer agreement")
        SECONDMENT = "secondment", _("secondment by the operator")
        OTHER = "other", _("other basis")

    class Sex(models.TextChoices):
        FEMALE = "F", _("woman")
        MALE = "M", _("man")

    club = models.ForeignKey(Club, verbose_name=_("club"), on_delete=models.CASCADE, related_name="staff_members")
    full_name = models.CharField(_("first name and last name"), max_length=150)
    name_sort = models.CharField(max_length=255, editable=False, db_index=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    position = models.CharField(_("position"), max_length=100, help_text=_("e.g. social worker, instructor"))
    basis = models.CharField(_("basis of employment"), max_length=12, choices=Basis.choices)
    fte = models.DecimalField(
        _("working time (FTE)"),
        max_digits=3,
        decimal_places=2,
        help_text=_("Fraction of a full-time job, e.g. 0,5. Volunteers: 0."),
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("to"), null=True, blank=True)
    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("account in the system"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff_records",
    )
    version = models.PositiveIntegerField(default=0, editable=False)

    objects: ClassVar[StaffMemberQuerySet] = StaffMemberQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")
        ordering = ["name_sort", "pk"]
        constraints = [
            models.CheckConstraint(
                name="staff_member_ends_after_start",
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
            ),
            models.CheckConstraint(name="staff_member_fte_range", condition=Q(fte__gte=0) & Q(fte__lte=1)),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Derived column only: the Polish sort key (last name is not separate: the whole name sorts).
        self.name_sort = polish_sort_key(self.full_name)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_sort"}
        super().save(*args, **kwargs)

    def audit_scope(self) -> Scope:
        return self.club.audit_scope()
