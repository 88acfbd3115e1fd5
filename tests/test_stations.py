"""Computer stations: booking, check-in and check-out at /kluby/<pk>/stanowiska/, usage counts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kis.activities.models import StationBooking
from kis.audit.models import AuditEvent
from kis.clubs.models import ComputerStation
from kis.lib.testing import make_participant

WARSAW = ZoneInfo("Europe/Warsaw")


@pytest.fixture(autouse=True)
def frozen() -> Iterator[Any]:
    """Tuesday 10 March 2026, 9:00: the world's booking_a is Jan's, PC 1, today 14:00–15:00."""
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=WARSAW), tick=False) as traveller:
        yield traveller


def client_for(user: Any, settings: Any) -> Client:
    settings.REQUIRE_MFA = False
    client = Client()
    client.force_login(user)
    return client


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.fixture
def anna(world: Any) -> Any:
    return make_participant(world.club_a, "Anna", "Zielińska", status="active", joined_on=date(2026, 2, 1))


def book(client: Client, world: Any, participant: Any, day: str, starts: str, ends: str) -> Any:
    return client.post(
        f"/kluby/{world.club_a.pk}/stanowiska/",
        {"participant": participant.pk, "station": world.station_a.pk, "day": day, "starts": starts, "ends": ends},
    )


def test_the_desk_books_a_station(world: Any, settings: Any) -> None:
    dorota = client_for(world.dorota, settings)
    with CaptureQueriesContext(connection) as queries:
        assert dorota.get(f"/kluby/{world.club_a.pk}/stanowiska/").status_code == 200
    assert len(queries) <= 12  # constant: no query per booking, station or person
    response = book(dorota, world, world.jan, "10.03.2026", "10:00", "11:30")
    assert response.status_code == 302
    booking = StationBooking.objects.get(participant=world.jan, starts_at=at(date(2026, 3, 10), 10))
    assert (booking.station, booking.ends_at) == (world.station_a, at(date(2026, 3, 10), 11, 30))
    assert AuditEvent.objects.filter(action="station.booked", target_id=str(booking.pk)).exists()


def test_an_overlapping_booking_of_the_station_is_refused(world: Any, anna: Any, settings: Any) -> None:
    """booking_a holds PC 1 from 14:00 to 15:00."""
    dorota = client_for(world.dorota, settings)
    response = book(dorota, world, anna, "10.03.2026", "14:30", "15:30")
    assert response.status_code == 400
    assert response.context["form"].has_error(NON_FIELD_ERRORS, code="station_taken")
    assert StationBooking.objects.filter(station=world.station_a).count() == 1
    assert book(dorota, world, anna, "10.03.2026", "15:00", "16:00").status_code == 302
    assert StationBooking.objects.filter(station=world.station_a).count() == 2


def test_a_person_cannot_hold_two_stations_at_once(world: Any, settings: Any) -> None:
    other = ComputerStation.objects.create(club=world.club_a, label="PC 2")
    response = client_for(world.dorota, settings).post(
        f"/kluby/{world.club_a.pk}/stanowiska/",
        {"participant": world.jan.pk, "station": other.pk, "day": "10.03.2026", "starts": "14:30", "ends": "15:00"},
    )
    assert response.status_code == 400
    assert response.context["form"].has_error(NON_FIELD_ERRORS, code="participant_busy")
    assert not StationBooking.objects.filter(station=other).exists()


def test_bad_times_and_holidays_are_refused(world: Any, anna: Any, settings: Any) -> None:
    dorota = client_for(world.dorota, settings)
    response = book(dorota, world, anna, "10.03.2026", "12:00", "11:00")
    assert response.status_code == 400
    assert response.context["form"].has_error("ends", code="ends_before_start")
    response = book(dorota, world, anna, "01.05.2026", "10:00", "11:00")
    assert response.status_code == 400
    assert response.context["form"].has_error("day", code="holiday")
    assert StationBooking.objects.count() == 1


def test_another_clubs_station_cannot_be_booked(world: Any, anna: Any, settings: Any) -> None:
    foreign = ComputerStation.objects.create(club=world.club_b, label="PC B")
    response = client_for(world.alicja, settings).post(
        f"/kluby/{world.club_a.pk}/stanowiska/",
        {"participant": anna.pk, "station": foreign.pk, "day": "10.03.2026", "starts": "10:00", "ends": "11:00"},
    )
    assert response.status_code == 400
    assert response.context["form"].has_error("station", code="invalid_choice")
    assert not StationBooking.objects.filter(station=foreign).exists()


def test_check_in_and_check_out(world: Any, frozen: Any, settings: Any) -> None:
    dorota = client_for(world.dorota, settings)
    base = f"/kluby/{world.club_a.pk}/stanowiska/rezerwacje/{world.booking_a.pk}"
    assert dorota.post(f"{base}/wyjscie/").status_code == 302  # not checked in yet: refused
    world.booking_a.refresh_from_db()
    assert world.booking_a.checked_out_at is None

    frozen.move_to(datetime(2026, 3, 10, 14, 2, tzinfo=WARSAW))
    dorota.force_login(world.dorota)
    response = dorota.post(f"{base}/wejscie/", {"next": f"/kluby/{world.club_a.pk}/dzisiaj/"})
    assert response.status_code == 302
    assert response["Location"] == f"/kluby/{world.club_a.pk}/dzisiaj/"
    world.booking_a.refresh_from_db()
    assert world.booking_a.checked_in_at == at(date(2026, 3, 10), 14, 2)

    frozen.move_to(datetime(2026, 3, 10, 14, 25, tzinfo=WARSAW))
    assert dorota.post(f"{base}/wejscie/").status_code == 302  # a second check-in changes nothing
    world.booking_a.refresh_from_db()
    assert world.booking_a.checked_in_at == at(date(2026, 3, 10), 14, 2)
    response = dorota.post(f"{base}/wyjscie/", {"next": "https://zly.example/"})
    assert response["Location"] == f"/kluby/{world.club_a.pk}/stanowiska/"
    world.booking_a.refresh_from_db()
    assert world.booking_a.checked_out_at == at(date(2026, 3, 10), 14, 25)
    actions = list(AuditEvent.objects.filter(target_id=str(world.booking_a.pk)).values_list("action", flat=True))
    assert actions.count("station.checked_in") == 1
    assert actions.count("station.checked_out") == 1


def test_check_in_only_on_the_day_of_the_booking(world: Any, anna: Any, settings: Any) -> None:
    booking = StationBooking.objects.create(
        station=world.station_a, participant=anna, starts_at=at(date(2026, 3, 11), 9), ends_at=at(date(2026, 3, 11), 10)
    )
    client_for(world.dorota, settings).post(f"/kluby/{world.club_a.pk}/stanowiska/rezerwacje/{booking.pk}/wejscie/")
    booking.refresh_from_db()
    assert booking.checked_in_at is None


def test_usage_counts_bookings_with_a_check_in(world: Any, anna: Any, settings: Any) -> None:
    for day, checked_in in ((date(2026, 3, 2), True), (date(2026, 3, 3), True), (date(2026, 3, 4), False)):
        StationBooking.objects.create(
            station=world.station_a,
            participant=anna,
            starts_at=at(day, 9),
            ends_at=at(day, 10),
            checked_in_at=at(day, 9, 5) if checked_in else None,
        )
    StationBooking.objects.create(
        station=world.station_a,
        participant=world.jan,
        starts_at=at(date(2026, 2, 27), 9),
        ends_at=at(date(2026, 2, 27), 10),
        checked_in_at=at(date(2026, 2, 27), 9),
    )
    response = client_for(world.alicja, settings).get(f"/kluby/{world.club_a.pk}/stanowiska/?month=2026-03")
    usage = response.context["usage"]
    assert (usage.uses, usage.people) == (2, 1)
    assert [(s.label, s.uses, s.people) for s in usage.stations] == [("PC 1", 2, 1)]
    february = client_for(world.alicja, settings).get(f"/kluby/{world.club_a.pk}/stanowiska/?month=2026-02")
    assert february.context["usage"].uses == 1


def test_outsiders_get_404_on_stations_and_bookings(world: Any, settings: Any) -> None:
    celina = client_for(world.celina, settings)
    base = f"/kluby/{world.club_a.pk}/stanowiska/"
    assert celina.get(base).status_code == 404
    assert celina.post(base, {"participant": world.jan.pk}).status_code == 404
    assert celina.post(f"{base}rezerwacje/{world.booking_a.pk}/wejscie/").status_code == 404
    assert celina.post(f"{base}rezerwacje/{world.booking_a.pk}/wyjscie/").status_code == 404
    world.booking_a.refresh_from_db()
    assert world.booking_a.checked_in_at is None


def test_a_booking_is_reached_only_through_its_own_club(world: Any, settings: Any) -> None:
    """Alicja leads Club A only: a Club B booking under Club A's address is 404."""
    other = ComputerStation.objects.create(club=world.club_b, label="PC B")
    stranger = make_participant(world.club_b, "Olga", "Nowicka", status="active", joined_on=date(2026, 2, 1))
    booking = StationBooking.objects.create(
        station=other, participant=stranger, starts_at=at(date(2026, 3, 10), 9), ends_at=at(date(2026, 3, 10), 10)
    )
    response = client_for(world.alicja, settings).post(
        f"/kluby/{world.club_a.pk}/stanowiska/rezerwacje/{booking.pk}/wejscie/"
    )
    assert response.status_code == 404
    booking.refresh_from_db()
    assert booking.checked_in_at is None
