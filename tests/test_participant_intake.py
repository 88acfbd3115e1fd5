"""Intake (/kluby/<club>/uczestnicy/nowy/): PESEL checks, encryption, statutory purposes, duplicates."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.contrib import messages
from django.db import connection
from django.test import Client

from kis.accounts.models import User
from kis.audit.models import AuditEvent
from kis.lib import crypto
from kis.lib.testing import make_participant
from kis.participants.models import Consent, Participant

# Valid PESELs (checksums computed with python-stdnum): born 15.02.1990, a man; born 17.05.1980, a man.
MAREK_PESEL = "90021501237"
JANUSZ_PESEL = "80051701112"


@pytest.fixture(autouse=True)
def _no_mfa(settings: Any) -> None:
    settings.REQUIRE_MFA = False


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def intake_url(world: Any) -> str:
    return f"/kluby/{world.club_a.pk}/uczestnicy/nowy/"


def marek(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "first_name": "Marek",
        "last_name": "Zieliński",
        "pesel": MAREK_PESEL,
        "labour_status": "registered_unemployed",
        "referral": "own",
        "applied_on": "2026-03-02",
        "groups": ["long_term_unemployed"],
        "general_clause_confirmed": "on",
        "benefits_declared_on": "2026-03-02",
        "health_notes": "Cukrzyca typu 2",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def count_club_a(world: Any) -> int:
    return Participant.objects.filter(club=world.club_a).count()


def test_it_derives_birth_date_and_sex_from_the_pesel(world: Any) -> None:
    response = client_for(world.bartek).post(intake_url(world), marek(birth_date="1999-01-01", sex="F"))
    assert response.status_code == 302
    person = Participant.objects.get(club=world.club_a, last_name="Zieliński")
    assert response["Location"] == f"/uczestnicy/{person.pk}/"
    assert person.birth_date == date(1990, 2, 15)
    assert person.sex == "M"
    assert person.status == "candidate"
    assert person.applied_on == date(2026, 3, 2)


def test_it_stores_the_pesel_encrypted_with_only_its_hash_and_last_digits_in_clear(world: Any) -> None:
    client_for(world.bartek).post(intake_url(world), marek())
    person = Participant.objects.get(club=world.club_a, last_name="Zieliński")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pesel, pesel_hash, pesel_last4, groups, health_notes FROM participants_participant WHERE id = %s",
            [person.pk],
        )
        raw_pesel, pesel_hash, last4, raw_groups, raw_health = cursor.fetchone()
    assert raw_pesel.startswith("gAAAA")
    assert MAREK_PESEL not in raw_pesel
    assert "150123" not in raw_pesel
    assert pesel_hash == crypto.keyed_hash(MAREK_PESEL, purpose="pesel")
    assert MAREK_PESEL not in pesel_hash
    assert last4 == "1237"
    assert raw_groups.startswith("gAAAA")
    assert "long_term_unemployed" not in raw_groups
    assert raw_health.startswith("gAAAA")
    assert "Cukrzyca" not in raw_health
    assert person.pesel == MAREK_PESEL
    assert person.groups == ["long_term_unemployed"]


def test_it_records_the_statutory_processing_purposes(world: Any) -> None:
    client_for(world.bartek).post(intake_url(world), marek())
    person = Participant.objects.get(club=world.club_a, last_name="Zieliński")
    assert set(person.consents.values_list("purpose", "basis", "given_on", "withdrawn_on")) == {
        (Consent.Purpose.PARTICIPATION, Consent.Basis.STATUTE, date(2026, 3, 2), None),
        (Consent.Purpose.SPECIAL_CATEGORIES, Consent.Basis.STATUTE, date(2026, 3, 2), None),
    }


def test_it_audits_the_registration_without_pesel_or_groups(world: Any) -> None:
    client_for(world.bartek).post(intake_url(world), marek())
    person = Participant.objects.get(club=world.club_a, last_name="Zieliński")
    event = AuditEvent.objects.get(action="participant.registered", target_id=str(person.pk))
    assert event.actor_id == world.bartek.pk
    assert event.club_id == world.club_a.pk
    assert event.target_type == "participants.Participant"
    stored = json.dumps(event.details) + event.target_label
    for secret in (MAREK_PESEL, "1237", "long_term_unemployed", "Cukrzyca"):
        assert secret not in stored
    assert event.details == {"referral": "own"}


@pytest.mark.parametrize(
    ("pesel", "code"),
    [
        ("90021501238", "pesel_checksum"),  # the last digit is wrong
        ("80023012345", "pesel_date"),  # 30 February 1980
        ("02222901244", "pesel_date"),  # 29 February 2002
        ("9002150123A", "pesel_format"),
        ("900215012", "pesel_format"),
    ],
)
def test_it_refuses_a_bad_pesel_and_saves_nothing(world: Any, pesel: str, code: str) -> None:
    client = client_for(world.bartek)
    before_people, before_events = count_club_a(world), AuditEvent.objects.count()
    response = client.post(intake_url(world), marek(pesel=pesel))
    assert response.status_code == 400
    assert response.context["form"].has_error("pesel", code=code) is True
    assert count_club_a(world) == before_people
    assert AuditEvent.objects.count() == before_events


def test_it_asks_for_a_pesel_or_the_no_pesel_box(world: Any) -> None:
    response = client_for(world.bartek).post(intake_url(world), marek(pesel=""))
    assert response.status_code == 400
    assert response.context["form"].has_error("pesel", code="required") is True
    assert not Participant.objects.filter(last_name="Zieliński").exists()


def test_without_a_pesel_it_needs_the_document_birth_date_and_sex(world: Any) -> None:
    response = client_for(world.bartek).post(intake_url(world), marek(pesel="", no_pesel="on"))
    assert response.status_code == 400
    form = response.context["form"]
    for name in ("id_document_type", "id_document_number", "birth_date", "sex"):
        assert form.has_error(name, code="required") is True, name
    assert not Participant.objects.filter(last_name="Zieliński").exists()


def test_without_a_pesel_it_registers_with_the_document(world: Any) -> None:
    response = client_for(world.bartek).post(
        intake_url(world),
        marek(
            pesel="",
            no_pesel="on",
            id_document_type="passport",
            id_document_number="FA1234567",
            birth_date="1991-07-04",
            sex="M",
        ),
    )
    assert response.status_code == 302
    person = Participant.objects.get(club=world.club_a, last_name="Zieliński")
    assert (person.pesel, person.pesel_hash, person.pesel_last4) == (None, "", "")
    assert (person.id_document_type, person.id_document_number) == ("passport", "FA1234567")
    assert (person.birth_date, person.sex) == (date(1991, 7, 4), "M")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_document_number FROM participants_participant WHERE id = %s", [person.pk])
        (raw_number,) = cursor.fetchone()
    assert raw_number.startswith("gAAAA")
    assert "FA1234567" not in raw_number


def test_it_refuses_both_a_pesel_and_the_no_pesel_box(world: Any) -> None:
    response = client_for(world.bartek).post(intake_url(world), marek(no_pesel="on"))
    assert response.status_code == 400
    assert response.context["form"].has_error("no_pesel", code="both") is True
    assert not Participant.objects.filter(last_name="Zieliński").exists()


def test_it_refuses_a_pesel_already_registered_in_the_club(world: Any) -> None:
    response = client_for(world.bartek).post(
        intake_url(world), marek(first_name="Jerzy", last_name="Kowal", pesel="800517 12345")
    )
    assert response.status_code == 400
    assert response.context["form"].has_error("pesel", code="duplicate") is True
    assert Participant.objects.filter(club=world.club_a).filter(pesel_last4="2345").count() == 1
    assert not Participant.objects.filter(last_name="Kowal").exists()


def test_a_similar_name_with_the_same_birth_date_needs_confirmation(world: Any) -> None:
    """Jan Nowak, born 17.05.1980, is in Club A; 'Janusz NOWAK' born the same day is probably him."""
    client = client_for(world.bartek)
    data = marek(first_name="Janusz", last_name="NOWAK", pesel=JANUSZ_PESEL)
    refused = client.post(intake_url(world), data)
    assert refused.status_code == 400
    assert refused.context["form"].has_error("confirm_not_duplicate", code="possible_duplicate") is True
    assert [person.pk for person in refused.context["similar"]] == [world.jan.pk]
    assert not Participant.objects.filter(first_name="Janusz").exists()

    accepted = client.post(intake_url(world), {**data, "confirm_not_duplicate": "on"})
    assert accepted.status_code == 302
    janusz = Participant.objects.get(first_name="Janusz")
    assert (janusz.last_name, janusz.birth_date) == ("NOWAK", date(1980, 5, 17))


def test_a_similar_name_with_another_birth_date_is_not_a_duplicate(world: Any) -> None:
    response = client_for(world.bartek).post(intake_url(world), marek(first_name="Janusz", last_name="Nowak"))
    assert response.status_code == 302
    assert Participant.objects.filter(club=world.club_a, last_name="Nowak").count() == 2


def test_a_person_active_in_another_club_gets_a_warning_with_the_voivodeship_only(world: Any) -> None:
    make_participant(
        world.club_c, "Marek", "Zieliński", pesel=MAREK_PESEL, status="active", joined_on=date(2026, 1, 12)
    )
    response = client_for(world.bartek).post(intake_url(world), marek(), follow=True)
    assert response.status_code == 200
    registered = Participant.objects.get(club=world.club_a, last_name="Zieliński")
    assert response.redirect_chain == [(f"/uczestnicy/{registered.pk}/", 302)]
    warnings = [str(m) for m in response.context["messages"] if m.level == messages.WARNING]
    body = response.content.decode()
    assert any("mazowieckie" in text for text in warnings)
    assert "mazowieckie" in body
    for hint in ("KIS Krok dalej", "Wołomin", "Gmina Wołomin"):
        assert hint not in body
        assert all(hint not in text for text in warnings)


def test_a_person_who_finished_in_another_club_gives_no_warning(world: Any) -> None:
    make_participant(
        world.club_c,
        "Marek",
        "Zieliński",
        pesel=MAREK_PESEL,
        status="exited",
        joined_on=date(2025, 1, 12),
        left_on=date(2025, 9, 30),
        exit_reason="completed",
    )
    response = client_for(world.bartek).post(intake_url(world), marek(), follow=True)
    assert response.status_code == 200
    assert "mazowieckie" not in response.content.decode()
    assert Participant.objects.filter(club=world.club_a, last_name="Zieliński").exists()


def test_another_excluded_person_needs_a_reason(world: Any) -> None:
    response = client_for(world.bartek).post(intake_url(world), marek(groups=["other"]))
    assert response.status_code == 400
    assert response.context["form"].has_error("other_group_reason", code="other_reason_required") is True
    assert not Participant.objects.filter(last_name="Zieliński").exists()


def test_another_excluded_person_with_a_reason_is_registered(world: Any) -> None:
    response = client_for(world.bartek).post(
        intake_url(world), marek(groups=["other"], other_group_reason="Eksmisja, brak dochodu")
    )
    assert response.status_code == 302
    person = Participant.objects.get(last_name="Zieliński")
    assert (person.groups, person.other_group_reason) == (["other"], "Eksmisja, brak dochodu")


def test_it_refuses_groups_together_with_a_refusal_to_answer(world: Any) -> None:
    response = client_for(world.bartek).post(intake_url(world), marek(groups_refused="on"))
    assert response.status_code == 400
    assert response.context["form"].has_error("groups_refused", code="refused_and_groups") is True
    assert not Participant.objects.filter(last_name="Zieliński").exists()


def test_it_registers_a_refusal_to_answer_without_groups(world: Any) -> None:
    response = client_for(world.bartek).post(intake_url(world), marek(groups=[], groups_refused="on"))
    assert response.status_code == 302
    person = Participant.objects.get(last_name="Zieliński")
    assert (person.groups, person.groups_refused) == ([], True)


def test_an_outsider_cannot_register_in_club_a(world: Any) -> None:
    response = client_for(world.celina).post(intake_url(world), marek())
    assert response.status_code == 404
    assert not Participant.objects.filter(last_name="Zieliński").exists()
