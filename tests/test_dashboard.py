"""Each persona lands on a dashboard made of the scopes of their grants."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client


@pytest.fixture(autouse=True)
def _no_mfa(settings: Any) -> None:
    settings.REQUIRE_MFA = False


def dashboard_of(user: Any) -> str:
    client = Client()
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_club_staff_see_only_their_club(world: Any) -> None:
    body = dashboard_of(world.bartek)
    assert "KIS Przystań" in body
    assert "KIS Stary Sącz" not in body


def test_the_front_desk_sees_the_club_name_without_a_link_to_its_page(world: Any) -> None:
    body = dashboard_of(world.dorota)
    assert "KIS Przystań" in body
    assert f'href="/kluby/{world.club_a.pk}/"' not in body


def test_the_operator_admin_sees_all_clubs_of_the_operator(world: Any) -> None:
    body = dashboard_of(world.olek)
    assert "MOPS w Nowym Sączu" in body
    assert "KIS Przystań" in body
    assert "KIS Stary Sącz" not in body


def test_the_voivode_officer_sees_the_clubs_of_the_voivodeship(world: Any) -> None:
    body = dashboard_of(world.wiktor)
    assert "KIS Przystań" in body
    assert "KIS Stary Sącz" in body
    assert "KIS Krok dalej" not in body  # mazowieckie


def test_the_analyst_sees_counts_per_voivodeship_only(world: Any) -> None:
    body = dashboard_of(world.anna)
    assert "małopolskie" in body
    assert "KIS Przystań" not in body


def test_the_dpo_sees_access_denials_of_the_operator(world: Any) -> None:
    outsider = Client()
    outsider.force_login(world.celina)
    outsider.get(f"/kluby/{world.club_a.pk}/")
    assert "access.denied" in dashboard_of(world.irena)


def test_a_user_without_grants_is_told_to_ask_for_access(world: Any) -> None:
    body = dashboard_of(world.zenon)
    assert "KIS Przystań" not in body


@pytest.mark.parametrize("persona", ["alicja", "olek", "wiktor", "anna", "irena"])
def test_the_dashboard_needs_few_queries(world: Any, persona: str, django_assert_max_num_queries: Any) -> None:
    client = Client()
    client.force_login(world.personas()[persona])
    client.get("/")
    with django_assert_max_num_queries(10):
        client.get("/")
