"""The audit-trail viewer: leaders see their clubs, the DPO the operator's clubs; nobody else."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kis import audit


@pytest.fixture(autouse=True)
def _no_mfa(settings: Any) -> None:
    settings.REQUIRE_MFA = False


def view_as(user: Any, query: str = "") -> Any:
    client = Client()
    client.force_login(user)
    return client.get(f"/audyt/{query}")


def test_a_leader_sees_events_of_their_club_only(world: Any) -> None:
    audit.record(world.alicja, "room.updated", world.room_a)
    audit.record(world.celina, "club.updated", world.club_b)
    actions = {e.action for e in view_as(world.alicja).context["events"]}
    assert "room.updated" in actions
    assert "club.updated" not in actions  # Club B's event


def test_the_dpo_sees_the_operators_clubs_and_filters_by_action(world: Any) -> None:
    audit.record(world.alicja, "room.updated", world.room_a)
    audit.record(world.olek, "operator.updated", world.operator_a)
    audit.record(world.celina, "club.updated", world.club_b)
    actions = {e.action for e in view_as(world.irena).context["events"]}
    assert {"room.updated", "operator.updated"} <= actions
    assert "club.updated" not in actions
    filtered = view_as(world.irena, "?action=operator.").context["events"]
    assert [e.action for e in filtered] == ["operator.updated"]


def test_it_pages_by_sequence_number(world: Any, django_assert_max_num_queries: Any) -> None:
    for number in range(120):
        audit.record(world.alicja, "room.updated", world.room_a, n=number)
    first = view_as(world.alicja)
    assert len(first.context["events"]) == 50
    older = view_as(world.alicja, f"?before={first.context['next_before']}")
    assert older.context["events"][0].seq == first.context["events"][-1].seq - 1
    client = Client()
    client.force_login(world.alicja)
    with django_assert_max_num_queries(8):
        client.get("/audyt/")


def test_a_bad_day_filter_is_a_message_not_an_error(world: Any) -> None:
    response = view_as(world.alicja, "?day=2026-02-31")
    assert response.status_code == 200


def test_staff_without_the_role_get_403(world: Any) -> None:
    assert view_as(world.bartek).status_code == 403
    assert view_as(world.celina).status_code == 403


def test_denials_and_logins_reach_the_owners_viewers(world: Any) -> None:
    """An outsider's attempt on Club A and Bartek's login show in Club A's trail and the DPO's."""
    outsider = Client()
    outsider.force_login(world.celina)
    outsider.get(f"/kluby/{world.club_a.pk}/")
    Client().post("/accounts/login/", {"login": "bartek@example.pl", "password": "Test-hasło-2026!"})
    for viewer in (world.alicja, world.irena):
        actions = {e.action for e in view_as(viewer).context["events"]}
        assert {"access.denied", "auth.login"} <= actions
