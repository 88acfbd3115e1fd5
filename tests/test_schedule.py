"""The schedule: planning sessions (/zajecia/<pk>/spotkania/nowe/), week and month views, cancelling,
and individual appointments with confidential notes (/kluby/<club>/konsultacje/, /konsultacje/<pk>/)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kis.accounts.models import Role
from kis.activities.models import Activity, Appointment, Session
from kis.audit.models import AuditEvent
from kis.lib.testing import make_user

WARSAW = ZoneInfo("Europe/Warsaw")


@pytest.fixture(autouse=True)
def frozen() -> Iterator[Any]:
    """Tuesday 10 March 2026, 9:00: the world's session_a runs today 10:00–13:00."""
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=WARSAW), tick=False) as traveller:
        yield traveller


def client_for(user: Any, settings: Any) -> Client:
    settings.REQUIRE_MFA = False
    client = Client()
    client.force_login(user)
    return client


def plan_url(activity: Any) -> str:
    return f"/zajecia/{activity.pk}/spotkania/nowe/"


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=WARSAW)


def make_session(activity: Any, day: date, start: int, end: int, **fields: Any) -> Session:
    return Session.objects.create(activity=activity, starts_at=at(day, start), ends_at=at(day, end), **fields)


AUTUMN_SERIES = {
    "first_day": "2026-11-02",
    "last_day": "2026-12-31",
    "weekdays": ["2", "4", "5"],  # Wednesday, Friday, Saturday
    "start": "10:00",
    "end": "12:00",
}


def series(world: Any, **overrides: Any) -> dict[str, Any]:
    return {**AUTUMN_SERIES, "room": world.room_a.pk, "staff": world.bartek.pk, **overrides}


# --- planning: preview ------------------------------------------------------------------------


def test_the_preview_skips_polish_holidays_and_saves_nothing(world: Any, settings: Any) -> None:
    response = client_for(world.bartek, settings).post(plan_url(world.activity_a), series(world, action="preview"))
    plan = response.context["plan"]
    assert response.status_code == 200
    assert plan.skipped_holidays == [
        (date(2026, 11, 11), "Narodowe Święto Niepodległości"),
        (date(2026, 12, 25), "Boże Narodzenie (pierwszy dzień)"),
        (date(2026, 12, 26), "Boże Narodzenie (drugi dzień)"),
    ]
    days = [s.starts_at.astimezone(WARSAW).date() for s in plan.sessions]
    assert date(2026, 11, 11) not in days and date(2026, 12, 25) not in days and date(2026, 12, 26) not in days
    assert (days[0], days[-1], len(days)) == (date(2026, 11, 4), date(2026, 12, 30), 22)
    assert "Narodowe Święto Niepodległości" in response.content.decode()
    assert Session.objects.count() == 1


def test_the_preview_lists_room_and_staff_clashes_as_warnings(world: Any, settings: Any) -> None:
    other = Activity.objects.create(club=world.club_a, name="Grupa wsparcia", type="support_group")
    make_session(other, date(2026, 11, 4), 11, 13, room=world.room_a)
    make_session(other, date(2026, 11, 6), 9, 11, staff=world.bartek)
    response = client_for(world.bartek, settings).post(plan_url(world.activity_a), series(world, action="preview"))
    clashes = [(c.session.starts_at.astimezone(WARSAW).date(), c.reason) for c in response.context["plan"].clashes]
    assert clashes == [(date(2026, 11, 4), "room"), (date(2026, 11, 6), "staff")]
    html = response.content.decode()
    assert "Grupa wsparcia" in html
    assert 'name="action" value="confirm"' in html


def test_a_clash_with_another_clubs_session_does_not_reveal_its_name(world: Any, settings: Any) -> None:
    theirs = Activity.objects.create(club=world.club_b, name="Tajne warsztaty B", type="support_group")
    make_session(theirs, date(2026, 11, 4), 10, 11, staff=world.bartek)
    response = client_for(world.bartek, settings).post(plan_url(world.activity_a), series(world, action="preview"))
    assert [c.reason for c in response.context["plan"].clashes] == ["staff"]
    assert "Tajne warsztaty B" not in response.content.decode()


# --- planning: confirm --------------------------------------------------------------------------


