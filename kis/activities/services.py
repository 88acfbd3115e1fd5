"""Workflows of activities: scheduling, attendance, hours against dated caps, settlements."""

from __future__ import annotations

import calendar
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import holidays
from django.db import transaction
from django.utils import timezone

from kis import audit
from kis.activities.models import Activity, Attendance, HoursEntry, Placement, Session
from kis.participants.models import LegalRule, Participant

# --------------------------------------------------------------------------- schedule


def polish_holidays(years: Iterable[int]) -> dict[date, str]:
    return dict(holidays.country_holidays("PL", years=list(years), language="pl"))


@dataclass(frozen=True)
class Clash:
    session: Session
    reason: str  # "room" or "staff"


def clashes(
    *, starts_at: datetime, ends_at: datetime, room_id: int | None, staff_id: int | None, exclude: Iterable[int] = ()
) -> list[Clash]:
    """Sessions in the same room or with the same staff member that overlap the given time."""
    found: list[Clash] = []
    overlapping = (
        Session.objects.overlapping(starts_at, ends_at).exclude(pk__in=list(exclude)).select_related("activity")
    )
    for other in overlapping.filter(room_id=room_id) if room_id else []:
        found.append(Clash(other, "room"))
    for other in overlapping.filter(staff_id=staff_id) if staff_id else []:
        found.append(Clash(other, "staff"))
    return found


@dataclass
class PlannedSessions:
    sessions: list[Session] = field(default_factory=list)
    skipped_holidays: list[tuple[date, str]] = field(default_factory=list)
    clashes: list[Clash] = field(default_factory=list)


def plan_sessions(
    *,
    activity: Activity,
    first_day: date,
    last_day: date,
    weekdays: set[int],
    start: time,
    end: time,
    room_id: int | None,
    staff_id: int | None,
) -> PlannedSessions:
    """The sessions of a one-off (first_day == last_day) or weekly series, without saving them."""
    plan = PlannedSessions()
    days_off = polish_holidays(range(first_day.year, last_day.year + 1))
    series = secrets.token_hex(8) if first_day != last_day else ""
    day = first_day
    while day <= last_day:
        if first_day == last_day or day.weekday() in weekdays:
            if day in days_off:
                plan.skipped_holidays.append((day, days_off[day]))
            else:
                starts_at = timezone.make_aware(datetime.combine(day, start))
                ends_at = timezone.make_aware(datetime.combine(day, end))
                plan.sessions.append(
                    Session(
                        activity=activity,
                        starts_at=starts_at,
                        ends_at=ends_at,
                        room_id=room_id,
                        staff_id=staff_id,
                        series=series,
                    )
                )
                plan.clashes.extend(clashes(starts_at=starts_at, ends_at=ends_at, room_id=room_id, staff_id=staff_id))
        day += timedelta(days=1)
    return plan


@transaction.atomic
def create_sessions(*, plan: PlannedSessions, by: Any) -> list[Session]:
    created = Session.objects.bulk_create(plan.sessions)
    if created:
        audit.record(
            by, "session.scheduled", created[0].activity, count=len(created), first=created[0].starts_at.isoformat()
        )
    return created


# --------------------------------------------------------------------------- attendance


@dataclass(frozen=True)
class Mark:
    participant_id: int
    status: str
    hours: Decimal


def enrolled_for(session: Session) -> list[Participant]:
    day = timezone.localtime(session.starts_at).date()
    return list(
        Participant.objects.filter(enrolments__activity_id=session.activity_id, enrolments__enrolled_on__lte=day)
        .exclude(enrolments__left_on__lt=day)
        .only("pk", "first_name", "last_name", "name_sort", "club_id")
        .order_by("name_sort", "pk")
        .distinct()
    )


@transaction.atomic
def save_attendance(*, session: Session, marks: list[Mark], by: Any) -> int:
    """Save a whole sheet (or one row) atomically; changes after the session's day are audited."""
    existing = {a.participant_id: a for a in Attendance.objects.select_for_update().filter(session=session)}
    session_day = timezone.localtime(session.starts_at).date()
    late = timezone.localdate() > session_day
    now = timezone.now()
    to_create, to_update, corrections = [], [], []
    for mark in marks:
        current = existing.get(mark.participant_id)
        if current is None:
            to_create.append(
                Attendance(
                    session=session,
                    participant_id=mark.participant_id,
                    status=mark.status,
                    hours=mark.hours,
                    updated_by=by,
                    updated_at=now,
                )
            )
        elif (current.status, current.hours) != (mark.status, mark.hours):
            if late:
                corrections.append(
                    {
                        "participant": mark.participant_id,
                        "from": [current.status, str(current.hours)],
                        "to": [mark.status, str(mark.hours)],
                    }
                )
            current.status, current.hours, current.updated_by, current.updated_at = mark.status, mark.hours, by, now
            to_update.append(current)
    # ignore_conflicts: a double submit racing this one cannot create a second row (unique constraint).
    Attendance.objects.bulk_create(to_create, ignore_conflicts=True)
    Attendance.objects.bulk_update(to_update, ["status", "hours", "updated_by", "updated_at"])
    if corrections:
        audit.record(by, "attendance.corrected", session, corrections=corrections)
    elif to_create or to_update:
        audit.record(by, "attendance.saved", session, rows=len(to_create) + len(to_update))
    return len(to_create) + len(to_update)


