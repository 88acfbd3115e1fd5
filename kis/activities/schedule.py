"""Read-only views of the schedule: the week and month grids and the iCalendar feed."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import icalendar
from django.db.models import Q
from django.utils import timezone

from kis.activities.models import CalendarFeed, Session, SessionQuerySet
from kis.activities.services import polish_holidays

FEED_PAST = timedelta(days=30)
FEED_AHEAD = timedelta(days=180)


@dataclass
class Day:
    day: date
    holiday: str = ""
    in_month: bool = True
    sessions: list[Session] = field(default_factory=list)


@dataclass
class Week:
    monday: date
    days: list[Day]

    @property
    def previous(self) -> date:
        return self.monday - timedelta(days=7)

    @property
    def next(self) -> date:
        return self.monday + timedelta(days=7)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)


@dataclass
class Month:
    first: date
    weeks: list[list[Day]]

    @property
    def previous(self) -> date:
        return (self.first - timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> date:
        return (self.first + timedelta(days=31)).replace(day=1)


YEARS = range(2000, 2101)


def _parse(value: str, today: date) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return today
    return day if day.year in YEARS else today


def parse_week(value: str, today: date) -> date:
    """The Monday of the week of ``value`` (YYYY-MM-DD), or of today's week when it is not a date."""
    day = _parse(value, today)
    return day - timedelta(days=day.weekday())


def parse_month(value: str, today: date) -> date:
    """The first day of the month ``value`` (YYYY-MM), or of today's month when it is not one."""
    return _parse(f"{value}-01", today).replace(day=1)


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def _fill(days: list[Day], sessions: SessionQuerySet) -> None:
    """Put each session on its (local) day: one query, whatever the number of sessions."""
    first, last = days[0].day, days[-1].day
    by_day = {d.day: d for d in days}
    rows = sessions.filter(starts_at__gte=_midnight(first), starts_at__lt=_midnight(last + timedelta(days=1)))
    for session in rows.select_related("activity", "room", "staff").order_by("starts_at", "pk"):
        by_day[timezone.localtime(session.starts_at).date()].sessions.append(session)
    names = polish_holidays(range(first.year, last.year + 1))
    for day in days:
        day.holiday = names.get(day.day, "")


def build_week(sessions: SessionQuerySet, monday: date) -> Week:
    week = Week(monday, [Day(monday + timedelta(days=offset)) for offset in range(7)])
    _fill(week.days, sessions)
    return week


def build_month(sessions: SessionQuerySet, first: date) -> Month:
    weeks = [
        [Day(day, in_month=day.month == first.month) for day in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    ]
    _fill([day for week in weeks for day in week], sessions)
    return Month(first, weeks)


def feed_sessions(feed: CalendarFeed) -> SessionQuerySet:
    """Non-cancelled sessions of the feed's club (or of its staff member there), from 30 days back to 180 ahead."""
    now = timezone.now()
    sessions = Session.objects.filter(
        activity__club_id=feed.club_id,
        cancelled=False,
        starts_at__gte=now - FEED_PAST,
        starts_at__lt=now + FEED_AHEAD,
    )
    if feed.staff_id is not None:
        sessions = sessions.filter(Q(staff_id=feed.staff_id) | Q(staff__isnull=True, activity__staff_id=feed.staff_id))
    return sessions


def build_feed(feed: CalendarFeed, *, name: str) -> bytes:
    """The iCalendar text of a feed: when, what and where; never who takes part."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//KIS//Harmonogram klubu//PL")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    stamp = timezone.now()
    for session in feed_sessions(feed).select_related("activity", "room").order_by("starts_at", "pk"):
        event = icalendar.Event()
        event.add("uid", f"kis-session-{session.pk}@kis")
        event.add("dtstamp", stamp)
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        event.add("summary", session.activity.name)
        if session.room is not None:
            event.add("location", session.room.name)
        cal.add_component(event)
    text: bytes = cal.to_ical()
    return text
