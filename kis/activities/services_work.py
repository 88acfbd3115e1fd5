"""The attendance register, monthly hours cards, settlements and computer stations.

Reads return plain dataclasses for the templates; writes are keyword-only, atomic, take ``by``
and write their audit row in the same transaction (style.md §2). The shared workflows
(``save_attendance``, ``check_caps``, ``record_hours``, ``monthly_settlement``) are in services.py.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kis import audit
from kis.activities import services
from kis.activities.models import Attendance, HoursEntry, Placement, Session, StationBooking
from kis.clubs.models import Club, ComputerStation, Territory
from kis.lib import xlsx
from kis.participants.models import LegalRule, Participant

PSU_RULES = ("psu.max_hours_week", "psu.max_hours_month", "psu.hourly_rate", "psu.refund_share")
NEAR_CAP = Decimal("0.8")

# --------------------------------------------------------------------------- attendance


@dataclass
class Sheet:
    participants: list[Participant]
    saved: dict[int, Attendance]

    @property
    def present(self) -> int:
        return sum(1 for a in self.saved.values() if a.status == Attendance.Status.PRESENT)

    @property
    def saved_at(self) -> datetime | None:
        return max((a.updated_at for a in self.saved.values()), default=None)


def attendance_sheet(session: Session) -> Sheet:
    """Everyone enrolled on the session's day, plus anyone already marked (nothing recorded disappears)."""
    participants = services.enrolled_for(session)
    saved = {
        a.participant_id: a
        for a in Attendance.objects.filter(session=session)
        .select_related("participant")
        .only(
            "session_id",
            "status",
            "hours",
            "updated_at",
            "participant__first_name",
            "participant__last_name",
            "participant__name_sort",
            "participant__club_id",
        )
    }
    known = {p.pk for p in participants}
    extra = sorted(
        (a.participant for a in saved.values() if a.participant_id not in known), key=lambda p: (p.name_sort, p.pk)
    )
    return Sheet([*participants, *extra], saved)


# --------------------------------------------------------------------------- hours cards


def month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def rules_between(first: date, last: date) -> list[LegalRule]:
    """The PSU rules in force on any day from ``first`` to ``last``, in one query."""
    return list(
        LegalRule.objects.filter(code__in=PSU_RULES, valid_from__lte=last)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first))
        .order_by("code", "valid_from")
    )


def rule_on(rules: Iterable[LegalRule], code: str, day: date) -> LegalRule | None:
    found = [r for r in rules if r.code == code and r.valid_from <= day and (r.valid_to is None or r.valid_to >= day)]
    return max(found, key=lambda r: r.valid_from, default=None)


def rule_value(rule: LegalRule | None) -> Decimal | None:
    if rule is None or rule.value.get("value") is None:
        return None
    return Decimal(str(rule.value["value"]))


def cap_state(total: Decimal, cap: Decimal | None) -> str:
    if cap is None:
        return ""
    return "over" if total > cap else "near" if total >= cap * NEAR_CAP else ""


@dataclass
class CardDay:
    day: date
    editable: bool
    hours: Decimal | None
    over_cap_reason: str


@dataclass
class CardWeek:
    monday: date
    days: list[CardDay]
    card_hours: Decimal  # this placement, the days of the week within the month
    all_hours: Decimal  # every placement of the same kind, the whole week
    cap: Decimal | None

    @property
    def state(self) -> str:
        return cap_state(self.all_hours, self.cap)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)


@dataclass
class HoursCard:
    placement: Placement
    first: date
    last: date
    weeks: list[CardWeek]
    card_hours: Decimal
    all_hours: Decimal
    month_cap: Decimal | None
    rate: Decimal | None
    rules: list[LegalRule]

    @property
    def state(self) -> str:
        return cap_state(self.all_hours, self.month_cap)

    @property
    def amount(self) -> Decimal | None:
        return None if self.rate is None else (self.card_hours * self.rate).quantize(Decimal("0.01"))

    @property
    def editable_days(self) -> list[date]:
        return [d.day for week in self.weeks for d in week.days if d.editable]

    @property
    def saved(self) -> dict[date, Decimal]:
        return {d.day: d.hours for week in self.weeks for d in week.days if d.hours is not None}