# --------------------------------------------------------------------------- hours and caps


@dataclass
class CapCheck:
    week_total: Decimal
    month_total: Decimal
    week_cap: Decimal | None
    month_cap: Decimal | None
    warnings: list[str] = field(default_factory=list)
    over: bool = False


def psu_rule(code: str, on: date) -> Any:
    rule = LegalRule.objects.in_force(code, on)
    return rule.value.get("value") if rule else None


def check_caps(*, placement: Placement, day: date, hours: Decimal) -> CapCheck:
    """Totals of the week and the month including ``hours`` on ``day``, against the rules in force."""
    monday = day - timedelta(days=day.weekday())
    month_start = day.replace(day=1)
    month_end = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    others = HoursEntry.objects.filter(
        placement__participant=placement.participant_id, placement__kind=placement.kind
    ).exclude(placement=placement, day=day)
    week = sum((e.hours for e in others.filter(day__range=(monday, monday + timedelta(days=6)))), Decimal(0)) + hours
    month = sum((e.hours for e in others.filter(day__range=(month_start, month_end))), Decimal(0)) + hours
    result = CapCheck(week_total=week, month_total=month, week_cap=None, month_cap=None)
    if placement.kind != Placement.Kind.PSU:
        return result
    week_cap, month_cap = psu_rule("psu.max_hours_week", day), psu_rule("psu.max_hours_month", day)
    result.week_cap = Decimal(str(week_cap)) if week_cap is not None else None
    result.month_cap = Decimal(str(month_cap)) if month_cap is not None else None
    for total, cap, label in ((week, result.week_cap, "week"), (month, result.month_cap, "month")):
        if cap is None:
            continue
        if total > cap:
            result.over = True
            result.warnings.append(label)
        elif total >= cap * Decimal("0.8"):
            result.warnings.append(f"{label}_near")
    return result


@transaction.atomic
def record_hours(*, placement: Placement, day: date, hours: Decimal, override_reason: str, by: Any) -> HoursEntry:
    entry, _created = HoursEntry.objects.update_or_create(
        placement=placement, day=day, defaults={"hours": hours, "over_cap_reason": override_reason, "recorded_by": by}
    )
    audit.record(by, "hours.recorded", entry, day=day.isoformat(), hours=str(hours), override=bool(override_reason))
    return entry


@dataclass
class SettlementRow:
    participant: Participant
    placement: Placement
    hours: Decimal
    rate: Decimal
    amount: Decimal
    refund: Decimal


def monthly_settlement(*, club_id: int, year: int, month: int) -> list[SettlementRow]:
    """PSU hours × the hourly rate valid on each day, with the Labour Fund refund share."""
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    entries = (
        HoursEntry.objects.filter(
            placement__participant__club_id=club_id, placement__kind=Placement.Kind.PSU, day__range=(first, last)
        )
        .select_related("placement", "placement__participant", "placement__gmina")
        .order_by("placement__participant__name_sort", "placement_id", "day")
    )
    rows: dict[int, SettlementRow] = {}
    rates: dict[date, tuple[Decimal, Decimal]] = {}
    for entry in entries:
        if entry.day not in rates:
            rate = psu_rule("psu.hourly_rate", entry.day)
            share = psu_rule("psu.refund_share", entry.day)
            rates[entry.day] = (Decimal(str(rate or 0)), Decimal(str(share or 0)))
        rate, share = rates[entry.day]
        row = rows.get(entry.placement_id)
        if row is None:
            row = rows[entry.placement_id] = SettlementRow(
                entry.placement.participant, entry.placement, Decimal(0), rate, Decimal(0), Decimal(0)
            )
        amount = (entry.hours * rate).quantize(Decimal("0.01"))
        row.hours += entry.hours
        row.amount += amount
        row.refund += (amount * share).quantize(Decimal("0.01"))
        row.rate = rate
    return list(rows.values())
