"""Attendance feeds the case: work sessions fill the hours card; rates meet the contract's clauses and the plan."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from kis.activities.models import Activity, Attendance, Enrolment, HoursEntry, Placement, Session
from kis.audit.models import AuditEvent
from kis.contracts.models import ContractClause

WARSAW = ZoneInfo("Europe/Warsaw")
TODAY = date(2026, 3, 10)  # a Tuesday


@pytest.fixture(autouse=True)
def frozen() -> Iterator[Any]:
    with time_machine.travel(datetime(2026, 3, 10, 15, 0, tzinfo=WARSAW), tick=False) as traveller:
        yield traveller


def client_for(user: Any, settings: Any) -> Client:
    settings.REQUIRE_MFA = False
    client = Client()
    client.force_login(user)
    return client


def at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def psu(world: Any) -> Activity:
    """Club A's socially useful work in the park, Jan enrolled; his PSU placement (world) covers March."""
    activity = Activity.objects.create(club=world.club_a, name="Prace porządkowe w Parku Strzeleckim", type="psu")
    Enrolment.objects.create(activity=activity, participant=world.jan, enrolled_on=date(2026, 2, 1))
    return activity


def work_session(activity: Activity, day: date, start: int, end: int) -> Session:
    return Session.objects.create(activity=activity, starts_at=at(day, start), ends_at=at(day, end))


def card_day(world: Any, day: date) -> Decimal | None:
    entry = HoursEntry.objects.filter(placement=world.placement_a, day=day).first()
    return entry.hours if entry else None


def test_a_work_sessions_register_fills_and_corrects_the_hours_card(world: Any, psu: Activity, settings: Any) -> None:
    session = work_session(psu, TODAY, 8, 12)
    bartek = client_for(world.bartek, settings)
    url = f"/spotkania/{session.pk}/obecnosc/"

    assert bartek.post(url, {f"status-{world.jan.pk}": "present"}).status_code == 302
    assert card_day(world, TODAY) == Decimal(4)

    assert bartek.post(url, {f"status-{world.jan.pk}": "present", f"hours-{world.jan.pk}": "2.5"}).status_code == 302
    assert card_day(world, TODAY) == Decimal("2.5")
    card = bartek.get(f"/uczestnicy/{world.jan.pk}/godziny/{world.placement_a.pk}/2026-03/")
    assert card.context["card"].saved == {TODAY: Decimal("2.5")}

    assert bartek.post(url, {f"status-{world.jan.pk}": "excused"}).status_code == 302
    assert card_day(world, TODAY) is None
    assert AuditEvent.objects.filter(action="hours.deleted").exists()


def test_two_work_sessions_of_a_day_add_up_on_the_card(world: Any, psu: Activity, settings: Any) -> None:
    morning, afternoon = work_session(psu, TODAY, 8, 10), work_session(psu, TODAY, 11, 13)
    bartek = client_for(world.bartek, settings)
    bartek.post(f"/spotkania/{morning.pk}/obecnosc/", {f"status-{world.jan.pk}": "present"})
    bartek.post(
        f"/spotkania/{afternoon.pk}/obecnosc/", {f"status-{world.jan.pk}": "present", f"hours-{world.jan.pk}": "1.5"}
    )
    assert card_day(world, TODAY) == Decimal("3.5")


def test_a_workshop_does_not_touch_the_hours_card(world: Any, settings: Any) -> None:
    session = work_session(world.activity_a, TODAY, 10, 13)
    client_for(world.bartek, settings).post(f"/spotkania/{session.pk}/obecnosc/", {f"status-{world.jan.pk}": "present"})
    assert Attendance.objects.filter(session=session, status="present").exists()
    assert card_day(world, TODAY) is None


def test_without_a_placement_covering_the_day_only_attendance_is_saved(
    world: Any, psu: Activity, settings: Any
) -> None:
    Placement.objects.filter(pk=world.placement_a.pk).update(starts_on=date(2026, 4, 1))
    session = work_session(psu, TODAY, 8, 12)
    client_for(world.bartek, settings).post(f"/spotkania/{session.pk}/obecnosc/", {f"status-{world.jan.pk}": "present"})
    assert Attendance.objects.get(session=session).status == "present"
    assert not HoursEntry.objects.filter(day=TODAY).exists()


