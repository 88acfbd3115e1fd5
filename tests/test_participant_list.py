"""The participant list (/kluby/<club>/uczestnicy/): search, Polish order, filters, the desk, paging."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kis.accounts.models import User
from kis.audit.models import AuditEvent
from kis.lib.testing import make_participant
from kis.participants.models import FollowUp, Participant


@pytest.fixture(autouse=True)
def _no_mfa(settings: Any) -> None:
    settings.REQUIRE_MFA = False


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def list_url(club: Any) -> str:
    return f"/kluby/{club.pk}/uczestnicy/"


def names(response: Any) -> list[str]:
    return [f"{person.first_name} {person.last_name}" for person in response.context["participants"]]


# --- search -------------------------------------------------------------------------------------


def test_search_ignores_case_and_polish_diacritics(world: Any) -> None:
    make_participant(world.club_a, "Łukasz", "Kowalczyk")
    client = client_for(world.bartek)
    assert names(client.get(list_url(world.club_a), {"q": "wisniewska"})) == ["Ewa Wiśniewska"]
    assert names(client.get(list_url(world.club_a), {"q": "ŁUKASZ"})) == ["Łukasz Kowalczyk"]
    assert names(client.get(list_url(world.club_a), {"q": "lukasz"})) == ["Łukasz Kowalczyk"]
    assert names(client.get(list_url(world.club_a), {"q": "WIŚNIEW"})) == ["Ewa Wiśniewska"]


def test_search_by_first_and_last_name_in_any_order(world: Any) -> None:
    make_participant(world.club_a, "Jan", "Kowalski")
    client = client_for(world.bartek)
    assert names(client.get(list_url(world.club_a), {"q": "nowak jan"})) == ["Jan Nowak"]
    assert names(client.get(list_url(world.club_a), {"q": "Jan Nowak"})) == ["Jan Nowak"]
    assert names(client.get(list_url(world.club_a), {"q": "jan"})) == ["Jan Kowalski", "Jan Nowak"]
    assert names(client.get(list_url(world.club_a), {"q": "Zawadzki"})) == []


def test_search_never_reaches_another_club(world: Any) -> None:
    make_participant(world.club_b, "Ewa", "Wiśniewska-Kos")
    response = client_for(world.bartek).get(list_url(world.club_a), {"q": "wisniewska"})
    assert names(response) == ["Ewa Wiśniewska"]


def test_the_list_is_in_polish_alphabetical_order_by_surname(world: Any) -> None:
    for surname in ("Żak", "Sowa", "Zawada", "Lutek", "Źrebiec", "Łoś", "Śliwa", "Lis"):
        make_participant(world.club_b, "Anna", surname)
    response = client_for(world.celina).get(list_url(world.club_b))
    assert [person.last_name for person in response.context["participants"]] == [
        "Lis",
        "Lutek",
        "Łoś",
        "Sowa",
        "Śliwa",
        "Zawada",
        "Źrebiec",
        "Żak",
    ]


def test_the_same_surname_is_ordered_by_first_name(world: Any) -> None:
    for first_name in ("Żaneta", "Adam", "Łucja", "Lucyna"):
        make_participant(world.club_b, first_name, "Nowak")
    response = client_for(world.celina).get(list_url(world.club_b))
    assert names(response) == ["Adam Nowak", "Lucyna Nowak", "Łucja Nowak", "Żaneta Nowak"]


# --- filters ------------------------------------------------------------------------------------


def test_it_filters_by_status(world: Any) -> None:
    make_participant(world.club_a, "Olga", "Bąk")
    client = client_for(world.bartek)
    assert names(client.get(list_url(world.club_a), {"status": "exited"})) == ["Ewa Wiśniewska"]
    assert names(client.get(list_url(world.club_a), {"status": "active"})) == ["Jan Nowak"]
    assert names(client.get(list_url(world.club_a), {"status": "candidate"})) == ["Olga Bąk"]
    assert names(client.get(list_url(world.club_a), {"status": "nonsense"})) == [
        "Olga Bąk",
        "Jan Nowak",
        "Ewa Wiśniewska",
    ]


def test_it_filters_people_with_a_follow_up_due(world: Any) -> None:
    """Ewa ended on 28.11.2025: her 1-month follow-up was due on 28.12.2025."""
    client = client_for(world.bartek)
    with time_machine.travel(date(2025, 12, 27), tick=False):
        client.force_login(world.bartek)
        assert names(client.get(list_url(world.club_a), {"due": "follow_up"})) == []
    with time_machine.travel(date(2025, 12, 28), tick=False):
        client.force_login(world.bartek)
        assert names(client.get(list_url(world.club_a), {"due": "follow_up"})) == ["Ewa Wiśniewska"]
        FollowUp.objects.filter(participant=world.ewa, months=1).update(
            outcome="employed", source="employer", recorded_on=date(2025, 12, 28)
        )
        assert names(client.get(list_url(world.club_a), {"due": "follow_up"})) == []


def test_it_filters_people_whose_plan_review_is_due(world: Any) -> None:
    """Jan's plan is to be reviewed on 1.06.2026."""
    client = client_for(world.bartek)
    with time_machine.travel(date(2026, 5, 31), tick=False):
        client.force_login(world.bartek)
        assert names(client.get(list_url(world.club_a), {"due": "review"})) == []
    with time_machine.travel(date(2026, 6, 1), tick=False):
        client.force_login(world.bartek)
        assert names(client.get(list_url(world.club_a), {"due": "review"})) == ["Jan Nowak"]