def hours_card(placement: Placement, year: int, month: int) -> HoursCard:
    """The month's days of one placement with week and month totals against the caps in force (3 queries)."""
    first, last = month_bounds(year, month)
    first_monday = first - timedelta(days=first.weekday())
    last_sunday = last + timedelta(days=6 - last.weekday())
    entries = list(
        HoursEntry.objects.filter(
            placement__participant_id=placement.participant_id,
            placement__kind=placement.kind,
            day__range=(first_monday, last_sunday),
        ).only("placement_id", "day", "hours", "over_cap_reason")
    )
    own = {e.day: e for e in entries if e.placement_id == placement.pk}
    is_psu = placement.kind == Placement.Kind.PSU
    rules = rules_between(first_monday, last_sunday) if is_psu else []
    weeks: list[CardWeek] = []
    day = first
    while day <= last:
        if not weeks or day.weekday() == 0:
            monday = day - timedelta(days=day.weekday())
            week_all = sum((e.hours for e in entries if monday <= e.day <= monday + timedelta(days=6)), Decimal(0))
            cap = rule_value(rule_on(rules, "psu.max_hours_week", day))
            weeks.append(CardWeek(monday, [], Decimal(0), week_all, cap))
        entry = own.get(day)
        weeks[-1].days.append(
            CardDay(
                day,
                placement.starts_on <= day <= placement.ends_on,
                entry.hours if entry else None,
                entry.over_cap_reason if entry else "",
            )
        )
        if entry:
            weeks[-1].card_hours += entry.hours
        day += timedelta(days=1)
    in_month = [e for e in entries if first <= e.day <= last]
    shown = [r for r in rules if r.valid_from <= last and (r.valid_to is None or r.valid_to >= first)]
    return HoursCard(
        placement=placement,
        first=first,
        last=last,
        weeks=weeks,
        card_hours=sum((e.hours for e in in_month if e.placement_id == placement.pk), Decimal(0)),
        all_hours=sum((e.hours for e in in_month), Decimal(0)),
        month_cap=rule_value(rule_on(rules, "psu.max_hours_month", first)),
        rate=rule_value(rule_on(rules, "psu.hourly_rate", first)),
        rules=shown,
    )


@dataclass(frozen=True)
class CapPeriod:
    kind: str  # "week" or "month"
    first: date
    last: date
    total: Decimal
    cap: Decimal

    @property
    def over(self) -> bool:
        return self.total > self.cap


class CapExceeded(Exception):
    """Hours past a cap without the leader's override; nothing was saved."""

    def __init__(self, periods: list[CapPeriod]) -> None:
        super().__init__(periods)
        self.periods = periods


def _periods(placement: Placement, raised: dict[date, Decimal]) -> list[CapPeriod]:
    """Weeks and the month, containing a raised day, that are near or over their cap (after saving)."""
    result: list[CapPeriod] = []
    by_week: dict[date, date] = {}
    for day in raised:
        by_week[day - timedelta(days=day.weekday())] = day
    month_seen: set[tuple[int, int]] = set()
    for monday, day in sorted(by_week.items()):
        check = services.check_caps(placement=placement, day=day, hours=raised[day])
        if check.week_cap is not None and check.week_total >= check.week_cap * NEAR_CAP:
            result.append(CapPeriod("week", monday, monday + timedelta(days=6), check.week_total, check.week_cap))
        if (day.year, day.month) in month_seen:
            continue
        month_seen.add((day.year, day.month))
        if check.month_cap is not None and check.month_total >= check.month_cap * NEAR_CAP:
            first, last = month_bounds(day.year, day.month)
            result.append(CapPeriod("month", first, last, check.month_total, check.month_cap))
    return result


