"""The attendance register: /spotkania/<pk>/obecnosc/ and its rows, and the desk's day page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kis.activities.models import Activity, Attendance, Enrolment, Session
from kis.audit.models import AuditEvent
from kis.lib.testing import make_participant

WARSAW = ZoneInfo("Europe/Warsaw")
NINETEEN = [
    ("Anna", "Zielińska"),
    ("Piotr", "Wójcik"),
    ("Katarzyna", "Kamińska"),
    ("Tomasz", "Lewandowski"),
    ("Magdalena", "Dąbrowska"),
    ("Marcin", "Kozłowski"),
    ("Agnieszka", "Jankowska"),
    ("Paweł", "Mazur"),
    ("Joanna", "Krawczyk"),
    ("Michał", "Piotrowski"),
    ("Monika", "Grabowska"),
    ("Krzysztof", "Pawłowski"),
    ("Barbara", "Michalska"),
    ("Andrzej", "Król"),
    ("Elżbieta", "Wieczorek"),
    ("Grzegorz", "Jabłoński"),
    ("Małgorzata", "Wróbel"),
    ("Stanisław", "Majewski"),
    ("Zofia", "Olszewska"),
]


@pytest.fixture(autouse=True)
def frozen() -> Iterator[Any]:
    """Tuesday 10 March 2026, 9:00: the world's session_a runs today 10:00–13:00 (3 h)."""
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=WARSAW), tick=False) as traveller:
        yield traveller


def client_for(user: Any, settings: Any) -> Client:
    settings.REQUIRE_MFA = False
    client = Client()
    client.force_login(user)
    return client


def enrol(world: Any, names: list[tuple[str, str]], activity: Activity | None = None) -> list[Any]:
    people = []
    for first_name, last_name in names:
        person = make_participant(world.club_a, first_name, last_name, status="active", joined_on=date(2026, 2, 1))
        Enrolment.objects.create(
            activity=activity or world.activity_a, participant=person, enrolled_on=date(2026, 2, 1)
        )
        people.append(person)
    return people


@pytest.fixture
def twenty(world: Any) -> list[Any]:
    """Jan and nineteen others enrolled in the world's workshop."""
    return [world.jan, *enrol(world, NINETEEN)]


def sheet_url(session: Session) -> str:
    return f"/spotkania/{session.pk}/obecnosc/"


def row_url(session: Session, participant: Any) -> str:
    return f"/spotkania/{session.pk}/obecnosc/{participant.pk}/"


def htmx_row(client: Client, session: Session, participant: Any, data: dict[str, str], trigger: str) -> Any:
    return client.post(row_url(session, participant), data, headers={"HX-Request": "true", "HX-Trigger-Name": trigger})


def test_the_desk_marks_twenty_participants_and_corrects_one(world: Any, twenty: list[Any], settings: Any) -> None:
    """Dorota (front desk) takes the whole list in one save, then fixes one row in place."""
    dorota = client_for(world.dorota, settings)
    session = world.session_a
    response = dorota.get(sheet_url(session))
    assert response.status_code == 200
    assert response.context["enrolled"] == 20
    assert b"0/20" in response.content
    zofia, piotr = twenty[-1], twenty[2]
    data = {f"status-{p.pk}": "present" for p in twenty}
    data[f"status-{zofia.pk}"] = "excused"
    data[f"status-{piotr.pk}"] = "unexcused"
    response = dorota.post(sheet_url(session), data)
    assert response.status_code == 302
    assert Attendance.objects.filter(session=session).count() == 20
    assert Attendance.objects.filter(session=session, status="present", hours=Decimal(3)).count() == 18
    assert Attendance.objects.get(session=session, participant=zofia).hours == Decimal(0)
    assert b"18/20" in dorota.get(sheet_url(session)).content

    response = htmx_row(dorota, session, world.jan, {f"status-{world.jan.pk}": "excused"}, f"status-{world.jan.pk}")
    assert response.status_code == 200
    assert f'id="p-{world.jan.pk}"'.encode() in response.content
    assert b'id="register-summary" class="register-summary" hx-swap-oob="true"><strong>17/20' in response.content
    jan = Attendance.objects.get(session=session, participant=world.jan)
    assert (jan.status, jan.hours, jan.updated_by) == ("excused", Decimal(0), world.dorota)
    assert Attendance.objects.filter(session=session).count() == 20
    assert AuditEvent.objects.filter(action="attendance.saved", target_id=str(session.pk)).count() == 2
    assert not AuditEvent.objects.filter(action="attendance.corrected").exists()