def test_it_filters_people_whose_contract_ends_within_30_days(world: Any) -> None:
    """Jan's contract runs until 31.12.2026."""
    client = client_for(world.bartek)
    with time_machine.travel(date(2026, 11, 30), tick=False):
        client.force_login(world.bartek)
        assert names(client.get(list_url(world.club_a), {"due": "contract"})) == []
    with time_machine.travel(date(2026, 12, 1), tick=False):
        client.force_login(world.bartek)
        assert names(client.get(list_url(world.club_a), {"due": "contract"})) == ["Jan Nowak"]
    with time_machine.travel(date(2027, 1, 1), tick=False):
        client.force_login(world.bartek)
        assert names(client.get(list_url(world.club_a), {"due": "contract"})) == []


def test_the_group_filter_finds_by_group_and_is_audited(world: Any) -> None:
    make_participant(world.club_a, "Piotr", "Bąk", groups=["disability", "mental_disorder"])
    make_participant(world.club_a, "Olga", "Cichy", groups=None, groups_refused=True)
    client = client_for(world.bartek)
    response = client.get(list_url(world.club_a), {"group": "disability"})
    assert names(response) == ["Piotr Bąk"]
    event = AuditEvent.objects.get(action="participant.special_filter")
    assert (event.actor_id, event.club_id, event.details) == (world.bartek.pk, world.club_a.pk, {"group": "disability"})
    response = client.get(list_url(world.club_a), {"group": "long_term_unemployed", "status": "active"})
    assert names(response) == ["Jan Nowak"]
    assert AuditEvent.objects.filter(action="participant.special_filter").count() == 2


def test_an_unknown_group_is_ignored_and_not_audited(world: Any) -> None:
    response = client_for(world.bartek).get(list_url(world.club_a), {"group": "vip"})
    assert names(response) == ["Jan Nowak", "Ewa Wiśniewska"]
    assert not AuditEvent.objects.filter(action="participant.special_filter").exists()


# --- the front desk -----------------------------------------------------------------------------


def test_the_desk_sees_names_only(world: Any) -> None:
    response = client_for(world.dorota).get(list_url(world.club_a))
    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["names_only"] is True
    assert "Nowak Jan" in body
    assert "Wiśniewska Ewa" not in body  # the front desk sees active participants only
    assert "•••••••2345" not in body
    assert '<th scope="col">PESEL</th>' not in body
    assert f'href="/uczestnicy/{world.jan.pk}/"' not in body
    assert f'href="/uczestnicy/{world.ewa.pk}/"' not in body
    assert "17.05.1980" not in body
    assert 'name="status"' not in body
    assert 'name="group"' not in body
    assert f"/kluby/{world.club_a.pk}/uczestnicy/nowy/" not in body