@transaction.atomic
def save_hours_card(
    *, placement: Placement, hours: dict[date, Decimal], override_reason: str, by: Any
) -> list[CapPeriod]:
    """Save the changed days of a card; return the periods near or over a cap.

    Raising a day so that its week or month passes the cap raises ``CapExceeded`` and
    saves nothing, unless ``override_reason`` is given (the leader's approval): then the
    raised days carry the reason and the override is audited.
    """
    saved = {e.day: e for e in HoursEntry.objects.select_for_update().filter(placement=placement, day__in=list(hours))}
    raised: dict[date, Decimal] = {}
    for day, value in sorted(hours.items()):
        entry = saved.get(day)
        current = entry.hours if entry else Decimal(0)
        if value == current:
            continue
        if entry is not None and value == 0:
            entry.delete()
            audit.record(by, "hours.deleted", placement, day=day.isoformat(), hours=str(current))
            continue
        services.record_hours(placement=placement, day=day, hours=value, override_reason="", by=by)
        if value > current:
            raised[day] = value
    periods = _periods(placement, raised)
    over = [p for p in periods if p.over]
    if over and not override_reason:
        raise CapExceeded(over)
    if over:
        days = [d for d in raised if any(p.first <= d <= p.last for p in over)]
        HoursEntry.objects.filter(placement=placement, day__in=days).update(over_cap_reason=override_reason)
        audit.record(
            by,
            "hours.cap_overridden",
            placement,
            reason=override_reason,
            periods=[[p.kind, p.first.isoformat(), str(p.total), str(p.cap)] for p in over],
        )
    return periods


# --------------------------------------------------------------------------- attendance feeds the hours card

# Sessions of these activity types are work: the hours of the register go to the hours card of the
# participant's placement of the matching kind that covers the day.
WORK_PLACEMENTS = {
    "psu": Placement.Kind.PSU,
    "public_works": Placement.Kind.PUBLIC_WORKS,
    "traineeship": Placement.Kind.TRAINEESHIP,
}


@transaction.atomic
def save_sheet(*, session: Session, marks: list[services.Mark], by: Any) -> list[CapPeriod]:
    """Save attendance (a whole sheet or a row) and, for work sessions, the day on the hours card.

    One transaction: hours past a cap raise ``CapExceeded`` and nothing of the sheet is saved
    (the leader approves hours above a cap on the hours card). Returns periods near a cap.
    """
    services.save_attendance(session=session, marks=marks, by=by)
    kind = WORK_PLACEMENTS.get(session.activity.type)
    if kind is None or not marks:
        return []
    day = timezone.localtime(session.starts_at).date()
    people = [mark.participant_id for mark in marks]
    placements: dict[int, Placement] = {}
    for placement in Placement.objects.filter(
        participant_id__in=people, kind=kind, starts_on__lte=day, ends_on__gte=day
    ).order_by("-starts_on", "-pk"):
        placements[placement.participant_id] = placement  # the latest placement covering the day wins
    if not placements:
        return []
    totals = dict(
        Attendance.objects.filter(
            participant_id__in=list(placements),
            status=Attendance.Status.PRESENT,
            session__activity__type=session.activity.type,
            session__cancelled=False,
            session__starts_at__gte=day_range(day, day)[0],
            session__starts_at__lt=day_range(day, day)[1],
        )
        .values("participant_id")
        .annotate(hours=Sum("hours"))
        .values_list("participant_id", "hours")
    )
    periods: list[CapPeriod] = []
    refused: list[CapPeriod] = []
    for participant_id, placement in placements.items():
        try:
            periods += save_hours_card(
                placement=placement, hours={day: totals.get(participant_id) or Decimal(0)}, override_reason="", by=by
            )
        except CapExceeded as exceeded:
            refused += exceeded.periods
    if refused:
        raise CapExceeded(refused)
    return periods


# --------------------------------------------------------------------------- settlement


@dataclass
class GminaTotal:
    gmina: Territory | None
    rows: list[services.SettlementRow] = field(default_factory=list)

    @property
    def hours(self) -> Decimal:
        return sum((r.hours for r in self.rows), Decimal(0))

    @property
    def amount(self) -> Decimal:
        return sum((r.amount for r in self.rows), Decimal(0))

    @property
    def refund(self) -> Decimal:
        return sum((r.refund for r in self.rows), Decimal(0))

    @property
    def gmina_part(self) -> Decimal:
        return self.amount - self.refund

    @property
    def lines(self) -> list[tuple[services.SettlementRow, Decimal]]:
        """Each row with the gmina's part of it (the amount less the refund)."""
        return [(row, row.amount - row.refund) for row in self.rows]


