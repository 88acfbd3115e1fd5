"""Demo activities: a year of weekly sessions with attendance, PSU placements with hours.

Deterministic per club (seeded), dates relative to the day the demo is loaded.
"""

from __future__ import annotations

import random
from datetime import date, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from kis.accounts.models import Grant, Role, User
from kis.activities import services
from kis.activities.models import Activity, Attendance, CalendarFeed, Enrolment, HoursEntry, Placement, Session
from kis.clubs.models import Club
from kis.participants.models import Participant

CATALOGUE = [
    # name, type, group, weekday, start, end, social, vocational
    ("Warsztaty kompetencji społecznych", "vocational_workshop", True, 1, time(10), time(13), True, False),
    ("Grupa wsparcia", "support_group", True, 3, time(12), time(14), True, False),
    ("Klub pracy – szukanie ofert", "job_search_support", True, 0, time(9), time(11), False, True),
    ("Poradnictwo prawne", "legal_counselling", False, None, None, None, True, False),
    ("Prace społecznie użyteczne", "psu", False, None, None, None, False, True),
    ("Dostęp do komputera i Internetu", "computer_access", False, None, None, None, False, True),
]


def is_loaded() -> bool:
    return Activity.objects.exists()


@transaction.atomic
def load(today: date | None = None) -> None:
    today = today or timezone.localdate()
    for club in Club.objects.filter(status=Club.Status.ACTIVE).order_by("pk"):
        _load_club(club, today)


def _load_club(club: Club, today: date) -> None:
    rng = random.Random(f"kis-demo-activities-{club.pk}")
    staff_ids = Grant.objects.active().filter(club=club, role__in=[Role.LEADER, Role.STAFF]).values("user_id")
    team = list(User.objects.filter(pk__in=staff_ids).order_by("pk"))
    rooms = list(club.rooms.order_by("pk"))
    people = list(Participant.objects.filter(club=club).exclude(joined_on=None).order_by("pk"))
    start = today - timedelta(days=364)
    for name, kind, group, weekday, begins, ends, social, vocational in CATALOGUE:
        activity = Activity.objects.create(
            club=club,
            name=name,
            type=kind,
            is_group=group,
            staff=rng.choice(team),
            room=rooms[0] if group else rooms[-1],
            funding=rng.choice(["gmina_own", "eu_esf", "gmina_alcohol"]),
            is_reintegration_social=social,
            is_reintegration_vocational=vocational,
        )
        if not group or weekday is None or begins is None or ends is None:
            continue
        members = [p for p in people if rng.random() < 0.8]
        Enrolment.objects.bulk_create(
            [
                Enrolment(activity=activity, participant=p, enrolled_on=p.joined_on or start, left_on=p.left_on)
                for p in members
            ]
        )
        plan = services.plan_sessions(
            activity=activity,
            first_day=start,
            last_day=today + timedelta(days=60),
            weekdays={weekday},
            start=begins,
            end=ends,
            room_id=activity.room_id,
            staff_id=activity.staff_id,
        )
        sessions = Session.objects.bulk_create(plan.sessions)
        marks = []
        for session in sessions:
            day = timezone.localtime(session.starts_at).date()
            if day >= today:
                continue
            for person in members:
                if person.joined_on and person.joined_on <= day and (person.left_on is None or person.left_on >= day):
                    roll = rng.random()
                    status = "present" if roll < 0.82 else "excused" if roll < 0.93 else "unexcused"
                    marks.append(
                        Attendance(
                            session=session,
                            participant=person,
                            status=status,
                            hours=session.hours if status == "present" else Decimal(0),
                            updated_by=activity.staff or team[0],
                        )
                    )
        Attendance.objects.bulk_create(marks, batch_size=1000)
    for person in [p for p in people if p.status == Participant.Status.ACTIVE][:3]:
        placement = Placement.objects.create(
            participant=person,
            kind="psu",
            organiser=f"Zakład Gospodarki Komunalnej ({club.city})",
            agreement=f"PSU/{person.pk}/{today.year}",
            gmina=club.gmina,
            starts_on=max(person.joined_on or start, today - timedelta(days=120)),
            ends_on=today + timedelta(days=90),
            planned_hours_week=Decimal(8),
        )
        day = placement.starts_on
        entries = []
        while day < today:
            if day.weekday() in (1, 3):
                entries.append(HoursEntry(placement=placement, day=day, hours=Decimal(4), recorded_by=team[0]))
            day += timedelta(days=1)
        HoursEntry.objects.bulk_create(entries)
    CalendarFeed.objects.create(club=club, created_by=team[0])
