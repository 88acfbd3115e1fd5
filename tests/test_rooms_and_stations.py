from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kis.audit.models import AuditEvent
from kis.clubs.models import ComputerStation, Room


@pytest.fixture
def leader(world: Any, settings: Any) -> Client:
    settings.REQUIRE_MFA = False
    client = Client()
    client.force_login(world.alicja)
    return client


def test_a_leader_adds_a_room(world: Any, leader: Client) -> None:
    response = leader.post(
        f"/kluby/{world.club_a.pk}/sale/", {"room-name": "Pracownia", "room-capacity": "8", "room-step_free": "on"}
    )
    assert response.status_code == 302
    room = Room.objects.get(club=world.club_a, name="Pracownia")
    assert (room.capacity, room.step_free) == (8, True)
    assert AuditEvent.objects.filter(action="room.created", club_id=world.club_a.pk).exists()


def test_a_room_name_is_unique_in_the_club_ignoring_case(world: Any, leader: Client) -> None:
    response = leader.post(f"/kluby/{world.club_a.pk}/sale/", {"room-name": "sala 1", "room-capacity": "-1"})
    assert response.status_code == 400
    form = response.context["room_form"]
    assert form.has_error("name", code="duplicate")
    assert form.has_error("capacity")
    assert Room.objects.filter(club=world.club_a).count() == 1


def test_a_station_is_added_and_edited(world: Any, leader: Client) -> None:
    response = leader.post(
        f"/kluby/{world.club_a.pk}/stanowiska/nowe/",
        {"station-label": "PC 2", "station-room": world.room_a.pk, "station-is_active": "on"},
    )
    assert response.status_code == 302
    station = ComputerStation.objects.get(club=world.club_a, label="PC 2")
    response = leader.post(
        f"/kluby/{world.club_a.pk}/stanowiska/{station.pk}/", {"station-label": "PC 2", "station-room": ""}
    )
    assert response.status_code == 302
    station.refresh_from_db()
    assert station.is_active is False
    assert station.room is None


def test_a_station_cannot_be_put_in_another_clubs_room(world: Any, leader: Client) -> None:
    other_room = Room.objects.create(club=world.club_b, name="Obca sala")
    response = leader.post(
        f"/kluby/{world.club_a.pk}/stanowiska/nowe/", {"station-label": "PC 9", "station-room": other_room.pk}
    )
    assert response.status_code == 400
    assert response.context["form"].has_error("room", code="invalid_choice")
    assert not ComputerStation.objects.filter(label="PC 9").exists()


def test_another_clubs_room_is_404(world: Any, leader: Client) -> None:
    other_room = Room.objects.create(club=world.club_b, name="Obca sala")
    assert leader.get(f"/kluby/{world.club_a.pk}/sale/{other_room.pk}/").status_code == 404
    assert leader.get(f"/kluby/{world.club_b.pk}/sale/{other_room.pk}/").status_code == 404


def test_outsiders_get_404_on_rooms(world: Any, settings: Any) -> None:
    settings.REQUIRE_MFA = False
    client = Client()
    client.force_login(world.celina)
    assert client.post(f"/kluby/{world.club_a.pk}/sale/", {"room-name": "X"}).status_code == 404
    assert not Room.objects.filter(name="X").exists()