def test_a_register_past_the_weekly_cap_saves_nothing(world: Any, psu: Activity, settings: Any) -> None:
    """Monday already has 8 h; 4 more on Tuesday would pass the 10 h weekly cap of PSU."""
    HoursEntry.objects.create(
        placement=world.placement_a, day=date(2026, 3, 9), hours=Decimal(8), recorded_by=world.bartek
    )
    session = work_session(psu, TODAY, 8, 12)
    response = client_for(world.bartek, settings).post(
        f"/spotkania/{session.pk}/obecnosc/", {f"status-{world.jan.pk}": "present"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tydzień 09.03.2026–15.03.2026: 12 h, ponad limit 10 h." in page
    assert "kierownik klubu może zatwierdzić godziny ponad limit" in page
    assert not Attendance.objects.filter(session=session).exists()
    assert card_day(world, TODAY) is None


def test_a_row_past_the_cap_comes_back_with_its_message(world: Any, psu: Activity, settings: Any) -> None:
    HoursEntry.objects.create(
        placement=world.placement_a, day=date(2026, 3, 9), hours=Decimal(8), recorded_by=world.bartek
    )
    session = work_session(psu, TODAY, 8, 12)
    response = client_for(world.dorota, settings).post(
        f"/spotkania/{session.pk}/obecnosc/{world.jan.pk}/",
        {f"status-{world.jan.pk}": "present"},
        headers={"HX-Request": "true", "HX-Trigger-Name": f"status-{world.jan.pk}"},
    )
    assert response.status_code == 200
    assert "ponad limit 10 h" in response.content.decode()
    assert not Attendance.objects.filter(session=session).exists()


# --------------------------------------------------------------------------- the contract and the plan


def mark(world: Any, statuses: list[str]) -> None:
    for number, status in enumerate(statuses, start=2):
        day = date(2026, 3, number)
        session = Session.objects.create(activity=world.activity_a, starts_at=at(day, 10), ends_at=at(day, 12))
        Attendance.objects.create(
            session=session, participant=world.jan, status=status, hours=Decimal(2), updated_by=world.bartek
        )


def test_an_attendance_clause_shows_its_rate_and_band(world: Any, settings: Any) -> None:
    """Jan's contract (world) is in force; 3 of 4 workshops attended is 75 %: below the 80 % the clause asks."""
    mark(world, ["present", "present", "unexcused", "present"])
    bartek = client_for(world.bartek, settings)
    response = bartek.post(
        f"/kontrakty/{world.contract_a.pk}/klauzule/",
        {"action": "Udział w co najmniej 80 % warsztatów", "responsible": "participant", "attendance_threshold": "80"},
    )
    assert response.status_code == 302
    clause = ContractClause.objects.get(action="Udział w co najmniej 80 % warsztatów")
    assert clause.attendance_threshold == 80
    page = bartek.get(f"/kontrakty/{world.contract_a.pk}/").content.decode()
    assert "75 % (3/4) · ⚠ poniżej 80 %" in page

    mark_more = Session.objects.create(activity=world.activity_a, starts_at=at(TODAY, 10), ends_at=at(TODAY, 12))
    Attendance.objects.create(
        session=mark_more, participant=world.jan, status="present", hours=2, updated_by=world.bartek
    )
    page = bartek.get(f"/kontrakty/{world.contract_a.pk}/").content.decode()
    assert "80 % (4/5) · ✔ spełnia próg 80 %" in page


def test_a_threshold_outside_1_to_100_is_refused(world: Any, settings: Any) -> None:
    response = client_for(world.bartek, settings).post(
        f"/kontrakty/{world.contract_a.pk}/klauzule/",
        {"action": "Udział w zajęciach", "responsible": "participant", "attendance_threshold": "120"},
    )
    assert not ContractClause.objects.filter(action="Udział w zajęciach").exists()
    assert response.status_code in (302, 400)


def test_the_plan_shows_attendance_per_activity_against_the_strictest_clause(world: Any, settings: Any) -> None:
    mark(world, ["present", "present", "present", "unexcused"])
    ContractClause.objects.create(
        contract=world.contract_a,
        action="Udział we wszystkich zajęciach",
        responsible="participant",
        attendance_threshold=100,
    )
    page = client_for(world.bartek, settings).get(f"/uczestnicy/{world.jan.pk}/plan/").content.decode()
    assert "Warsztaty kompetencji społecznych: <span" in page
    assert "75 % (3/4) · ✘ znacznie poniżej 100 %" in page