def test_confirm_saves_exactly_the_previewed_series(world: Any, settings: Any) -> None:
    client = client_for(world.bartek, settings)
    preview = client.post(plan_url(world.activity_a), series(world, action="preview"))
    data = series(world, action="confirm", previewed=preview.context["fingerprint"])
    response = client.post(plan_url(world.activity_a), data)
    assert response.status_code == 302
    saved = Session.objects.filter(activity=world.activity_a).exclude(pk=world.session_a.pk)
    assert saved.count() == 22
    assert len({s.series for s in saved}) == 1
    assert {(s.room_id, s.staff_id) for s in saved} == {(world.room_a.pk, world.bartek.pk)}
    first = saved.order_by("starts_at").first()
    assert first is not None and first.starts_at == at(date(2026, 11, 4), 10)
    assert not saved.filter(starts_at__date__in=[date(2026, 11, 11), date(2026, 12, 25), date(2026, 12, 26)]).exists()
    event = AuditEvent.objects.get(action="session.scheduled")
    assert event.details["count"] == 22


def test_confirm_after_a_change_shows_the_preview_again(world: Any, settings: Any) -> None:
    client = client_for(world.bartek, settings)
    preview = client.post(plan_url(world.activity_a), series(world, action="preview"))
    data = series(world, action="confirm", previewed=preview.context["fingerprint"], end="13:00")
    response = client.post(plan_url(world.activity_a), data)
    assert response.status_code == 200
    assert response.context["plan"].sessions[0].ends_at == at(date(2026, 11, 4), 13)
    assert Session.objects.count() == 1


def test_a_one_off_session_is_saved_on_its_day(world: Any, settings: Any) -> None:
    client = client_for(world.alicja, settings)
    data = {"first_day": "2026-03-17", "start": "16:00", "end": "17:30", "room": world.room_a.pk}
    preview = client.post(plan_url(world.activity_a), {**data, "action": "preview"})
    assert [s.starts_at for s in preview.context["plan"].sessions] == [at(date(2026, 3, 17), 16)]
    response = client.post(
        plan_url(world.activity_a), {**data, "action": "confirm", "previewed": preview.context["fingerprint"]}
    )
    assert response.status_code == 302
    session = Session.objects.get(starts_at=at(date(2026, 3, 17), 16))
    assert (session.ends_at, session.series, session.staff) == (at(date(2026, 3, 17), 17, 30), "", None)


# --- planning: bad input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"end": "09:00"}, "end", "ends_before_start"),
        ({"end": "10:00"}, "end", "ends_before_start"),
        ({"last_day": "01.11.2026"}, "last_day", "last_day_before_first"),
        ({"last_day": "02.11.2027"}, "last_day", "series_too_long"),
        ({"weekdays": []}, "weekdays", "weekday_required"),
        ({"first_day": "11.11.2026", "last_day": ""}, "first_day", "holiday"),
        ({"first_day": "31.02.2026"}, "first_day", "invalid"),
        ({"start": "25:00"}, "start", "invalid"),
    ],
)
def test_bad_input_is_refused_with_a_field_error_and_nothing_saved(
    world: Any, settings: Any, overrides: dict[str, Any], field: str, code: str
) -> None:
    client = client_for(world.bartek, settings)
    for action in ("preview", "confirm"):
        response = client.post(plan_url(world.activity_a), series(world, action=action, **overrides))
        assert response.status_code == 400
        assert response.context["form"].has_error(field, code=code)
    assert Session.objects.count() == 1


def test_a_one_off_session_on_a_holiday_says_which_holiday_in_polish(world: Any, settings: Any) -> None:
    data = {"first_day": "2026-12-25", "start": "10:00", "end": "11:00", "action": "preview"}
    response = client_for(world.bartek, settings).post(plan_url(world.activity_a), data)
    assert "25.12.2026" in response.content.decode()
    assert "Boże Narodzenie (pierwszy dzień)" in response.content.decode()


def test_a_series_of_exactly_one_year_less_a_day_is_accepted(world: Any, settings: Any) -> None:
    data = series(world, first_day="2026-03-16", last_day="2027-03-15", weekdays=["0"], action="preview")
    response = client_for(world.bartek, settings).post(plan_url(world.activity_a), data)
    assert response.status_code == 200
    assert len(response.context["plan"].sessions) == 52  # 53 Mondays less Easter Monday
    assert response.context["plan"].skipped_holidays == [(date(2026, 4, 6), "Poniedziałek Wielkanocny")]


# --- week and month views -----------------------------------------------------------------------


def test_the_week_view_shows_this_weeks_sessions_linked_to_their_attendance_sheets(world: Any, settings: Any) -> None:
    make_session(world.activity_a, date(2026, 3, 12), 10, 13, room=world.room_a)
    make_session(world.activity_a, date(2026, 3, 17), 10, 13)  # next week
    response = client_for(world.bartek, settings).get(f"/kluby/{world.club_a.pk}/harmonogram/")
    week = response.context["week"]
    assert week.monday == date(2026, 3, 9)
    assert [len(day.sessions) for day in week.days] == [0, 1, 0, 1, 0, 0, 0]
    assert f'href="/spotkania/{world.session_a.pk}/obecnosc/"' in response.content.decode()


