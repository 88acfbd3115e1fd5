"""The OPS partner's page (/skierowani/): contract progress of the people they referred, nothing else."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kis.accounts.models import Grant, Role, User
from kis.contracts.models import ContractClause, SocialContract
from kis.lib.testing import make_participant

URL = "/skierowani/"


@pytest.fixture(autouse=True)
def _no_mfa(settings: Any) -> None:
    settings.REQUIRE_MFA = False


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_partner_sees_the_contract_progress_of_jan(world: Any) -> None:
    with time_machine.travel(date(2026, 6, 1), tick=False):
        client = client_for(world.patrycja)
        response = client.get(URL)
    body = response.content.decode()
    assert response.status_code == 200
    assert [person.pk for person in response.context["people"]] == [world.jan.pk]
    assert "Jan Nowak" in body
    assert "12/2026" in body
    assert "Udział w warsztatach ≥ 80 %" in body
    assert world.contract_a.progress() == (0, 1)


def test_the_progress_counts_clauses_done(world: Any) -> None:
    ContractClause.objects.create(
        contract=world.contract_a, action="Rejestracja w PUP", responsible="participant", done_on=date(2026, 2, 10)
    )
    response = client_for(world.patrycja).get(URL)
    [jan] = response.context["people"]
    [contract] = jan.contracts.all()
    assert contract.progress() == (1, 2)


def test_the_partner_does_not_see_people_they_did_not_refer(world: Any) -> None:
    make_participant(world.club_a, "Olga", "Bąk", referral="ops", referred_by="MOPS Nowy Sącz, inny pracownik")
    body = client_for(world.patrycja).get(URL).content.decode()
    assert "Ewa" not in body
    assert "Wiśniewska" not in body
    assert "Olga" not in body


def test_the_partner_sees_no_identifiers_or_special_data(world: Any) -> None:
    world.jan.health_notes = "Leczenie odwykowe"
    world.jan.save(update_fields=["health_notes"])
    body = client_for(world.patrycja).get(URL).content.decode()
    for secret in ("80051712345", "2345", "Leczenie odwykowe", "17.05.1980", "długotrwale"):
        assert secret not in body
    assert f'href="/uczestnicy/{world.jan.pk}/' not in body


def test_the_partner_sees_only_the_progress_not_the_file(world: Any) -> None:
    client = client_for(world.patrycja)
    assert client.get(f"/uczestnicy/{world.jan.pk}/notatki/").status_code == 403
    assert client.get(f"/uczestnicy/{world.ewa.pk}/").status_code == 404


def test_a_person_without_a_contract_is_shown_with_a_note(world: Any) -> None:
    make_participant(world.club_a, "Olga", "Bąk", referring_partner=world.patrycja)
    response = client_for(world.patrycja).get(URL)
    people = {person.first_name: list(person.contracts.all()) for person in response.context["people"]}
    assert people == {"Olga": [], "Jan": [world.contract_a]}


def test_a_partner_who_lost_the_grant_sees_nothing(world: Any) -> None:
    Grant.objects.filter(user=world.patrycja).delete()
    assert client_for(world.patrycja).get(URL).status_code == 403


@pytest.mark.parametrize("persona", ["alicja", "bartek", "dorota", "celina", "wiktor"])
def test_other_personas_get_403(world: Any, persona: str) -> None:
    assert client_for(getattr(world, persona)).get(URL).status_code == 403


def test_the_query_count_does_not_grow_with_the_people_referred(world: Any) -> None:
    client = client_for(world.patrycja)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for number in range(12):
        person = make_participant(world.club_a, "Osoba", f"Skierowana{number:02d}", referring_partner=world.patrycja)
        contract = SocialContract.objects.create(
            participant=person,
            ops_name="MOPS Nowy Sącz",
            social_worker="Patrycja Zając",
            valid_from=date(2026, 3, 1),
            valid_to=date(2026, 12, 31),
        )
        ContractClause.objects.create(contract=contract, action="Warsztaty", responsible="participant")
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL)
    assert len(response.context["people"]) == 13
    assert len(many) == len(few)
    assert len(many) <= 10


def test_a_partner_in_two_clubs_sees_only_their_referrals_in_each(world: Any) -> None:
    Grant.objects.create(user=world.patrycja, role=Role.PARTNER, club=world.club_b)
    make_participant(world.club_b, "Roman", "Kos", referring_partner=world.patrycja)
    make_participant(world.club_b, "Zofia", "Kos")
    response = client_for(world.patrycja).get(URL)
    assert sorted(person.first_name for person in response.context["people"]) == ["Jan", "Roman"]