def settlement_by_gmina(rows: list[services.SettlementRow]) -> list[GminaTotal]:
    """The settlement rows grouped by the gmina paying the benefit, in the order of the gmina names."""
    groups: dict[str | None, GminaTotal] = {}
    for row in rows:
        gmina = row.placement.gmina
        key = gmina.pk if gmina else None
        groups.setdefault(key, GminaTotal(gmina)).rows.append(row)
    return sorted(groups.values(), key=lambda g: (g.gmina is None, g.gmina.name if g.gmina else ""))


# --------------------------------------------------------------------------- computer stations


@transaction.atomic
def book_station(
    *, station: ComputerStation, participant: Participant, starts_at: datetime, ends_at: datetime, by: Any
) -> StationBooking:
    """Book a station; overlapping bookings of the station or of the person are refused."""
    # Lock the station so that two desks cannot book the same slot at once.
    ComputerStation.objects.select_for_update().filter(pk=station.pk).first()
    taken = (
        StationBooking.objects.filter(station=station, starts_at__lt=ends_at, ends_at__gt=starts_at)
        .select_related("participant")
        .first()
    )
    if taken is not None:
        raise ValidationError(
            _("%(station)s is already booked from %(start)s to %(end)s."),
            code="station_taken",
            params={
                "station": station.label,
                "start": f"{timezone.localtime(taken.starts_at):%H:%M}",
                "end": f"{timezone.localtime(taken.ends_at):%H:%M}",
            },
        )
    busy = StationBooking.objects.filter(participant=participant, starts_at__lt=ends_at, ends_at__gt=starts_at)
    if busy.exists():
        raise ValidationError(_("This person already has a station booked at that time."), code="participant_busy")
    booking = StationBooking(station=station, participant=participant, starts_at=starts_at, ends_at=ends_at)
    booking.full_clean()
    booking.save()
    audit.record(by, "station.booked", booking, starts_at=starts_at.isoformat(), ends_at=ends_at.isoformat())
    return booking


@transaction.atomic
def check_in(*, booking: StationBooking, by: Any) -> None:
    booking = StationBooking.objects.select_for_update().select_related("station").get(pk=booking.pk)
    if booking.checked_in_at is not None:
        raise ValidationError(_("Already checked in."), code="already_checked_in")
    if timezone.localtime(booking.starts_at).date() != timezone.localdate():
        raise ValidationError(_("Check-in is possible only on the day of the booking."), code="not_today")
    booking.checked_in_at = timezone.now()
    booking.save(update_fields=["checked_in_at"])
    audit.record(by, "station.checked_in", booking)


@transaction.atomic
def check_out(*, booking: StationBooking, by: Any) -> None:
    booking = StationBooking.objects.select_for_update().select_related("station").get(pk=booking.pk)
    if booking.checked_in_at is None:
        raise ValidationError(_("Check in first."), code="not_checked_in")
    if booking.checked_out_at is not None:
        raise ValidationError(_("Already checked out."), code="already_checked_out")
    booking.checked_out_at = timezone.now()
    booking.save(update_fields=["checked_out_at"])
    audit.record(by, "station.checked_out", booking)


def day_range(first: date, last: date) -> tuple[datetime, datetime]:
    """Aware datetimes from the start of ``first`` to the start of the day after ``last``."""
    return (
        timezone.make_aware(datetime.combine(first, time.min)),
        timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min)),
    )


@dataclass(frozen=True)
class StationUsage:
    label: str
    uses: int
    people: int


@dataclass
class Usage:
    stations: list[StationUsage]
    uses: int
    people: int


def station_usage(club: Club, first: date, last: date) -> Usage:
    """Bookings with a check-in from ``first`` to ``last``, per station (for the reports)."""
    start, end = day_range(first, last)
    used = StationBooking.objects.filter(station__club=club, checked_in_at__gte=start, checked_in_at__lt=end)
    per_station = [
        StationUsage(row["station__label"], row["uses"], row["people"])
        for row in used.values("station__label")
        .annotate(uses=Count("pk"), people=Count("participant", distinct=True))
        .order_by("station__label")
    ]
    totals = used.aggregate(uses=Count("pk"), people=Count("participant", distinct=True))
    return Usage(per_station, totals["uses"], totals["people"])