def test_the_week_view_shows_the_week_asked_for_and_names_holidays(world: Any, settings: Any) -> None:
    client = client_for(world.bartek, settings)
    response = client.get(f"/kluby/{world.club_a.pk}/harmonogram/", {"tydzien": "2026-11-12"})
    week = response.context["week"]
    assert week.monday == date(2026, 11, 9)
    assert week.days[2].holiday == "Narodowe Święto Niepodległości"
    assert "Narodowe Święto Niepodległości" in response.content.decode()
    fallback = client.get(f"/kluby/{world.club_a.pk}/harmonogram/", {"tydzien": "nonsense"})
    assert fallback.context["week"].monday == date(2026, 3, 9)


def test_the_month_view_shows_the_whole_month_in_weeks(world: Any, settings: Any) -> None:
    make_session(world.activity_a, date(2026, 11, 30), 10, 12)
    response = client_for(world.alicja, settings).get(
        f"/kluby/{world.club_a.pk}/harmonogram/miesiac/", {"miesiac": "2026-11"}
    )
    month = response.context["month"]
    assert (month.first, month.previous, month.next) == (date(2026, 11, 1), date(2026, 10, 1), date(2026, 12, 1))
    assert month.weeks[0][0].day == date(2026, 10, 26)
    assert month.weeks[-1][-1].day == date(2026, 12, 6)
    last_monday = month.weeks[-1][0]
    assert (last_monday.day, last_monday.in_month, len(last_monday.sessions)) == (date(2026, 11, 30), True, 1)
    assert month.weeks[-1][1].in_month is False


def test_the_calendar_query_count_does_not_grow_with_sessions(world: Any, settings: Any) -> None:
    client = client_for(world.bartek, settings)
    week_url = f"/kluby/{world.club_a.pk}/harmonogram/"
    month_url = f"/kluby/{world.club_a.pk}/harmonogram/miesiac/"
    client.get(week_url)
    with CaptureQueriesContext(connection) as week_few:
        client.get(week_url)
    with CaptureQueriesContext(connection) as month_few:
        client.get(month_url)
    other = Activity.objects.create(club=world.club_a, name="Grupa wsparcia", type="support_group", staff=world.alicja)
    for day in range(9, 16):
        make_session(other, date(2026, 3, day), 14, 16, room=world.room_a, staff=world.alicja)
        make_session(world.activity_a, date(2026, 3, day), 8, 9, staff=world.bartek)
    with CaptureQueriesContext(connection) as week_many:
        response = client.get(week_url)
    assert sum(len(day.sessions) for day in response.context["week"].days) == 15
    with CaptureQueriesContext(connection) as month_many:
        client.get(month_url)
    assert len(week_many) == len(week_few) <= 10
    assert len(month_many) == len(month_few) <= 10


def test_the_desk_uses_the_attendance_screens_not_the_schedule(world: Any, settings: Any) -> None:
    client = client_for(world.dorota, settings)
    assert client.get(f"/kluby/{world.club_a.pk}/harmonogram/").status_code == 403
    assert client.get(plan_url(world.activity_a)).status_code == 403


# --- cancelling ---------------------------------------------------------------------------------


def test_it_cancels_a_future_session_and_audits_it(world: Any, settings: Any) -> None:
    response = client_for(world.bartek, settings).post(f"/spotkania/{world.session_a.pk}/odwolaj/")
    assert response.status_code == 302
    assert response["Location"] == f"/kluby/{world.club_a.pk}/harmonogram/?tydzien=2026-03-10"
    world.session_a.refresh_from_db()
    assert world.session_a.cancelled is True
    assert AuditEvent.objects.filter(action="session.cancelled", target_id=str(world.session_a.pk)).exists()


def test_a_session_that_has_started_cannot_be_cancelled(world: Any, settings: Any, frozen: Any) -> None:
    frozen.move_to(datetime(2026, 3, 10, 10, 30, tzinfo=WARSAW))
    client_for(world.bartek, settings).post(f"/spotkania/{world.session_a.pk}/odwolaj/")
    world.session_a.refresh_from_db()
    assert world.session_a.cancelled is False


def test_a_cancelled_session_is_no_longer_a_clash(world: Any, settings: Any) -> None:
    other = Activity.objects.create(club=world.club_a, name="Grupa wsparcia", type="support_group")
    clashing = make_session(other, date(2026, 11, 4), 10, 12, room=world.room_a)
    client = client_for(world.bartek, settings)
    client.post(f"/spotkania/{clashing.pk}/odwolaj/")
    response = client.post(plan_url(world.activity_a), series(world, action="preview"))
    assert response.context["plan"].clashes == []


# --- appointments -------------------------------------------------------------------------------


