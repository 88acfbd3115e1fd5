"""The figures of a club's annual report, computed from the daily records (art. 18a ust. 6 u.z.s.).

One call reads a fixed number of queries whatever the number of participants, sessions or
staff: the rows of the year are read once and counted in Python. The groups of art. 1 ust. 2
are encrypted per person; they are decrypted here, for one club, and only counts leave this
module (docs/privacy.md, "Counting by group without decrypting in the database").

Every figure has a key (``p.total.T``, ``g.all.alcohol_addiction.n``, ``cas7.psychological.F``…).
``Figures.values`` maps keys to numbers: the snapshot and the rollup store those. For the club's
own staff, ``Figures.records`` maps the same keys to the ids of the records counted (drill-down);
they never leave the club.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from kis.activities.models import ActivityType, Appointment, Attendance, HoursEntry, Placement, Session
from kis.clubs.models import Club, StaffMember
from kis.contracts.models import PlanGoal
from kis.participants.models import FollowUp, Participant, TargetGroup
from kis.reports.models import CompletionForm, FundingKind, ParticipantGroup, ServiceCategory

SEXES = ("F", "M")
# The art. 1 ust. 2 tallies: the statutory groups, then those who refused to answer and those without data.
REFUSED, UNSTATED, UNMAPPED, ANY = "_refused", "_unstated", "_unmapped", "_any"
# Leaving for work, a CIS or a social cooperative is a vocational reintegration effect in itself.
VOCATIONAL_EXITS = frozenset(
    {
        Participant.ExitReason.EMPLOYED,
        Participant.ExitReason.TO_CIS,
        Participant.ExitReason.TO_SOCIAL_COOPERATIVE,
    }
)
# Placements and individual consultations are counted under the activity type they belong to.
PLACEMENT_TYPES = {
    Placement.Kind.PSU: ActivityType.PSU,
    Placement.Kind.PUBLIC_WORKS: ActivityType.PUBLIC_WORKS,
    Placement.Kind.TRAINEESHIP: ActivityType.TRAINEESHIP,
    Placement.Kind.TEMPORARY_JOB: ActivityType.JOB_SEARCH_SUPPORT,
}
APPOINTMENT_TYPES = {
    Appointment.Kind.LEGAL: ActivityType.LEGAL_COUNSELLING,
    Appointment.Kind.PSYCHOLOGIST: ActivityType.PSYCHOLOGICAL_SUPPORT,
    Appointment.Kind.CAREER: ActivityType.CAREER_COUNSELLING,
    Appointment.Kind.SOCIAL_WORKER: ActivityType.SELF_HELP,
}
ACTIVITY_COLUMNS = ("sessions", "hours", "people", "attend", "phours", "consult", "placements")


@dataclass
class CodeLists:
    """The CAS 01 code lists as they are now (4 queries)."""

    funding: list[tuple[str, str]]
    groups: list[tuple[str, str, list[str]]]
    forms: list[tuple[str, str, list[str], list[str]]]
    social: list[tuple[str, str, list[str]]]
    vocational: list[tuple[str, str, list[str]]]

    @classmethod
    def load(cls) -> CodeLists:
        categories = list(
            ServiceCategory.objects.filter(is_active=True).values_list("kind", "code", "label", "activity_types")
        )
        return cls(
            funding=list(FundingKind.objects.filter(is_active=True).values_list("code", "label")),
            groups=[
                (code, label, list(groups or []))
                for code, label, groups in ParticipantGroup.objects.filter(is_active=True).values_list(
                    "code", "label", "target_groups"
                )
            ],
            forms=[
                (code, label, list(reasons or []), list(kinds or []))
                for code, label, reasons, kinds in CompletionForm.objects.filter(is_active=True).values_list(
                    "code", "label", "exit_reasons", "employment_kinds"
                )
            ],
            social=[(c, lb, list(t or [])) for k, c, lb, t in categories if k == ServiceCategory.Kind.SOCIAL],
            vocational=[(c, lb, list(t or [])) for k, c, lb, t in categories if k == ServiceCategory.Kind.VOCATIONAL],
        )

    def completion_form(self, reason: str, kind: str) -> str | None:
        for code, _label, reasons, kinds in self.forms:
            if reason in reasons and (not kinds or kind in kinds):
                return code
        return None

    def group_of(self, target_group: str) -> str:
        for code, _label, groups in self.groups:
            if target_group in groups:
                return code
        return UNMAPPED


@dataclass
class Figures:
    club: Club
    year: int
    values: dict[str, int | Decimal] = field(default_factory=dict)
    # key → ("participants" | "sessions" | "staff", ids)
    records: dict[str, tuple[str, set[int]]] = field(default_factory=dict)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)

    def people(self, key: str, ids: Iterable[int], sexes: dict[int, str] | None = None) -> None:
        """A count of people, split by sex when ``sexes`` is given (keys ``key.T``, ``key.F``, ``key.M``)."""
        ids = set(ids)
        if sexes is None:
            self.values[key] = len(ids)
            self.records[key] = ("participants", ids)
            return
        self.values[f"{key}.T"] = len(ids)
        self.records[f"{key}.T"] = ("participants", ids)
        for sex in SEXES:
            part = {pk for pk in ids if sexes.get(pk) == sex}
            self.values[f"{key}.{sex}"] = len(part)
            self.records[f"{key}.{sex}"] = ("participants", part)


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def compute(club: Club, year: int, *, codes: CodeLists | None = None) -> Figures:
    """All figures of ``club``'s report for ``year``, as the records stand now."""
    codes = codes or CodeLists.load()
    first, last = year_bounds(year)
    start, end = _aware(first), _aware(last + timedelta(days=1))
    figures = Figures(club=club, year=year)
    figures.labels = labels_of(codes)

    # --- participants active in the year (1 query; groups decrypted here, for this club only)
    rows = list(
        Participant.objects.filter(club=club, joined_on__isnull=False, joined_on__lte=last)
        .exclude(left_on__lt=first)
        .values_list("pk", "sex", "joined_on", "left_on", "exit_reason", "employment_kind", "groups", "groups_refused")
    )
    sex = {pk: s for pk, s, *_rest in rows}
    active = set(sex)
    started = {pk for pk, _s, joined, *_rest in rows if joined is not None and joined >= first}
    left = {pk for pk, _s, _j, left_on, *_rest in rows if left_on is not None and left_on <= last}
    exits = {pk: (reason, kind) for pk, _s, _j, _l, reason, kind, *_rest in rows if pk in left}
    forms = {pk: codes.completion_form(reason, kind) for pk, (reason, kind) in exits.items()}
    completed = {pk for pk, form in forms.items() if form is not None}

    # --- effects (2 queries): plan goals achieved in the year, exits to work, follow-ups showing work
    achieved: dict[str, set[int]] = {PlanGoal.Kind.SOCIAL: set(), PlanGoal.Kind.VOCATIONAL: set()}
    goals = (
        PlanGoal.objects.filter(plan__participant__club=club)
        .values("plan__participant_id", "kind", "pk")
        .annotate(
            steps_total=Count("steps"),
            steps_open=Count("steps", filter=Q(steps__done_on__isnull=True)),
            last_done=Max("steps__done_on"),
        )
        .filter(steps_total__gt=0, steps_open=0, last_done__gte=first, last_done__lte=last)
    )
    for goal in goals:
        if goal["plan__participant_id"] in active and goal["kind"] in achieved:
            achieved[goal["kind"]].add(goal["plan__participant_id"])
    social = achieved[PlanGoal.Kind.SOCIAL]
    vocational = achieved[PlanGoal.Kind.VOCATIONAL] | {
        pk for pk, (reason, _k) in exits.items() if reason in VOCATIONAL_EXITS
    }
    followed_to_work = set(
        FollowUp.objects.filter(
            participant__club=club,
            participant__left_on__gte=first,
            participant__left_on__lte=last,
            outcome=FollowUp.Outcome.EMPLOYED,
        ).values_list("participant_id", flat=True)
    )
    employed = {pk for pk in completed if exits[pk][0] == Participant.ExitReason.EMPLOYED or pk in followed_to_work}
    effects = social | vocational

    figures.people("p.total", active, sex)
    figures.people("p.started", started, sex)
    figures.people("p.left", left, sex)
    figures.people("p.completed", completed, sex)
    figures.people("eff.social", social, sex)
    figures.people("eff.vocational", vocational, sex)
    figures.people("eff.any", effects, sex)
    figures.people("eff.employed", employed, sex)

    # --- groups of art. 1 ust. 2: every group of a person, and the first listed (primary) group
    all_groups: dict[str, set[int]] = defaultdict(set)
    primary: dict[str, set[int]] = defaultdict(set)
    cas_group: dict[str, set[int]] = defaultdict(set)
    for pk, _s, _j, _l, _r, _k, groups, refused in rows:
        listed = [g for g in (groups or []) if isinstance(g, str)]
        if refused:
            all_groups[REFUSED].add(pk)
            primary[REFUSED].add(pk)
        elif not listed:
            all_groups[UNSTATED].add(pk)
            primary[UNSTATED].add(pk)
        else:
            for group in dict.fromkeys(listed):
                all_groups[group].add(pk)
            primary[listed[0]].add(pk)
        if pk in started:
            cas_group[codes.group_of(listed[0]) if listed and not refused else UNSTATED].add(pk)
    for code in [*TargetGroup.values, REFUSED, UNSTATED]:
        for tally, members in (("all", all_groups[code]), ("pri", primary[code])):
            figures.people(f"g.{tally}.{code}.n", members)
            figures.people(f"g.{tally}.{code}.eff", members & effects)
            figures.people(f"g.{tally}.{code}.emp", members & employed)

    # --- activities (5 queries): sessions, attendance, placements, hours, individual consultations
    type_people: dict[str, set[int]] = defaultdict(set)
    type_values: dict[str, dict[str, Any]] = defaultdict(lambda: dict.fromkeys(ACTIVITY_COLUMNS, 0))
    type_sessions: dict[str, set[int]] = defaultdict(set)
    sessions = Session.objects.filter(
        activity__club=club, cancelled=False, starts_at__gte=start, starts_at__lt=end
    ).values_list("pk", "activity__type", "starts_at", "ends_at")
    for pk, kind, starts_at, ends_at in sessions:
        type_sessions[kind].add(pk)
        type_values[kind]["sessions"] += 1
        type_values[kind]["hours"] += Decimal((ends_at - starts_at).total_seconds()) / Decimal(3600)
    attendance = (
        Attendance.objects.filter(
            session__activity__club=club,
            session__cancelled=False,
            session__starts_at__gte=start,
            session__starts_at__lt=end,
            status=Attendance.Status.PRESENT,
        )
        .values("participant_id", "session__activity__type")
        .annotate(times=Count("pk"), hours=Sum("hours"))
        .order_by()
    )
    for row in attendance:
        kind, person = row["session__activity__type"], row["participant_id"]
        type_values[kind]["attend"] += row["times"]
        type_values[kind]["phours"] += row["hours"] or 0
        if person in active:
            type_people[kind].add(person)
    placements = Placement.objects.filter(participant__club=club, starts_on__lte=last, ends_on__gte=first).values_list(
        "participant_id", "kind"
    )
    for person, placement_kind in placements:
        activity_type = PLACEMENT_TYPES[Placement.Kind(placement_kind)]
        type_values[activity_type]["placements"] += 1
        if person in active:
            type_people[activity_type].add(person)
    hours = (
        HoursEntry.objects.filter(placement__participant__club=club, day__gte=first, day__lte=last)
        .values("placement__kind")
        .annotate(total=Sum("hours"))
        .order_by()
    )
    for hours_row in hours:
        type_values[PLACEMENT_TYPES[Placement.Kind(hours_row["placement__kind"])]]["phours"] += hours_row["total"] or 0
    consultations = (
        Appointment.objects.filter(club=club, attended=True, starts_at__gte=start, starts_at__lt=end)
        .values("participant_id", "kind")
        .annotate(times=Count("pk"))
        .order_by()
    )
    for consultation in consultations:
        activity_type = APPOINTMENT_TYPES[Appointment.Kind(consultation["kind"])]
        type_values[activity_type]["consult"] += consultation["times"]
        if consultation["participant_id"] in active:
            type_people[activity_type].add(consultation["participant_id"])
    for kind in ActivityType.values:
        numbers = type_values[kind]
        for column in ACTIVITY_COLUMNS:
            if column == "people":
                figures.people(f"act.{kind}.people", type_people[kind])
            elif column in ("hours", "phours"):
                figures.values[f"act.{kind}.{column}"] = Decimal(numbers[column]).quantize(Decimal("0.01"))
            else:
                figures.values[f"act.{kind}.{column}"] = numbers[column]
        figures.records[f"act.{kind}.sessions"] = ("sessions", type_sessions[kind])

    # --- staff (1 query)
    staff = list(
        StaffMember.objects.filter(club=club).working_between(first, last).values_list("pk", "sex", "basis", "fte")
    )
    for basis in StaffMember.Basis.values:
        on_basis = [(pk, fte) for pk, _sex, b, fte in staff if b == basis]
        figures.values[f"staff.{basis}.n"] = len(on_basis)
        figures.values[f"staff.{basis}.fte"] = sum((fte for _pk, fte in on_basis), Decimal(0))
        figures.records[f"staff.{basis}.n"] = ("staff", {pk for pk, _fte in on_basis})
    employees = [(pk, fte) for pk, _sex, basis, fte in staff if basis != StaffMember.Basis.VOLUNTEER]
    volunteers = [(pk, s) for pk, s, basis, _fte in staff if basis == StaffMember.Basis.VOLUNTEER]
    figures.values["staff.total.n"] = len(staff)
    figures.values["staff.total.fte"] = sum((fte for *_rest, fte in staff), Decimal(0))
    figures.records["staff.total.n"] = ("staff", {pk for pk, *_rest in staff})
    figures.values["staff.employed.n"] = len(employees)
    figures.records["staff.employed.n"] = ("staff", {pk for pk, _fte in employees})
    figures.values["staff.volunteers.T"] = len(volunteers)
    figures.records["staff.volunteers.T"] = ("staff", {pk for pk, _s in volunteers})
    for s in SEXES:
        figures.values[f"staff.volunteers.{s}"] = sum(1 for _pk, v in volunteers if v == s)
        figures.records[f"staff.volunteers.{s}"] = ("staff", {pk for pk, v in volunteers if v == s})

    # --- CAS 01 variables 4, 6, 7 and 8
    for code in [*(c for c, _l, _g in codes.groups), UNSTATED, UNMAPPED]:
        figures.people(f"cas4.{code}", cas_group[code], sex)
    for code in [c for c, *_rest in codes.forms]:
        figures.people(f"cas6.{code}", {pk for pk, form in forms.items() if form == code}, sex)
    for variable, categories in (("cas7", codes.social), ("cas8", codes.vocational)):
        covered: set[int] = set()
        for code, _label, types in categories:
            members = set().union(*(type_people[t] for t in types)) if types else set()
            covered |= members
            figures.people(f"{variable}.{code}", members, sex)
        figures.people(f"{variable}.{ANY}", covered, sex)
    return figures


def labels_of(codes: CodeLists) -> dict[str, dict[str, str]]:
    """Labels of every code the figures use, frozen into the snapshot with them."""
    return {
        "target_group": {code: str(label) for code, label in TargetGroup.choices},
        "activity": {code: str(label) for code, label in ActivityType.choices},
        "basis": {code: str(label) for code, label in StaffMember.Basis.choices},
        "funding": dict(codes.funding),
        "group": {code: label for code, label, _g in codes.groups},
        "form": {code: label for code, label, *_rest in codes.forms},
        "social": {code: label for code, label, _t in codes.social},
        "vocational": {code: label for code, label, _t in codes.vocational},
    }
