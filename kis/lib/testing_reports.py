"""Test world: the staff register of Club A and Club A's annual report for last year (submitted)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone

if TYPE_CHECKING:
    from kis.lib.testing import World


def ensure_code_lists() -> None:
    """The CAS 01 code lists come from a data migration; a transactional (browser) test flushes them."""
    import importlib

    from django.apps import apps

    from kis.reports.models import FundingKind

    if not FundingKind.objects.exists():
        importlib.import_module("kis.reports.migrations.0002_seed_code_lists").seed(apps, None)


def make_reports(world: World) -> None:
    """Three people in Club A's staff register; ``world.report_a``: last year's report, submitted."""
    ensure_code_lists()
    from kis.clubs.models import StaffMember
    from kis.lib.text import polish_sort_key
    from kis.reports import services

    year = timezone.localdate().year - 1
    # bulk_create skips save(): the sort key is filled here the way save() does.
    StaffMember.objects.bulk_create(
        [
            StaffMember(
                club=world.club_a,
                full_name=name,
                name_sort=polish_sort_key(name),
                sex=sex,
                position=position,
                basis=basis,
                fte=Decimal(fte),
                started_on=started,
                user=user,
            )
            for name, sex, position, basis, fte, started, user in (
                ("Alicja Lis", "F", "kierownik klubu", "employment", "1.00", date(2020, 2, 1), world.alicja),
                ("Bartek Nowak", "M", "pracownik socjalny", "employment", "0.50", date(2021, 9, 1), world.bartek),
                ("Zofia Kwiatkowska", "F", "wolontariuszka", "volunteer", "0", date(2024, 5, 1), None),
            )
        ]
    )
    report = services.get_or_start(club=world.club_a, year=year, by=world.alicja)
    services.mark_checked(report=report, by=world.alicja)
    services.submit(report=report, by=world.alicja)
    world.report_a = report


@dataclass
class Dataset:
    """A small fixed data set of Club B for 2024 with hand-counted figures (tests/test_reports_figures.py)."""

    year: int
    club: Any
    beata: Any  # leader of Club B
    people: dict[str, Any]


def make_report_dataset(world: World) -> Dataset:
    """Club B in 2024: ten people (seven active in the year), two activities, a placement, consultations, staff.

    The expected figures are counted by hand in tests/test_reports_figures.py; keep both in step.
    """
    from datetime import datetime, time

    from kis.accounts.models import Grant, Role
    from kis.activities.models import Activity, Appointment, Attendance, HoursEntry, Placement, Session
    from kis.clubs.models import StaffMember
    from kis.contracts.models import PlanGoal, PlanStep, ReintegrationPlan
    from kis.lib.testing import make_participant, make_user
    from kis.participants.models import FollowUp

    club = world.club_b
    beata = make_user("beata@example.pl", "Beata Sowa", {"role": Role.LEADER, "club": club})
    assert Grant.objects.filter(user=beata).exists()

    def person(first: str, last: str, sex: str, groups: list[str] | None, **fields: Any) -> Any:
        status = "exited" if fields.get("left_on") else "active" if fields.get("joined_on") else "candidate"
        return make_participant(club, first, last, sex=sex, groups=groups, status=status, **fields)

    people = {
        "anna": person("Anna", "Zielińska", "F", ["long_term_unemployed", "disability"], joined_on=date(2024, 2, 1)),
        "barbara": person(
            "Barbara",
            "Wójcik",
            "F",
            ["alcohol_addiction"],
            joined_on=date(2023, 6, 1),
            left_on=date(2024, 4, 30),
            exit_reason="employed",
            employment_kind="contract",
        ),
        "cezary": person(
            "Cezary",
            "Mazur",
            "M",
            ["long_term_unemployed"],
            joined_on=date(2024, 3, 1),
            left_on=date(2024, 9, 30),
            exit_reason="completed",
        ),
        "dariusz": person(
            "Dariusz",
            "Krawczyk",
            "M",
            None,
            groups_refused=True,
            joined_on=date(2024, 5, 1),
            left_on=date(2024, 8, 31),
            exit_reason="resigned",
        ),
        "edward": person("Edward", "Żak", "M", [], joined_on=date(2023, 1, 10)),
        "franciszka": person(
            "Franciszka",
            "Łuczak",
            "F",
            ["ex_prisoner", "mental_disorder", "long_term_unemployed"],
            joined_on=date(2024, 11, 1),
        ),
        "grzegorz": person("Grzegorz", "Ćwiek", "M", ["long_term_unemployed"], joined_on=date(2025, 1, 5)),
        "halina": person(
            "Halina",
            "Kozłowska",
            "F",
            ["disability"],
            joined_on=date(2022, 1, 1),
            left_on=date(2023, 12, 31),
            exit_reason="employed",
            employment_kind="contract",
        ),
        "irena": person("Irena", "Nowak", "F", ["other"]),
        "jozef": person(
            "Józef",
            "Sowa",
            "M",
            ["homeless_ipwb"],
            joined_on=date(2024, 6, 1),
            left_on=date(2024, 12, 15),
            exit_reason="to_social_cooperative",
        ),
    }
    FollowUp.objects.create(
        participant=people["cezary"],
        months=3,
        due_on=date(2024, 12, 30),
        outcome="employed",
        recorded_on=date(2025, 1, 8),
    )
    FollowUp.objects.create(
        participant=people["jozef"],
        months=1,
        due_on=date(2025, 1, 15),
        outcome="not_employed",
        recorded_on=date(2025, 1, 16),
    )

    def goal(who: str, kind: str, *done: date | None) -> None:
        plan = ReintegrationPlan.objects.filter(participant=people[who]).first() or ReintegrationPlan.objects.create(
            participant=people[who], number=1, diagnosis="Diagnoza.", created_by=beata
        )
        item = PlanGoal.objects.create(plan=plan, kind=kind, description=f"Cel {kind}")
        for index, day in enumerate(done):
            PlanStep.objects.create(goal=item, description=f"Krok {index + 1}", owner="uczestnik", done_on=day)

    goal("anna", "social", date(2024, 3, 1), date(2024, 5, 10))  # achieved in 2024
    goal("cezary", "social", date(2024, 4, 1), None)  # one step still open
    goal("edward", "vocational", date(2023, 12, 1))  # achieved, but in 2023
    goal("franciszka", "vocational", date(2024, 12, 20))  # achieved in 2024
    goal("franciszka", "social")  # no steps: never achieved

    def at(day: date, hour: int) -> datetime:
        return timezone.make_aware(datetime.combine(day, time(hour)))

    workshop = Activity.objects.create(club=club, name="Warsztaty kompetencji", type="vocational_workshop")
    group = Activity.objects.create(club=club, name="Grupa wsparcia AA", type="support_group")
    s1 = Session.objects.create(activity=workshop, starts_at=at(date(2024, 3, 5), 10), ends_at=at(date(2024, 3, 5), 13))
    s2 = Session.objects.create(
        activity=workshop, starts_at=at(date(2024, 3, 12), 10), ends_at=at(date(2024, 3, 12), 13)
    )
    Session.objects.create(
        activity=workshop, starts_at=at(date(2024, 10, 1), 10), ends_at=at(date(2024, 10, 1), 12), cancelled=True
    )
    s_old = Session.objects.create(
        activity=workshop, starts_at=at(date(2023, 12, 20), 10), ends_at=at(date(2023, 12, 20), 12)
    )
    s3 = Session.objects.create(activity=group, starts_at=at(date(2024, 5, 6), 17), ends_at=at(date(2024, 5, 6), 19))

    def mark(session: Session, who: str, status: str, hours: str) -> None:
        Attendance.objects.create(
            session=session, participant=people[who], status=status, hours=Decimal(hours), updated_by=beata
        )

    mark(s1, "anna", "present", "3")
    mark(s1, "cezary", "present", "3")
    mark(s1, "dariusz", "unexcused", "0")
    mark(s2, "anna", "present", "3")
    mark(s2, "cezary", "excused", "0")
    mark(s3, "barbara", "present", "2")
    mark(s3, "edward", "present", "2")
    mark(s_old, "edward", "present", "2")
    placement = Placement.objects.create(
        participant=people["jozef"],
        kind="psu",
        organiser="Urząd Miasta Starego Sącza",
        gmina_id="1210163",
        starts_on=date(2024, 7, 1),
        ends_on=date(2024, 11, 30),
        planned_hours_week=Decimal(10),
    )
    for day in (date(2024, 7, 2), date(2024, 7, 3)):
        HoursEntry.objects.create(placement=placement, day=day, hours=Decimal(4), recorded_by=beata)
    for who, kind, day, attended in (
        ("anna", "legal", date(2024, 4, 10), True),
        ("franciszka", "psychologist", date(2024, 11, 20), True),
        ("edward", "career", date(2024, 6, 1), False),
    ):
        Appointment.objects.create(
            club=club,
            participant=people[who],
            staff=beata,
            kind=kind,
            starts_at=at(day, 9),
            ends_at=at(day, 10),
            attended=attended,
        )
    for full_name, sex, basis, fte, started, ended in (
        ("Maria Kowalska", "F", "employment", "1.00", date(2020, 1, 1), None),
        ("Piotr Nowak", "M", "civil", "0.25", date(2024, 3, 1), date(2024, 6, 30)),
        ("Ola Wiśniewska", "F", "volunteer", "0", date(2023, 1, 1), None),
        ("Jan Lis", "M", "volunteer", "0", date(2022, 1, 1), date(2023, 12, 31)),
        ("Tomasz Zając", "M", "employment", "0.50", date(2025, 1, 1), None),
    ):
        StaffMember(
            club=club,
            full_name=full_name,
            sex=sex,
            position="instruktor",
            basis=basis,
            fte=Decimal(fte),
            started_on=started,
            ended_on=ended,
        ).save()
    return Dataset(year=2024, club=club, beata=beata, people=people)