def test_a_row_set_to_present_gets_the_sessions_hours_and_keeps_typed_hours(world: Any, settings: Any) -> None:
    bartek = client_for(world.bartek, settings)
    session, pk = world.session_a, world.jan.pk
    htmx_row(bartek, session, world.jan, {f"status-{pk}": "present", f"hours-{pk}": "0"}, f"status-{pk}")
    assert Attendance.objects.get(session=session, participant=world.jan).hours == Decimal(3)
    htmx_row(bartek, session, world.jan, {f"status-{pk}": "present", f"hours-{pk}": "2,5"}, f"hours-{pk}")
    assert Attendance.objects.get(session=session, participant=world.jan).hours == Decimal("2.5")


def test_everyone_present_marks_the_rest_present(world: Any, twenty: list[Any], settings: Any) -> None:
    """One click marks everyone not yet marked as present for the whole session; ticked rows keep their mark."""
    alicja = client_for(world.alicja, settings)
    zofia = twenty[-1]
    response = alicja.post(sheet_url(world.session_a), {"everyone_present": "1", f"status-{zofia.pk}": "excused"})
    assert response.status_code == 302
    rows = Attendance.objects.filter(session=world.session_a)
    assert rows.count() == 20
    assert rows.filter(status="present", hours=Decimal(3)).count() == 19
    assert rows.get(participant=zofia).status == "excused"


def test_a_double_submit_keeps_one_row_per_participant(world: Any, twenty: list[Any], settings: Any) -> None:
    dorota = client_for(world.dorota, settings)
    data = {f"status-{p.pk}": "present" for p in twenty}
    assert dorota.post(sheet_url(world.session_a), data).status_code == 302
    assert dorota.post(sheet_url(world.session_a), data).status_code == 302
    pk = world.jan.pk
    htmx_row(dorota, world.session_a, world.jan, {f"status-{pk}": "present"}, f"status-{pk}")
    htmx_row(dorota, world.session_a, world.jan, {f"status-{pk}": "present"}, f"status-{pk}")
    assert Attendance.objects.filter(session=world.session_a).count() == 20
    assert Attendance.objects.filter(session=world.session_a, participant=world.jan).count() == 1
    # The second submit changed nothing, so nothing more was recorded.
    assert AuditEvent.objects.filter(action="attendance.saved").count() == 1