def test_the_desk_cannot_use_filters(world: Any) -> None:
    client = client_for(world.dorota)
    assert names(client.get(list_url(world.club_a), {"status": "exited"})) == ["Jan Nowak"]
    assert names(client.get(list_url(world.club_a), {"group": "disability"})) == ["Jan Nowak"]
    assert names(client.get(list_url(world.club_a), {"due": "contract"})) == ["Jan Nowak"]
    assert not AuditEvent.objects.filter(action="participant.special_filter").exists()


def test_the_desk_can_search_by_name(world: Any) -> None:
    client = client_for(world.dorota)
    assert names(client.get(list_url(world.club_a), {"q": "NOWAK"})) == ["Jan Nowak"]
    assert names(client.get(list_url(world.club_a), {"q": "wiśniewska"})) == []  # finished: not at the desk


def test_staff_see_the_masked_pesel_and_links(world: Any) -> None:
    body = client_for(world.bartek).get(list_url(world.club_a)).content.decode()
    assert "•••••••2345" in body
    assert "80051712345" not in body
    assert f'href="/uczestnicy/{world.jan.pk}/"' in body


# --- performance and paging ---------------------------------------------------------------------


def add_people(club: Any, count: int, start: int = 0) -> None:
    for number in range(start, start + count):
        make_participant(club, "Osoba", f"Testowa{number:03d}", status="active", joined_on=date(2026, 2, 2))


def test_the_query_count_does_not_grow_with_the_number_of_people(world: Any) -> None:
    url = list_url(world.club_b)
    client = client_for(world.celina)
    add_people(world.club_b, 5)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    assert len(response.context["participants"]) == 5
    add_people(world.club_b, 55, start=5)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["participants"]) == 50
    assert len(many) == len(few)
    assert len(many) <= 10


def test_the_group_filter_query_count_does_not_grow(world: Any) -> None:
    client = client_for(world.celina)
    url = list_url(world.club_b)
    add_people(world.club_b, 5)
    client.get(url, {"group": "long_term_unemployed"})
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"group": "long_term_unemployed"})
    add_people(world.club_b, 55, start=5)
    with CaptureQueriesContext(connection) as many:
        client.get(url, {"group": "long_term_unemployed"})
    assert len(many) == len(few)
    assert len(many) <= 13  # the plain list's queries plus five for the audit event


def follow_pages(client: Client, url: str, params: dict[str, str] | None = None) -> list[list[int]]:
    pages = []
    query: dict[str, str] = dict(params or {})
    for _page in range(10):
        response = client.get(url, query)
        pages.append([person.pk for person in response.context["participants"]])
        after = response.context["next_after"]
        if not after:
            return pages
        assert "?after=" in response.content.decode()
        query = {**query, "after": after}
    raise AssertionError("paging does not end")


def test_keyset_paging_continues_without_repeats(world: Any) -> None:
    add_people(world.club_a, 120)
    client = client_for(world.bartek)
    pages = follow_pages(client, list_url(world.club_a))
    assert [len(page) for page in pages] == [50, 50, 22]
    seen = [pk for page in pages for pk in page]
    assert len(seen) == len(set(seen)) == 122
    expected = list(
        Participant.objects.filter(club=world.club_a).order_by("name_sort", "pk").values_list("pk", flat=True)
    )
    assert seen == expected


def test_keyset_paging_keeps_the_filter(world: Any) -> None:
    add_people(world.club_a, 120)
    client = client_for(world.bartek)
    pages = follow_pages(client, list_url(world.club_a), {"status": "active", "q": "testowa"})
    assert [len(page) for page in pages] == [50, 50, 20]
    assert len({pk for page in pages for pk in page}) == 120


def test_keyset_paging_with_the_group_filter(world: Any) -> None:
    add_people(world.club_a, 120)
    client = client_for(world.bartek)
    pages = follow_pages(client, list_url(world.club_a), {"group": "long_term_unemployed"})
    assert [len(page) for page in pages] == [50, 50, 22]
    assert len({pk for page in pages for pk in page}) == 122


def test_a_malformed_after_parameter_is_ignored(world: Any) -> None:
    client = client_for(world.bartek)
    response = client.get(list_url(world.club_a), {"after": "abc|x"})
    assert names(response) == ["Jan Nowak", "Ewa Wiśniewska"]