def bookings_on(club: Club, day: date) -> list[StationBooking]:
    start, end = day_range(day, day)
    return list(
        StationBooking.objects.filter(station__club=club, starts_at__gte=start, starts_at__lt=end)
        .select_related("station", "participant")
        .only(
            "starts_at",
            "ends_at",
            "checked_in_at",
            "checked_out_at",
            "station__label",
            "participant__first_name",
            "participant__last_name",
        )
        .order_by("starts_at", "station__label")
    )


# --------------------------------------------------------------------------- small helpers of the views


def sessions_on(club: Club, day: date) -> list[Session]:
    """The club's sessions of the day with the numbers enrolled, marked and present (one query)."""
    enrolled = Q(activity__enrolments__enrolled_on__lte=day) & (
        Q(activity__enrolments__left_on__isnull=True) | Q(activity__enrolments__left_on__gte=day)
    )
    return list(
        Session.objects.filter(activity__club=club)
        .on_day(day)
        .select_related("activity", "room")
        .annotate(
            enrolled=Count("activity__enrolments", filter=enrolled, distinct=True),
            marked=Count("attendance", distinct=True),
            present=Count("attendance", filter=Q(attendance__status=Attendance.Status.PRESENT), distinct=True),
        )
        .order_by("starts_at", "pk")
    )


def card_month(placement: Placement, today: date) -> date:
    """The month whose card opens first: this month, kept within the placement's dates."""
    day = min(max(today, placement.starts_on), placement.ends_on)
    return day.replace(day=1)


def shift_month(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def parse_month(text: str, *, default: date) -> date:
    """'2026-02' as the first day of the month; anything else gives ``default``."""
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError:
        return default


def settlement_xlsx(groups: list[GminaTotal], month: date) -> bytes:
    """The settlement as a workbook: one line per placement, then the totals per gmina."""
    money = {4: xlsx.MONEY, 5: xlsx.MONEY, 6: xlsx.MONEY, 7: xlsx.MONEY, 3: xlsx.HOURS}
    lines = [
        [
            str(row.participant),
            str(row.placement.organiser),
            group.gmina.name if group.gmina else "",
            row.hours,
            row.rate,
            row.amount,
            row.refund,
            row.amount - row.refund,
        ]
        for group in groups
        for row in group.rows
    ]
    everything = GminaTotal(None, [row for group in groups for row in group.rows])
    total = [
        gettext("Total"),
        None,
        None,
        everything.hours,
        None,
        everything.amount,
        everything.refund,
        everything.gmina_part,
    ]
    header = [
        gettext("Participant"),
        gettext("Placement"),
        gettext("Gmina"),
        gettext("Hours"),
        gettext("Hourly rate (PLN)"),
        gettext("Amount (PLN)"),
        gettext("Labour Fund refund (PLN)"),
        gettext("Gmina's part (PLN)"),
    ]
    by_gmina = [
        [
            group.gmina.name if group.gmina else gettext("no gmina"),
            group.gmina.pk if group.gmina else "",
            group.hours,
            group.amount,
            group.refund,
            group.gmina_part,
        ]
        for group in groups
    ]
    gmina_total = [
        gettext("Total"),
        None,
        everything.hours,
        everything.amount,
        everything.refund,
        everything.gmina_part,
    ]
    return xlsx.workbook(
        [
            xlsx.Sheet(
                gettext("PSU %(month)s") % {"month": f"{month:%m.%Y}"}, header, lines, formats=money, footer=[total]
            ),
            xlsx.Sheet(
                gettext("Per gmina"),
                [
                    gettext("Gmina"),
                    gettext("TERYT code"),
                    gettext("Hours"),
                    gettext("Amount (PLN)"),
                    gettext("Labour Fund refund (PLN)"),
                    gettext("Gmina's part (PLN)"),
                ],
                by_gmina,
                formats={2: xlsx.HOURS, 3: xlsx.MONEY, 4: xlsx.MONEY, 5: xlsx.MONEY},
                footer=[gmina_total],
            ),
        ]
    )