def test_a_correction_after_the_day_is_audited(world: Any, frozen: Any, settings: Any) -> None:
    bartek = client_for(world.bartek, settings)
    pk = world.jan.pk
    bartek.post(sheet_url(world.session_a), {f"status-{pk}": "present"})
    frozen.move_to(datetime(2026, 3, 12, 8, 30, tzinfo=WARSAW))
    bartek.force_login(world.bartek)  # a new working day, a new login
    response = bartek.post(sheet_url(world.session_a), {f"status-{pk}": "unexcused"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="attendance.corrected")
    assert event.actor_id == world.bartek.pk
    assert event.details["corrections"] == [{"participant": pk, "from": ["present", "3.00"], "to": ["unexcused", "0"]}]
    assert Attendance.objects.get(session=world.session_a, participant=world.jan).status == "unexcused"


def test_hours_above_the_session_length_refuse_the_whole_sheet(world: Any, twenty: list[Any], settings: Any) -> None:
    dorota = client_for(world.dorota, settings)
    data = {f"status-{p.pk}": "present" for p in twenty}
    data[f"hours-{world.jan.pk}"] = "3.5"
    response = dorota.post(sheet_url(world.session_a), data)
    assert response.status_code == 400
    assert response.context["form"].has_error(f"hours-{world.jan.pk}", code="over_session")
    assert "Najwyżej 3 h – tyle trwa spotkanie." in response.content.decode()
    assert not Attendance.objects.exists()


def test_negative_hours_refuse_the_whole_sheet(world: Any, twenty: list[Any], settings: Any) -> None:
    dorota = client_for(world.dorota, settings)
    data = {f"status-{p.pk}": "present" for p in twenty}
    data[f"hours-{twenty[5].pk}"] = "-1"
    response = dorota.post(sheet_url(world.session_a), data)
    assert response.status_code == 400
    assert response.context["form"].has_error(f"hours-{twenty[5].pk}", code="negative")
    assert not Attendance.objects.exists()


def test_a_wrong_row_comes_back_with_its_message_and_saves_nothing(world: Any, settings: Any) -> None:
    dorota = client_for(world.dorota, settings)
    pk = world.jan.pk
    response = htmx_row(
        dorota, world.session_a, world.jan, {f"status-{pk}": "present", f"hours-{pk}": "7"}, f"hours-{pk}"
    )
    assert response.status_code == 200
    assert b'aria-invalid="true"' in response.content
    assert not Attendance.objects.exists()


def test_a_session_of_another_day_in_the_future_is_not_marked(world: Any, settings: Any) -> None:
    tomorrow = Session.objects.create(
        activity=world.activity_a,
        starts_at=timezone.make_aware(datetime.combine(date(2026, 3, 11), time(10))),
        ends_at=timezone.make_aware(datetime.combine(date(2026, 3, 11), time(12))),
    )
    alicja = client_for(world.alicja, settings)
    assert alicja.post(sheet_url(tomorrow), {f"status-{world.jan.pk}": "present"}).status_code == 302
    assert not Attendance.objects.exists()


def test_the_sheet_needs_the_same_queries_for_5_and_20_participants(world: Any, settings: Any) -> None:
    small = Session.objects.create(
        activity=Activity.objects.create(club=world.club_a, name="Grupa wsparcia", type="support_group"),
        starts_at=timezone.make_aware(datetime.combine(date(2026, 3, 10), time(14))),
        ends_at=timezone.make_aware(datetime.combine(date(2026, 3, 10), time(16))),
    )
    enrol(world, NINETEEN[:5], activity=small.activity)
    enrol(world, NINETEEN[5:])  # the world's workshop: Jan and 14 others…
    enrol(world, [("Ewelina", "Sowa"), ("Adam", "Nowicki"), ("Iga", "Kot"), ("Olaf", "Lis"), ("Ula", "Kruk")])
    alicja = client_for(world.alicja, settings)
    alicja.post(sheet_url(world.session_a), {f"status-{world.jan.pk}": "present"})
    counts = []
    for session, expected in ((small, 5), (world.session_a, 20)):
        with CaptureQueriesContext(connection) as queries:
            response = alicja.get(sheet_url(session))
        assert response.context["enrolled"] == expected
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[1] <= 10


def test_the_desks_day_lists_todays_sessions_with_their_sheets(world: Any, settings: Any) -> None:
    dorota = client_for(world.dorota, settings)
    with CaptureQueriesContext(connection) as queries:
        response = dorota.get(f"/kluby/{world.club_a.pk}/dzisiaj/")
    assert response.status_code == 200
    assert len(queries) <= 9  # session, user, grants, club, sessions, bookings, session save (3)
    assert [s.pk for s in response.context["sessions"]] == [world.session_a.pk]
    assert response.context["sessions"][0].enrolled == 1
    assert sheet_url(world.session_a).encode() in response.content
    assert [b.pk for b in response.context["bookings"]] == [world.booking_a.pk]
    assert f"/kluby/{world.club_a.pk}/dzisiaj/".encode() in dorota.get("/").content


def test_outsiders_get_404_and_save_nothing(world: Any, settings: Any) -> None:
    celina = client_for(world.celina, settings)
    pk = world.jan.pk
    assert celina.get(sheet_url(world.session_a)).status_code == 404
    assert celina.post(sheet_url(world.session_a), {f"status-{pk}": "present"}).status_code == 404
    assert celina.post(row_url(world.session_a, world.jan), {f"status-{pk}": "present"}).status_code == 404
    assert celina.get(f"/kluby/{world.club_a.pk}/dzisiaj/").status_code == 404
    assert not Attendance.objects.exists()


def test_a_participant_not_on_the_list_is_404(world: Any, settings: Any) -> None:
    alicja = client_for(world.alicja, settings)
    response = alicja.post(row_url(world.session_a, world.ewa), {f"status-{world.ewa.pk}": "present"})
    assert response.status_code == 404
    assert not Attendance.objects.exists()
