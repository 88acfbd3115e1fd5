"""Reminders of the report deadline: which clubs, when, the e-mail, the task, the command, the dashboard."""

from __future__ import annotations

from datetime import date, datetime
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import Client

from kis.lib.testing_reports import Dataset, make_report_dataset
from kis.reports import reminders, services
from kis.reports.models import ReportDeadline, ReportReminder
from kis.reports.tasks import send_report_reminders

WARSAW = ZoneInfo("Europe/Warsaw")


def on(day: str) -> Any:
    return time_machine.travel(datetime.fromisoformat(day).replace(hour=7, tzinfo=WARSAW), tick=False)


@pytest.fixture
def data(world: Any) -> Dataset:
    return make_report_dataset(world)


@pytest.mark.parametrize(
    ("days_left", "point"),
    [
        (30, None),
        (15, None),
        (14, "d14"),
        (8, "d14"),
        (7, "d7"),
        (2, "d7"),
        (1, "d1"),
        (0, "d1"),
        (-1, "late"),
        (-40, "late"),
    ],
)
def test_the_reminder_points(days_left: int, point: str | None) -> None:
    assert reminders.point_for(days_left, 14) == point


def test_a_short_first_reminder_keeps_the_later_points() -> None:
    assert [reminders.point_for(d, 3) for d in (4, 3, 2, 1)] == [None, "d3", "d3", "d1"]


def test_clubs_without_a_submitted_report_are_reminded(data: Dataset, world: Any) -> None:
    report = services.get_or_start(club=data.club, year=2024, by=data.beata)
    services.mark_checked(report=report, by=data.beata)
    services.submit(report=report, by=data.beata)
    due = {item.club.name: item.point for item in reminders.due(date(2025, 3, 17))}
    assert due == {"KIS Przystań": "d14", "KIS Krok dalej": "d14"}  # Club B submitted
    services.return_for_correction(report=report, comment="Popraw grupy.", by=world.wiktor)
    assert {item.club.name for item in reminders.due(date(2025, 3, 17))} == {
        "KIS Przystań",
        "KIS Stary Sącz",
        "KIS Krok dalej",
    }
    assert reminders.due(date(2025, 3, 16)) == []


def test_leaders_get_one_e_mail_per_point_and_reruns_send_nothing(data: Dataset, world: Any) -> None:
    sent = reminders.send(date(2025, 3, 17))
    assert len(sent) == 3
    assert sorted(m.to[0] for m in mail.outbox) == ["alicja@example.pl", "beata@example.pl"]  # Club C has no leader
    message = next(m for m in mail.outbox if m.to == ["alicja@example.pl"])
    assert message.subject == "Sprawozdanie KIS Przystań za 2024: termin 31.03.2025"
    assert "trzeba złożyć w urzędzie wojewódzkim do 31.03.2025" in message.body
    assert f"/kluby/{world.club_a.pk}/sprawozdania/2024/" in message.body
    assert ReportReminder.objects.get(club=world.club_a, year=2024).point == "d14"
    mail.outbox.clear()
    assert reminders.send(date(2025, 3, 17)) == []
    assert reminders.send(date(2025, 3, 20)) == []  # still within the 14-day point
    assert len(reminders.send(date(2025, 3, 24))) == 3  # 7 days before
    mail.outbox.clear()
    reminders.send(date(2025, 4, 1))
    late = next(m for m in mail.outbox if m.to == ["alicja@example.pl"])
    assert late.subject == "Sprawozdanie KIS Przystań za 2024 po terminie"
    assert "Termin minął, a sprawozdanie nie zostało złożone." in late.body


def test_the_offices_deadline_moves_the_reminders(world: Any) -> None:
    ReportDeadline.objects.create(voivodeship="12", month=1, day=31, remind_days=10)
    due = {item.club.name: (item.point, item.deadline) for item in reminders.due(date(2025, 1, 21))}
    assert due == {"KIS Przystań": ("d10", date(2025, 1, 31)), "KIS Stary Sącz": ("d10", date(2025, 1, 31))}


def test_the_daily_task_and_the_command_send_the_same_reminders(world: Any) -> None:
    with on("2025-03-17"):
        result = send_report_reminders.enqueue()
    assert result.return_value == 3
    assert len(mail.outbox) == 1  # alicja, the only leader in the world
    out = StringIO()
    call_command("report_reminders", "--date", "2025-03-24", "--dry-run", stdout=out)
    assert "3 reminder(s) would be sent." in out.getvalue()
    assert "KIS Przystań: 2024, d7, deadline 2025-03-31" in out.getvalue()
    assert len(mail.outbox) == 1
    out = StringIO()
    call_command("report_reminders", "--date", "2025-03-24", stdout=out)
    assert "3 reminder(s) sent." in out.getvalue()
    assert len(mail.outbox) == 2


def test_the_leaders_dashboard_shows_the_deadline(world: Any, settings: Any) -> None:
    settings.REQUIRE_MFA = False
    with on("2025-03-20"):
        client = Client()
        client.force_login(world.alicja)
        page = client.get("/").content.decode()
    assert "KIS Przystań: sprawozdanie za 2024 trzeba złożyć do 31.03.2025, za 11 dni." in page
    with on("2025-04-02"):
        client = Client()
        client.force_login(world.alicja)
        page = client.get("/").content.decode()
    assert "KIS Przystań: sprawozdanie za 2024 należało złożyć do 31.03.2025 i nie zostało złożone." in page
    with on("2025-01-10"):
        client = Client()
        client.force_login(world.alicja)
        page = client.get("/").content.decode()
    assert "trzeba złożyć" not in page
    assert "Sprawozdania roczne za 2024" in page
