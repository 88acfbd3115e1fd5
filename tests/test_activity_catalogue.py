"""The activity catalogue: /kluby/<club>/zajecia/, /zajecia/<pk>/ with enrolment, /zajecia/<pk>/edycja/."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kis.activities.models import Activity, Enrolment
from kis.audit.models import AuditEvent
from kis.lib.testing import make_participant

WARSAW = ZoneInfo("Europe/Warsaw")


@pytest.fixture(autouse=True)
def frozen() -> Iterator[Any]:
    """Tuesday 10 March 2026, 9:00."""
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=WARSAW), tick=False) as traveller:
        yield traveller


def client_for(user: Any, settings: Any) -> Client:
    settings.REQUIRE_MFA = False
    client = Client()
    client.force_login(user)
    return client


def catalogue_url(club: Any) -> str:
    return f"/kluby/{club.pk}/zajecia/"


NEW_ACTIVITY = {
    "name": "Poradnictwo prawne",
    "type": "legal_counselling",
    "is_group": "",
    "funding": "eu_esf",
    "is_reintegration_social": "on",
    "is_active": "on",
}


# --- the catalogue ------------------------------------------------------------------------------


def test_it_lists_the_clubs_activities_with_the_number_enrolled(world: Any, settings: Any) -> None:
    response = client_for(world.bartek, settings).get(catalogue_url(world.club_a))
    assert response.status_code == 200
    [activity] = response.context["activities"]
    assert activity.name == "Warsztaty kompetencji społecznych"
    assert activity.enrolled == 1
    assert "Warsztaty kompetencji społecznych" in response.content.decode()


def test_it_adds_an_activity_with_staff_room_and_funding(world: Any, settings: Any) -> None:
    data = {**NEW_ACTIVITY, "staff": world.bartek.pk, "room": world.room_a.pk}
    response = client_for(world.alicja, settings).post(catalogue_url(world.club_a), data)
    activity = Activity.objects.get(name="Poradnictwo prawne")
    assert response.status_code == 302
    assert response["Location"] == f"/zajecia/{activity.pk}/"
    assert (activity.club, activity.type, activity.is_group) == (world.club_a, "legal_counselling", False)
    assert (activity.staff, activity.room, activity.funding) == (world.bartek, world.room_a, "eu_esf")
    assert (activity.is_reintegration_social, activity.is_reintegration_vocational) == (True, False)
    assert AuditEvent.objects.filter(action="activity.created", target_id=str(activity.pk)).exists()


def test_it_offers_the_statutory_types_with_their_article(world: Any, settings: Any) -> None:
    response = client_for(world.alicja, settings).get(catalogue_url(world.club_a))
    html = response.content.decode()
    assert "art. 18 ust. 2 pkt 4" in html
    assert response.context["form"].fields["type"].choices[1][1][0][0] == "job_search_support"


def test_it_refuses_a_duplicate_name_in_the_same_club(world: Any, settings: Any) -> None:
    data = {**NEW_ACTIVITY, "name": "Warsztaty  kompetencji społecznych"}
    response = client_for(world.alicja, settings).post(catalogue_url(world.club_a), data)
    assert response.status_code == 400
    assert response.context["form"].has_error("name", code="duplicate_name")
    assert Activity.objects.filter(club=world.club_a).count() == 1


def test_it_refuses_staff_and_rooms_of_another_club(world: Any, settings: Any) -> None:
    data = {**NEW_ACTIVITY, "staff": world.celina.pk}
    response = client_for(world.alicja, settings).post(catalogue_url(world.club_a), data)
    assert response.status_code == 400
    assert response.context["form"].has_error("staff", code="invalid_choice")
    assert not Activity.objects.filter(name="Poradnictwo prawne").exists()


def test_the_desk_and_the_operator_may_not_open_the_catalogue(world: Any, settings: Any) -> None:
    assert client_for(world.dorota, settings).get(catalogue_url(world.club_a)).status_code == 403
    assert client_for(world.olek, settings).get(catalogue_url(world.club_a)).status_code == 403


def test_the_catalogue_query_count_does_not_grow_with_activities(world: Any, settings: Any) -> None:
    client = client_for(world.alicja, settings)
    url = catalogue_url(world.club_a)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(12):
        Activity.objects.create(club=world.club_a, name=f"Grupa wsparcia {number:02d}", type="support_group")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["activities"]) == 13
    assert len(many) == len(few)
    assert len(many) <= 10


# --- the activity page and enrolment ------------------------------------------------------------


def test_the_activity_page_shows_data_enrolled_people_and_upcoming_sessions(world: Any, settings: Any) -> None:
    response = client_for(world.bartek, settings).get(f"/zajecia/{world.activity_a.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert [e.participant for e in response.context["enrolments"]] == [world.jan]
    assert list(response.context["sessions"]) == [world.session_a]
    assert "Nowak Jan" in html
    assert "Sala 1" in html


def test_it_enrols_a_participant_of_the_same_club(world: Any, settings: Any) -> None:
    anna = make_participant(world.club_a, "Anna", "Zielińska", status="active", joined_on=date(2026, 3, 1))
    client = client_for(world.bartek, settings)
    response = client.post(
        f"/zajecia/{world.activity_a.pk}/zapisy/", {"participant": anna.pk, "enrolled_on": "10.03.2026"}
    )
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(activity=world.activity_a, participant=anna)
    assert enrolment.enrolled_on == date(2026, 3, 10)
    assert AuditEvent.objects.filter(action="enrolment.created", target_id=str(enrolment.pk)).exists()


def test_it_refuses_to_enrol_someone_from_another_club_or_twice(world: Any, settings: Any) -> None:
    outsider = make_participant(world.club_b, "Olga", "Sowa", status="active", joined_on=date(2026, 3, 1))
    client = client_for(world.bartek, settings)
    url = f"/zajecia/{world.activity_a.pk}/zapisy/"
    client.post(url, {"participant": outsider.pk, "enrolled_on": "2026-03-10"})
    client.post(url, {"participant": world.jan.pk, "enrolled_on": "2026-03-10"})
    assert not Enrolment.objects.filter(participant=outsider).exists()
    assert Enrolment.objects.filter(participant=world.jan).count() == 1


def test_it_ends_an_enrolment_today(world: Any, settings: Any) -> None:
    client = client_for(world.bartek, settings)
    response = client.post(f"/zajecia/{world.activity_a.pk}/zapisy/{world.jan.pk}/wypisz/")
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(activity=world.activity_a, participant=world.jan)
    assert enrolment.left_on == date(2026, 3, 10)
    assert AuditEvent.objects.filter(action="enrolment.ended", target_id=str(enrolment.pk)).exists()
    again = client.post(f"/zajecia/{world.activity_a.pk}/zapisy/{world.jan.pk}/wypisz/")
    assert again.status_code == 404


def test_it_edits_an_activity_and_audits_the_change(world: Any, settings: Any) -> None:
    data = {
        "name": "Warsztaty kompetencji społecznych",
        "type": "vocational_workshop",
        "is_group": "on",
        "staff": world.alicja.pk,
        "room": world.room_a.pk,
        "funding": "gmina_own",
        "is_reintegration_vocational": "on",
        "is_active": "on",
    }
    response = client_for(world.alicja, settings).post(f"/zajecia/{world.activity_a.pk}/edycja/", data)
    assert response.status_code == 302
    world.activity_a.refresh_from_db()
    assert world.activity_a.staff == world.alicja
    assert (world.activity_a.is_reintegration_social, world.activity_a.is_reintegration_vocational) == (False, True)
    event = AuditEvent.objects.get(action="activity.updated")
    assert event.details["changes"]["staff"] == [world.bartek.pk, world.alicja.pk]


# --- outsiders ----------------------------------------------------------------------------------


def test_celina_gets_404_on_every_new_view(world: Any, settings: Any) -> None:
    client = client_for(world.celina, settings)
    a, s, c = world.activity_a.pk, world.session_a.pk, world.club_a.pk
    for url in (
        f"/kluby/{c}/zajecia/",
        f"/zajecia/{a}/",
        f"/zajecia/{a}/edycja/",
        f"/zajecia/{a}/spotkania/nowe/",
        f"/kluby/{c}/harmonogram/",
        f"/kluby/{c}/harmonogram/miesiac/",
        f"/kluby/{c}/konsultacje/",
        f"/konsultacje/{world.appointment_a.pk}/",
        f"/kluby/{c}/kalendarz/",
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        f"/zajecia/{a}/zapisy/",
        f"/zajecia/{a}/zapisy/{world.jan.pk}/wypisz/",
        f"/spotkania/{s}/odwolaj/",
        f"/kluby/{c}/kalendarz/{world.feed_a.pk}/uniewaznij/",
        f"/kluby/{c}/kalendarz/",
    ):
        assert client.post(url, {"kind": "club"}).status_code == 404, url
    assert Enrolment.objects.get(participant=world.jan).left_on is None
    world.session_a.refresh_from_db()
    world.feed_a.refresh_from_db()
    assert (world.session_a.cancelled, world.feed_a.revoked_at) == (False, None)
    assert AuditEvent.objects.filter(action="access.denied", actor_id=world.celina.pk).count() == 14
