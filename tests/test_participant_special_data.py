"""Special-category data behind a reason, eligibility from dated rules, the PESEL, and editing the file."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import translation

from kis.accounts.models import User
from kis.audit.models import AuditEvent
from kis.contracts.models import SocialContract
from kis.lib.testing import make_participant
from kis.participants import eligibility
from kis.participants.models import Participant, TargetGroup

HEALTH_NOTE = "Cukrzyca typu 2, leczenie w poradni"


@pytest.fixture(autouse=True)
def _no_mfa(settings: Any) -> None:
    settings.REQUIRE_MFA = False


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(form: Any) -> dict[str, Any]:
    """What a browser would send back for an unchanged form."""
    data: dict[str, Any] = {}
    for bound in form:
        value = bound.value()
        if value is None or value == []:
            continue
        data[bound.html_name] = value
    return data


def group_label(code: str) -> str:
    with translation.override("pl"):
        return str(TargetGroup(code).label)


@pytest.fixture
def jan(world: Any) -> Participant:
    jan = world.jan
    jan.health_notes = HEALTH_NOTE
    jan.save(update_fields=["health_notes"])
    return jan


def special_url(person: Participant) -> str:
    return f"/uczestnicy/{person.pk}/dane-szczegolne/"


def special_reads(person: Participant) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="participant.special_read", target_id=str(person.pk)))


# --- the "show" step ------------------------------------------------------------------------


def test_it_shows_no_special_values_before_a_reason_is_given(jan: Participant, world: Any) -> None:
    response = client_for(world.bartek).get(special_url(jan))
    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["revealed"] is None
    assert HEALTH_NOTE not in body
    assert group_label("long_term_unemployed") not in body
    assert special_reads(jan) == []


def test_it_shows_nothing_when_the_reason_is_empty(jan: Participant, world: Any) -> None:
    response = client_for(world.bartek).post(special_url(jan), {"reason": "   "})
    assert response.status_code == 200
    assert response.context["revealed"] is None
    assert HEALTH_NOTE not in response.content.decode()
    assert special_reads(jan) == []


def test_with_a_reason_it_shows_the_values_and_audits_the_reason_only(jan: Participant, world: Any) -> None:
    response = client_for(world.bartek).post(special_url(jan), {"reason": "Weryfikacja przy przyjęciu"})
    body = response.content.decode()
    assert response.status_code == 200
    assert HEALTH_NOTE in body
    assert group_label("long_term_unemployed") in body
    [event] = special_reads(jan)
    assert event.actor_id == world.bartek.pk
    assert event.details == {"reason": "Weryfikacja przy przyjęciu"}
    stored = json.dumps(event.details, ensure_ascii=False) + event.target_label
    assert "Cukrzyca" not in stored
    assert "long_term_unemployed" not in stored


@time_machine.travel(date(2026, 3, 10), tick=False)
def test_the_panel_says_jan_is_eligible_today(jan: Participant, world: Any) -> None:
    response = client_for(world.bartek).post(special_url(jan), {"reason": "Przegląd"})
    result = response.context["revealed"]["eligibility"]
    assert result.on == date(2026, 3, 10)
    assert result.eligible is True
    assert [check.ok for check in result.checks] == [True, True, True, True]
    assert "Spełnia warunki udziału" in response.content.decode()


@time_machine.travel(date(2026, 3, 10), tick=False)
def test_the_panel_says_a_person_with_the_right_to_unemployment_benefit_is_not_eligible(world: Any) -> None:
    tomasz = make_participant(world.club_a, "Tomasz", "Wójcik", excluded_benefits=["unemployment_benefit"])
    response = client_for(world.bartek).post(special_url(tomasz), {"reason": "Przegląd"})
    result = response.context["revealed"]["eligibility"]
    assert result.eligible is False
    failed = [check for check in result.checks if not check.ok]
    # Excluded benefit, and no social contract in force (he has none).
    assert [check.source for check in failed] == [
        "art. 1 ust. 3 i 3a u.z.s. (t.j. Dz.U. 2025 poz. 83)",
        "art. 18 ust. 4 u.z.s.",
    ]
    assert "Spełnia warunki udziału" not in response.content.decode()


def test_the_desk_cannot_see_special_data(jan: Participant, world: Any) -> None:
    client = client_for(world.dorota)
    assert client.get(special_url(jan)).status_code == 403
    response = client.post(special_url(jan), {"reason": "Ciekawość"})
    assert response.status_code == 403
    assert HEALTH_NOTE not in response.content.decode()
    assert special_reads(jan) == []


# --- eligibility on a fixed day ---------------------------------------------------------------


@pytest.fixture
def halina(world: Any) -> Participant:
    """Has the right to an incapacity-for-work pension; a contract covers 2021–2023."""
    halina = make_participant(
        world.club_a,
        "Halina",
        "Mazur",
        sex="F",
        birth_date=date(1968, 9, 3),
        excluded_benefits=["incapacity_pension"],
        benefits_declared_on=date(2021, 1, 4),
        applied_on=date(2021, 1, 4),
    )
    SocialContract.objects.create(
        participant=halina,
        number="3/2021",
        ops_name="MOPS Nowy Sącz",
        social_worker="Patrycja Zając",
        valid_from=date(2021, 1, 4),
        valid_to=date(2023, 12, 31),
        status="signed",
        signed_on=date(2021, 1, 4),
    )
    return halina


def test_an_incapacity_pension_alone_is_allowed_since_2022(halina: Participant) -> None:
    result = eligibility.check(halina, on=date(2022, 3, 1))
    assert result.eligible is True
    assert result.checks[2].ok is True
    assert result.checks[2].source == "art. 1 ust. 3 i 3a u.z.s. (t.j. Dz.U. 2025 poz. 83)"


def test_the_incapacity_pension_rule_changes_on_15_february_2022(halina: Participant) -> None:
    assert eligibility.check(halina, on=date(2022, 2, 15)).eligible is True
    before = eligibility.check(halina, on=date(2022, 2, 14))
    assert before.eligible is False
    assert [check.ok for check in before.checks] == [True, True, False, True]
    assert before.checks[2].source == "art. 1 ust. 3 u.z.s."


def test_an_incapacity_pension_excluded_a_person_in_2021(halina: Participant) -> None:
    assert eligibility.check(halina, on=date(2021, 6, 1)).eligible is False


def test_an_unemployment_benefit_excludes_before_and_after_2022(halina: Participant) -> None:
    halina.excluded_benefits = ["incapacity_pension", "unemployment_benefit"]
    assert eligibility.check(halina, on=date(2021, 6, 1)).eligible is False
    assert eligibility.check(halina, on=date(2023, 6, 1)).eligible is False


def test_an_unsigned_benefits_declaration_is_not_eligible(halina: Participant) -> None:
    result = eligibility.check(halina, on=date(2021, 1, 3))
    assert result.eligible is False
    assert result.checks[2].ok is False


def test_without_a_contract_in_force_the_person_is_not_eligible(halina: Participant) -> None:
    result = eligibility.check(halina, on=date(2024, 1, 2))
    assert result.eligible is False
    assert [check.ok for check in result.checks] == [True, True, True, False]


def test_a_refusal_to_name_a_group_is_not_eligible(halina: Participant) -> None:
    halina.groups, halina.groups_refused = [], True
    result = eligibility.check(halina, on=date(2022, 3, 1))
    assert result.eligible is False
    assert result.checks[0].ok is False


def test_another_excluded_person_needs_the_recorded_reason(halina: Participant) -> None:
    halina.groups = ["other"]
    assert eligibility.check(halina, on=date(2022, 3, 1)).checks[0].ok is False
    halina.other_group_reason = "Eksmisja, brak dochodu"
    assert eligibility.check(halina, on=date(2022, 3, 1)).eligible is True


def test_before_the_first_rule_nothing_is_eligible(halina: Participant) -> None:
    halina.benefits_declared_on = date(2006, 1, 2)
    result = eligibility.check(halina, on=date(2007, 7, 14))
    assert result.eligible is False
    assert result.checks[0].ok is False


# --- the PESEL --------------------------------------------------------------------------------


def test_the_detail_shows_the_masked_pesel_only(world: Any) -> None:
    body = client_for(world.bartek).get(f"/uczestnicy/{world.jan.pk}/").content.decode()
    assert "•••••••2345" in body
    assert "80051712345" not in body
    assert not AuditEvent.objects.filter(action="participant.pesel_revealed").exists()


def test_revealing_the_pesel_returns_it_and_audits(world: Any) -> None:
    response = client_for(world.bartek).post(f"/uczestnicy/{world.jan.pk}/pesel/")
    assert response.status_code == 200
    assert "80051712345" in response.content.decode()
    event = AuditEvent.objects.get(action="participant.pesel_revealed")
    assert (event.actor_id, event.target_id) == (world.bartek.pk, str(world.jan.pk))
    assert "80051712345" not in json.dumps(event.details) + event.target_label


def test_the_pesel_is_revealed_only_by_post(world: Any) -> None:
    response = client_for(world.bartek).get(f"/uczestnicy/{world.jan.pk}/pesel/")
    assert response.status_code == 405
    assert not AuditEvent.objects.filter(action="participant.pesel_revealed").exists()


# --- editing special data ----------------------------------------------------------------------


def special_edit_url(person: Participant) -> str:
    return f"/uczestnicy/{person.pk}/dane-szczegolne/edycja/"


def test_opening_the_special_data_form_is_audited(jan: Participant, world: Any) -> None:
    client_for(world.bartek).get(special_edit_url(jan))
    assert [event.details for event in special_reads(jan)] == [{"reason": "edit form"}]


def test_it_saves_special_data_and_audits_the_change_without_values(jan: Participant, world: Any) -> None:
    client = client_for(world.bartek)
    data = form_data(client.get(special_edit_url(jan)).context["form"])
    data.update({"groups": ["long_term_unemployed", "disability"], "health_notes": "Orzeczenie o niepełnosprawności"})
    response = client.post(special_edit_url(jan), data)
    assert response.status_code == 302
    assert response["Location"] == special_url(jan)
    jan.refresh_from_db()
    assert jan.groups == ["long_term_unemployed", "disability"]
    assert jan.health_notes == "Orzeczenie o niepełnosprawności"
    assert jan.version == 1
    event = AuditEvent.objects.get(action="participant.special_updated")
    assert event.details == {"changes": {"groups": "[redacted]", "health_notes": "[redacted]"}}


def test_a_stale_special_data_form_is_refused_with_409(jan: Participant, world: Any) -> None:
    alicja, bartek = client_for(world.alicja), client_for(world.bartek)
    first = form_data(alicja.get(special_edit_url(jan)).context["form"])
    second = form_data(bartek.get(special_edit_url(jan)).context["form"])
    assert alicja.post(special_edit_url(jan), {**first, "health_notes": "Wersja Alicji"}).status_code == 302
    response = bartek.post(special_edit_url(jan), {**second, "health_notes": "Wersja Bartka", "groups": ["disability"]})
    assert response.status_code == 409
    jan.refresh_from_db()
    assert (jan.health_notes, jan.groups, jan.version) == ("Wersja Alicji", ["long_term_unemployed"], 1)
    assert AuditEvent.objects.filter(action="participant.special_updated").count() == 1


def test_special_data_edit_keeps_the_rules_of_intake(jan: Participant, world: Any) -> None:
    client = client_for(world.bartek)
    data = form_data(client.get(special_edit_url(jan)).context["form"])
    response = client.post(special_edit_url(jan), {**data, "groups": ["other"]})
    assert response.status_code == 400
    assert response.context["form"].has_error("other_group_reason", code="other_reason_required") is True
    jan.refresh_from_db()
    assert (jan.groups, jan.version) == (["long_term_unemployed"], 0)


# --- editing basic data ------------------------------------------------------------------------


def edit_url(person: Participant) -> str:
    return f"/uczestnicy/{person.pk}/edycja/"


def test_it_saves_basic_data_and_audits_old_and_new_values(world: Any) -> None:
    client = client_for(world.bartek)
    data = form_data(client.get(edit_url(world.jan)).context["form"])
    assert "pesel" not in data  # the stored PESEL is never put back into the page
    response = client.post(edit_url(world.jan), {**data, "phone": "600 100 200"})
    assert response.status_code == 302
    world.jan.refresh_from_db()
    assert (world.jan.phone, world.jan.pesel, world.jan.version) == ("600 100 200", "80051712345", 1)
    event = AuditEvent.objects.get(action="participant.updated")
    assert event.details == {"changes": {"phone": ["", "600 100 200"]}}


def test_a_new_pesel_replaces_the_stored_one_and_is_redacted_in_the_audit(world: Any) -> None:
    client = client_for(world.bartek)
    data = form_data(client.get(edit_url(world.jan)).context["form"])
    response = client.post(edit_url(world.jan), {**data, "pesel": "80051701112"})
    assert response.status_code == 302
    world.jan.refresh_from_db()
    assert (world.jan.pesel, world.jan.pesel_last4) == ("80051701112", "1112")
    event = AuditEvent.objects.get(action="participant.updated")
    assert event.details["changes"]["pesel"] == "[redacted]"
    assert "80051701112" not in json.dumps(event.details)


def test_two_concurrent_edits_do_not_lose_an_update(world: Any) -> None:
    alicja, bartek = client_for(world.alicja), client_for(world.bartek)
    first = form_data(alicja.get(edit_url(world.jan)).context["form"])
    second = form_data(bartek.get(edit_url(world.jan)).context["form"])
    assert alicja.post(edit_url(world.jan), {**first, "phone": "600 100 200"}).status_code == 302
    response = bartek.post(edit_url(world.jan), {**second, "city": "Limanowa"})
    assert response.status_code == 409
    assert response.context["form"].non_field_errors()
    world.jan.refresh_from_db()
    assert (world.jan.phone, world.jan.city, world.jan.version) == ("600 100 200", "", 1)
    assert AuditEvent.objects.filter(action="participant.updated").count() == 1


def test_clearing_the_birth_date_of_a_person_with_a_stored_pesel_is_refused(world: Any) -> None:
    client = client_for(world.bartek)
    data = form_data(client.get(edit_url(world.jan)).context["form"])
    del data["birth_date"]
    response = client.post(edit_url(world.jan), data)
    assert response.status_code == 400
    assert response.context["form"].has_error("birth_date", code="required") is True
    world.jan.refresh_from_db()
    assert (world.jan.birth_date, world.jan.version) == (date(1980, 5, 17), 0)
