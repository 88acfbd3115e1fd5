from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from kis import audit
from kis.audit.scope import Scope
from kis.lib.teryt import Voivodeship


class UserManager(BaseUserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username or "")

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save()
        return user


class User(AbstractBaseUser):
    """A person who logs in. What they may do comes only from their grants."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Bumped to end every session of the user at once (removal, lockout).
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    # Django and allauth ask these of every user model.
    is_staff = False
    is_superuser = False

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return False

    def has_module_perms(self, app_label: str) -> bool:
        return False

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def get_session_auth_hash(self) -> str:
        """Django logs out any session whose stored hash differs: include the epoch."""
        return salted_hmac(
            "kis.accounts.User.get_session_auth_hash",
            f"{self.password}:{self.session_epoch}",
            algorithm="sha256",
        ).hexdigest()

    def audit_scope(self) -> Scope:
        """Where the user works, so that their login events reach that scope's audit viewers."""
        grant = self.grants.active().select_related("club").order_by("pk").first()
        return grant.audit_scope() if grant is not None else Scope()

    def end_sessions(self, *, by: Any, reason: str) -> None:
        User.objects.filter(pk=self.pk).update(session_epoch=F("session_epoch") + 1)
        self.refresh_from_db(fields=["session_epoch"])
        audit.record(by, "auth.sessions_ended", self, reason=reason)


class Role(models.TextChoices):
    LEADER = "leader", _("club leader")
    STAFF = "staff", _("club staff")
    DESK = "desk", _("front desk")
    OPERATOR = "operator", _("operator admin")
    PARTNER = "partner", _("OPS social worker")
    VOIVODE = "voivode", _("voivode officer")
    ANALYST = "analyst", _("ministry analyst")
    DPO = "dpo", _("data protection officer")


CLUB_ROLES = frozenset({Role.LEADER, Role.STAFF, Role.DESK, Role.PARTNER})
OPERATOR_ROLES = frozenset({Role.OPERATOR, Role.DPO})
VOIVODESHIP_ROLES = frozenset({Role.VOIVODE})
COUNTRY_ROLES = frozenset({Role.ANALYST})
# Roles a staff-management screen can hand out, by who is handing them out.
GRANTABLE_BY = {
    Role.LEADER: frozenset({Role.STAFF, Role.DESK, Role.PARTNER}),
    Role.OPERATOR: frozenset({Role.LEADER, Role.STAFF, Role.DESK, Role.PARTNER}),
}


class StaffTitle(models.TextChoices):
    SOCIAL_WORKER = "social_worker", _("social worker")
    INSTRUCTOR = "instructor", _("instructor")
    CAREER_COUNSELLOR = "career_counsellor", _("career counsellor")
    PSYCHOLOGIST = "psychologist", _("psychologist")
    LEGAL_ADVISER = "legal_adviser", _("legal adviser")
    OTHER = "other", _("other")


class GrantQuerySet(models.QuerySet["Grant"]):
    def active(self) -> GrantQuerySet:
        return self.filter(revoked_at__isnull=True)


class Grant(models.Model):
    """``(user, role, scope)``: the only source of what a user may see and do."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    title = models.CharField(_("position"), max_length=32, choices=StaffTitle.choices, blank=True)
    club = models.ForeignKey(
        "clubs.Club", verbose_name=_("club"), null=True, blank=True, on_delete=models.PROTECT, related_name="grants"
    )
    operator = models.ForeignKey(
        "clubs.Operator",
        verbose_name=_("operator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grants",
    )
    voivodeship = models.CharField(_("voivodeship"), max_length=2, choices=Voivodeship.choices, blank=True)
    created_at = models.DateTimeField(_("granted at"), default=timezone.now)
    created_by = models.ForeignKey(
        User, verbose_name=_("granted by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, verbose_name=_("revoked by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects: ClassVar[GrantQuerySet] = GrantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        constraints = [
            models.CheckConstraint(
                name="grant_scope_matches_role",
                condition=(
                    Q(role__in=sorted(CLUB_ROLES), club__isnull=False, operator__isnull=True, voivodeship="")
                    | Q(role__in=sorted(OPERATOR_ROLES), club__isnull=True, operator__isnull=False, voivodeship="")
                    | Q(role__in=sorted(VOIVODESHIP_ROLES), club__isnull=True, operator__isnull=True)
                    & ~Q(voivodeship="")
                    | Q(role__in=sorted(COUNTRY_ROLES), club__isnull=True, operator__isnull=True, voivodeship="")
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "club"],
                condition=Q(revoked_at__isnull=True, club__isnull=False),
                name="grant_unique_active_club",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "operator"],
                condition=Q(revoked_at__isnull=True, operator__isnull=False),
                name="grant_unique_active_operator",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "voivodeship"],
                condition=Q(revoked_at__isnull=True, club__isnull=True, operator__isnull=True),
                name="grant_unique_active_region",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.scope_label})"

    @property
    def scope_label(self) -> str:
        if self.club_id:
            return str(self.club)
        if self.operator_id:
            return str(self.operator)
        if self.voivodeship:
            return f"woj. {self.get_voivodeship_display()}"
        return str(_("whole country"))

    def audit_scope(self) -> Scope:
        if self.club is not None:
            return self.club.audit_scope()
        if self.operator_id:
            return Scope(operator_id=self.operator_id)
        return Scope(voivodeship=self.voivodeship)

    @transaction.atomic
    def revoke(self, *, by: User) -> None:
        """End the grant now and end the user's sessions, so the change bites at once."""
        self.revoked_at, self.revoked_by = timezone.now(), by
        self.save(update_fields=["revoked_at", "revoked_by"])
        audit.record(by, "grant.revoked", self, role=self.role, user_id=self.user_id)
        self.user.end_sessions(by=by, reason="grant revoked")
