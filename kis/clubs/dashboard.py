"""What each persona sees first: the day's work for the scopes of their grants."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q

from kis.accounts.models import Role
from kis.accounts.policy import CLUB_CAPABILITIES, Access, Can
from kis.audit.models import AuditEvent
from kis.clubs.models import Club, Operator
from kis.lib.teryt import Voivodeship


@dataclass
class VoivodeshipSummary:
    code: str
    name: str
    clubs: int
    active: int


@dataclass
class ClubCard:
    club: Club
    roles: set[str]

    @property
    def can_open(self) -> bool:
        return bool(self.roles & CLUB_CAPABILITIES[Can.VIEW_CLUB])


@dataclass
class Dashboard:
    clubs: list[ClubCard] = field(default_factory=list)
    operators: list[Operator] = field(default_factory=list)
    region_clubs: list[Club] = field(default_factory=list)
    national: list[VoivodeshipSummary] = field(default_factory=list)
    recent_denials: int | None = None


def build_dashboard(access: Access) -> Dashboard:
    board = Dashboard()
    own_roles = frozenset({Role.LEADER, Role.STAFF, Role.DESK, Role.PARTNER})
    if access.has_role(*own_roles):
        clubs = (
            Club.objects.visible_to(access, roles=own_roles)
            .select_related("operator", "gmina")
            .annotate(
                staff_count=Count("grants", filter=Q(grants__revoked_at__isnull=True), distinct=True),
                # Participants build on clubs: counted through the reverse relation, not imported.
                active_count=Count("participants", filter=Q(participants__status="active"), distinct=True),
                candidate_count=Count("participants", filter=Q(participants__status="candidate"), distinct=True),
            )
        )
        board.clubs = [ClubCard(club, access.roles_in_club(club) & own_roles) for club in clubs]
    if access.has_role(Role.OPERATOR, Role.DPO):
        board.operators = list(
            Operator.objects.filter(pk__in=sorted(access.operator_ids()))
            .prefetch_related("clubs")
            .annotate(club_count=Count("clubs"))
        )
    if access.has_role(Role.VOIVODE):
        board.region_clubs = list(
            Club.objects.visible_to(access, roles=frozenset({Role.VOIVODE})).select_related("operator", "gmina")
        )
    if access.has_role(Role.ANALYST):
        counts: dict[str, dict[str, int]] = {
            row["voivodeship"]: {"clubs": row["clubs"], "active": row["active"]}
            for row in Club.objects.values("voivodeship").annotate(
                clubs=Count("pk"), active=Count("pk", filter=Q(status=Club.Status.ACTIVE))
            )
        }
        board.national = [
            VoivodeshipSummary(
                code, str(name), counts.get(code, {}).get("clubs", 0), counts.get(code, {}).get("active", 0)
            )
            for code, name in Voivodeship.choices
        ]
    if access.has_role(Role.DPO):
        operator_ids = access.operator_ids(Role.DPO)
        club_ids = set(Club.objects.filter(operator_id__in=operator_ids).values_list("pk", flat=True))
        board.recent_denials = (
            AuditEvent.objects.in_scopes(club_ids=club_ids, operator_ids=operator_ids)
            .filter(action="access.denied")
            .count()
        )
    return board