def appointments_url(club: Any) -> str:
    return f"/kluby/{club.pk}/konsultacje/"


BOOKING = {"kind": "psychologist", "day": "2026-03-12", "starts": "12:00", "ends": "13:00"}


def test_it_books_an_appointment_and_audits_it(world: Any, settings: Any) -> None:
    data = {**BOOKING, "participant": world.jan.pk, "staff": world.bartek.pk}
    response = client_for(world.alicja, settings).post(appointments_url(world.club_a), data)
    assert response.status_code == 302
    appointment = Appointment.objects.get(kind="psychologist")
    assert (appointment.club, appointment.participant, appointment.staff) == (world.club_a, world.jan, world.bartek)
    assert (appointment.starts_at, appointment.ends_at) == (at(date(2026, 3, 12), 12), at(date(2026, 3, 12), 13))
    assert AuditEvent.objects.filter(action="appointment.booked", target_id=str(appointment.pk)).exists()


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"ends": "11:00"}, "ends", "ends_before_start"),
        ({"day": "2026-05-01"}, "day", "holiday"),
        ({"day": "2026-03-10", "starts": "12:00", "ends": "13:30"}, "staff", "staff_clash"),  # session_a until 13:00
        ({"day": "2026-03-10", "starts": "14:30", "ends": "15:30"}, "staff", "staff_clash"),  # appointment_a
    ],
)
def test_a_bad_booking_is_refused_and_nothing_saved(
    world: Any, settings: Any, overrides: dict[str, str], field: str, code: str
) -> None:
    data = {**BOOKING, "participant": world.jan.pk, "staff": world.bartek.pk, **overrides}
    response = client_for(world.alicja, settings).post(appointments_url(world.club_a), data)
    assert response.status_code == 400
    assert response.context["form"].has_error(field, code=code)
    assert Appointment.objects.count() == 1


def test_the_note_is_encrypted_at_rest(world: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM activities_appointment WHERE id = %s", [world.appointment_a.pk])
        (stored,) = cursor.fetchone()
    assert stored.startswith("gAAAA")
    assert "czynszowe" not in stored


def test_the_staff_member_and_the_leader_read_the_note_and_each_read_is_audited(world: Any, settings: Any) -> None:
    url = f"/konsultacje/{world.appointment_a.pk}/"
    for reader in (world.bartek, world.alicja):
        response = client_for(reader, settings).get(url)
        assert "Zaległości czynszowe" in response.content.decode()
    readers = AuditEvent.objects.filter(action="appointment.note_read", target_id=str(world.appointment_a.pk))
    assert sorted(readers.values_list("actor_id", flat=True)) == sorted([world.bartek.pk, world.alicja.pk])


def test_other_staff_see_the_appointment_but_not_the_note(world: Any, settings: Any) -> None:
    ola = make_user("ola@example.pl", "Ola Psycholog", {"role": Role.STAFF, "club": world.club_a})
    client = client_for(ola, settings)
    url = f"/konsultacje/{world.appointment_a.pk}/"
    response = client.get(url)
    assert response.status_code == 200
    assert "Zaległości czynszowe" not in response.content.decode()
    assert response.context["form"] is None
    assert client.post(url, {"note": "nadpisane", "attended": "true"}).status_code == 403
    world.appointment_a.refresh_from_db()
    assert world.appointment_a.note == "Zaległości czynszowe: pomoc w piśmie do spółdzielni."
    assert not AuditEvent.objects.filter(action="appointment.note_read", actor_id=ola.pk).exists()
    assert "Zaległości" not in client.get(appointments_url(world.club_a)).content.decode()


def test_the_staff_member_records_the_outcome_and_the_audit_redacts_the_note(world: Any, settings: Any) -> None:
    url = f"/konsultacje/{world.appointment_a.pk}/"
    response = client_for(world.bartek, settings).post(url, {"attended": "true", "note": "Pismo wysłane 10.03."})
    assert response.status_code == 302
    world.appointment_a.refresh_from_db()
    assert (world.appointment_a.attended, world.appointment_a.note) == (True, "Pismo wysłane 10.03.")
    event = AuditEvent.objects.get(action="appointment.updated")
    assert event.details["changes"]["note"] == "[redacted]"
    assert "Pismo" not in str(event.details)


def test_the_appointment_list_query_count_does_not_grow(world: Any, settings: Any) -> None:
    client = client_for(world.alicja, settings)
    url = appointments_url(world.club_a)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for day in range(11, 21):
        Appointment.objects.create(
            club=world.club_a,
            participant=world.jan,
            staff=world.alicja,
            kind="career",
            starts_at=at(date(2026, 3, day), 9),
            ends_at=at(date(2026, 3, day), 10),
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["appointments"]) == 11
    assert len(many) == len(few) <= 10
