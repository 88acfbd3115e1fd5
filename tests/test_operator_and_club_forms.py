"""Editing operators and clubs: validation in Polish at the field, nothing half-saved, no lost update."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kis.audit.models import AuditEvent
from kis.clubs.models import Club, Operator


@pytest.fixture
def as_olek(world: Any, settings: Any) -> Client:
    settings.REQUIRE_MFA = False
    client = Client()
    client.force_login(world.olek)
    return client


def operator_data(operator: Operator, **overrides: Any) -> dict[str, Any]:
    data = {
        "type": operator.type,
        "name": operator.name,
        "nip": operator.nip,
        "regon": operator.regon,
        "krs": operator.krs,
        "street": operator.street,
        "postal_code": operator.postal_code,
        "city": operator.city,
        "gmina": operator.gmina_id,
        "email": "",
        "phone": "",
        "website": "",
        "contact_person": "",
        "version": operator.version,
    }
    data.update(overrides)
    return data


def club_data(club: Club, **overrides: Any) -> dict[str, Any]:
    data = {
        "name": club.name,
        "street": club.street,
        "postal_code": club.postal_code,
        "city": club.city,
        "gmina": club.gmina_id,
        "email": "",
        "phone": "",
        "manager_name": club.manager_name,
        "manager_title": club.manager_title,
        "created_on": "01.01.2020",
        "started_on": "2020-02-01",
        "status": club.status,
        "version": club.version,
    }
    data.update(overrides)
    return data


def test_it_saves_valid_operator_data_and_audits_the_change(world: Any, as_olek: Client) -> None:
    url = f"/podmioty/{world.operator_a.pk}/edycja/"
    response = as_olek.post(url, operator_data(world.operator_a, nip="734-101-20-19", regon="491001200"))
    assert response.status_code == 302
    world.operator_a.refresh_from_db()
    assert world.operator_a.regon == "491001200"
    assert world.operator_a.version == 1
    event = AuditEvent.objects.get(action="operator.updated")
    assert event.details["changes"]["regon"] == ["", "491001200"]
    assert event.operator_id == world.operator_a.pk


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("nip", "1234567890", "nip_checksum"),
        ("nip", "12345", "nip_format"),
        ("regon", "123456789", "regon_checksum"),
        ("krs", "12ab", "krs_format"),
        ("postal_code", "33300", "postal_code_format"),
        ("gmina", "9999999", "teryt_format"),
        ("gmina", "1262019", "teryt_format"),
        ("gmina", "1262021", "invalid_choice"),
        ("email", "not-an-email", "invalid"),
    ],
)
def test_it_refuses_bad_operator_input_at_the_field(
    world: Any, as_olek: Client, field: str, value: str, code: str
) -> None:
    response = as_olek.post(
        f"/podmioty/{world.operator_a.pk}/edycja/", operator_data(world.operator_a, **{field: value})
    )
    assert response.status_code == 400
    assert response.context["form"].has_error(field, code=code)
    assert response["Content-Language"] == "pl"
    world.operator_a.refresh_from_db()
    assert world.operator_a.version == 0
    assert not AuditEvent.objects.filter(action="operator.updated").exists()


def test_it_requires_a_krs_number_for_an_ngo(world: Any, as_olek: Client) -> None:
    response = as_olek.post(f"/podmioty/{world.operator_a.pk}/edycja/", operator_data(world.operator_a, type="ngo"))
    assert response.context["form"].has_error("krs", code="krs_required")


def test_it_refuses_a_krs_number_for_an_ops(world: Any, as_olek: Client) -> None:
    response = as_olek.post(
        f"/podmioty/{world.operator_a.pk}/edycja/", operator_data(world.operator_a, krs="0000119136")
    )
    assert response.context["form"].has_error("krs", code="krs_not_applicable")


def test_the_second_of_two_concurrent_edits_is_refused(world: Any, as_olek: Client, settings: Any) -> None:
    leader = Client()
    leader.force_login(world.alicja)
    url = f"/kluby/{world.club_a.pk}/edycja/"
    opened_version = world.club_a.version
    first = as_olek.post(url, club_data(world.club_a, name="KIS Przystań (nowa nazwa)", version=opened_version))
    assert first.status_code == 302
    second = leader.post(url, club_data(world.club_a, phone="+48 18 123 45 67", version=opened_version))
    assert second.status_code == 409
    assert second.context["form"].non_field_errors()
    world.club_a.refresh_from_db()
    assert world.club_a.name == "KIS Przystań (nowa nazwa)"
    assert world.club_a.phone == ""


def test_it_refuses_a_start_before_the_club_was_created(world: Any, as_olek: Client) -> None:
    response = as_olek.post(
        f"/kluby/{world.club_a.pk}/edycja/", club_data(world.club_a, created_on="2021-05-01", started_on="2021-04-30")
    )
    assert response.status_code == 400
    assert response.context["form"].has_error("started_on", code="starts_before_creation")


def test_it_refuses_an_impossible_date(world: Any, as_olek: Client) -> None:
    response = as_olek.post(f"/kluby/{world.club_a.pk}/edycja/", club_data(world.club_a, created_on="31.02.2020"))
    assert response.status_code == 400
    assert response.context["form"].has_error("created_on", code="invalid")


def test_the_gmina_field_accepts_a_suggestion_and_sets_the_voivodeship(world: Any, as_olek: Client) -> None:
    suggestion = "Wołomin (gmina miejsko-wiejska, pow. wołomiński, woj. mazowieckie) – 1434123"
    response = as_olek.post(f"/kluby/{world.club_a.pk}/edycja/", club_data(world.club_a, gmina=suggestion))
    assert response.status_code == 302
    world.club_a.refresh_from_db()
    assert world.club_a.gmina_id == "1434123"
    assert world.club_a.voivodeship == "14"


def test_an_operator_admin_creates_a_club(world: Any, as_olek: Client) -> None:
    data = club_data(world.club_a, name="KIS Nowy", version="")
    response = as_olek.post(f"/podmioty/{world.operator_a.pk}/kluby/nowy/", data)
    assert response.status_code == 302
    club = Club.objects.get(name="KIS Nowy")
    assert club.operator == world.operator_a
    assert AuditEvent.objects.filter(action="club.created", club_id=club.pk).exists()


def test_an_operator_admin_cannot_create_a_club_for_another_operator(world: Any, as_olek: Client) -> None:
    response = as_olek.post(f"/podmioty/{world.operator_b.pk}/kluby/nowy/", club_data(world.club_a, name="X"))
    assert response.status_code == 404
    assert not Club.objects.filter(name="X").exists()


def test_outsiders_get_404_on_another_clubs_edit_form(world: Any, settings: Any) -> None:
    settings.REQUIRE_MFA = False
    client = Client()
    client.force_login(world.celina)
    response = client.post(f"/kluby/{world.club_a.pk}/edycja/", club_data(world.club_a, name="Przejęty"))
    assert response.status_code == 404
    world.club_a.refresh_from_db()
    assert world.club_a.name == "KIS Przystań"
    assert AuditEvent.objects.filter(action="access.denied", actor=world.celina).exists()
