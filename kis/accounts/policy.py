"""The access policy, in one place (architecture.md §5).

What a user may do is computed from their active grants on every request; nothing is cached
in the session, so a revoked grant bites on the next request. Objects outside every scope of
the user answer 404; objects inside a scope but beyond the user's role answer 403.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from kis.accounts.models import CLUB_ROLES, GRANTABLE_BY, OPERATOR_ROLES, Grant, Role

if TYPE_CHECKING:
    from django.http import HttpRequest

    from kis.accounts.models import User


class Can(StrEnum):
    """Capabilities on a club. Which roles hold each one is in ``CLUB_CAPABILITIES``."""

    VIEW_CLUB = "view_club"
    EDIT_CLUB = "edit_club"
    VIEW_STAFF = "view_staff"
    MANAGE_STAFF = "manage_staff"
    MANAGE_ROOMS = "manage_rooms"
    VIEW_AUDIT = "view_audit"
    VIEW_PARTICIPANT_LIST = "view_participant_list"
    VIEW_CASE = "view_case"
    VIEW_SPECIAL = "view_special"
    TAKE_ATTENDANCE = "take_attendance"
    USE_STATIONS = "use_stations"
    MANAGE_HOURS = "manage_hours"
    OVERRIDE_CAPS = "override_caps"
    MANAGE_ACTIVITIES = "manage_activities"
    PRINT_DOCUMENTS = "print_documents"
    EDIT_TEMPLATES = "edit_templates"
    NOTIFY_REGISTER = "notify_register"
    KEEP_REGISTER = "keep_register"
    VIEW_REPORT = "view_report"
    EDIT_REPORT = "edit_report"
    SUBMIT_REPORT = "submit_report"
    REVIEW_REPORT = "review_report"


CLUB_CAPABILITIES: dict[Can, frozenset[str]] = {
    Can.VIEW_CLUB: frozenset({Role.LEADER, Role.STAFF, Role.OPERATOR, Role.DPO, Role.VOIVODE}),
    Can.EDIT_CLUB: frozenset({Role.LEADER, Role.OPERATOR}),
    Can.VIEW_STAFF: frozenset({Role.LEADER, Role.STAFF, Role.OPERATOR, Role.DPO}),
    Can.MANAGE_STAFF: frozenset({Role.LEADER, Role.OPERATOR}),
    Can.MANAGE_ROOMS: frozenset({Role.LEADER, Role.OPERATOR}),
    Can.VIEW_AUDIT: frozenset({Role.LEADER, Role.DPO}),
    # Participants: the front desk sees names only; operators and voivodes see no case files.
    Can.VIEW_PARTICIPANT_LIST: frozenset({Role.LEADER, Role.STAFF, Role.DESK}),
    Can.VIEW_CASE: frozenset({Role.LEADER, Role.STAFF}),
    Can.VIEW_SPECIAL: frozenset({Role.LEADER, Role.STAFF}),
    # Activities: the front desk takes attendance and checks stations in and out, nothing more.
    Can.TAKE_ATTENDANCE: frozenset({Role.LEADER, Role.STAFF, Role.DESK}),
    Can.USE_STATIONS: frozenset({Role.LEADER, Role.STAFF, Role.DESK}),
    Can.MANAGE_HOURS: frozenset({Role.LEADER, Role.STAFF}),
    # Hours past a legal cap need the leader's word and a reason.
    Can.OVERRIDE_CAPS: frozenset({Role.LEADER}),
    # The catalogue, the schedule, appointments and calendar feeds.
    Can.MANAGE_ACTIVITIES: frozenset({Role.LEADER, Role.STAFF}),
    # Documents: the PDFs of a case; the letterhead and the text blocks of the templates.
    Can.PRINT_DOCUMENTS: frozenset({Role.LEADER, Role.STAFF}),
    Can.EDIT_TEMPLATES: frozenset({Role.LEADER}),
    # The register (art. 18a): the operator (or its club's leader) notifies, the voivode keeps it.
    Can.NOTIFY_REGISTER: frozenset({Role.LEADER, Role.OPERATOR}),
    Can.KEEP_REGISTER: frozenset({Role.VOIVODE}),
    # The annual report: staff draft, the leader checks and submits, the voivode accepts or returns.
    Can.VIEW_REPORT: frozenset({Role.LEADER, Role.STAFF, Role.OPERATOR, Role.VOIVODE}),
    Can.EDIT_REPORT: frozenset({Role.LEADER, Role.STAFF}),
    Can.SUBMIT_REPORT: frozenset({Role.LEADER}),
    Can.REVIEW_REPORT: frozenset({Role.VOIVODE}),
}

# Roles that must use a second factor when KIS_REQUIRE_MFA is on: every staff role.
MFA_ROLES = frozenset(Role.values)


@dataclass
class Access:
    """The grants of one user for one request, indexed for quick checks."""

    user_id: int | None
    grants: list[Grant] = field(default_factory=list)

    @property
    def roles(self) -> set[str]:
        return {g.role for g in self.grants}

    def has_role(self, *roles: str) -> bool:
        return any(g.role in roles for g in self.grants)

    def club_ids(self, *roles: str) -> set[int]:
        return {g.club_id for g in self.grants if g.club_id and (not roles or g.role in roles)}

    def operator_ids(self, *roles: str) -> set[int]:
        return {g.operator_id for g in self.grants if g.operator_id and (not roles or g.role in roles)}

    def voivodeships(self, *roles: str) -> set[str]:
        return {g.voivodeship for g in self.grants if g.voivodeship and (not roles or g.role in roles)}

    def club_q(self, *, prefix: str = "", roles: frozenset[str] | None = None) -> Q:
        """A filter for objects whose club is reachable by any grant (of the given roles)."""
        wanted = tuple(roles) if roles is not None else ()
        club_ids = self.club_ids(*wanted)
        operator_ids = self.operator_ids(*wanted)
        voivodeships = self.voivodeships(*wanted)
        q = Q(pk__in=[])
        if club_ids:
            q |= Q(**{f"{prefix}pk__in": sorted(club_ids)})
        if operator_ids:
            q |= Q(**{f"{prefix}operator_id__in": sorted(operator_ids)})
        if voivodeships:
            q |= Q(**{f"{prefix}voivodeship__in": sorted(voivodeships)})
        return q

    def roles_in_club(self, club: Any) -> set[str]:
        """Roles that reach ``club``: its own grants, its operator's, its voivodeship's."""
        roles = set()
        for g in self.grants:
            if (
                (g.club_id and g.club_id == club.pk)
                or (g.operator_id and g.operator_id == club.operator_id)
                or (g.voivodeship and g.voivodeship == club.voivodeship)
            ):
                roles.add(g.role)
        return roles

    def can(self, capability: Can, club: Any) -> bool:
        return bool(self.roles_in_club(club) & CLUB_CAPABILITIES[capability])

    def grantable_roles(self, club: Any) -> frozenset[str]:
        """Roles this user may hand out or take away in ``club``."""
        result: frozenset[str] = frozenset()
        for role in self.roles_in_club(club):
            result |= GRANTABLE_BY.get(Role(role), frozenset())
        return result

    @property
    def needs_mfa(self) -> bool:
        return any(g.role in MFA_ROLES for g in self.grants)


def access_for(user: User | Any) -> Access:
    if not getattr(user, "is_authenticated", False):
        return Access(user_id=None)
    grants = list(
        Grant.objects.active()
        .filter(user_id=user.pk)
        .only("id", "role", "club_id", "operator_id", "voivodeship", "title")
    )
    return Access(user_id=user.pk, grants=grants)


def access(request: HttpRequest) -> Access:
    """The request's access, computed once per request (never stored in the session)."""
    cached = getattr(request, "_kis_access", None)
    if cached is None:
        cached = access_for(request.user)
        request._kis_access = cached  # type: ignore[attr-defined]
    return cached


__all__ = ["CLUB_ROLES", "OPERATOR_ROLES", "Access", "Can", "access", "access_for"]
