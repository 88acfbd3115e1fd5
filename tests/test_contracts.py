"""Social contracts: draft, sign, clauses, annex, closing; admission outside a contract."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.contrib import messages
from django.test import Client

from kis.accounts.models import User
from kis.audit.models import AuditEvent
from kis.contracts.models import ContractClause, PlanGoal, ReintegrationPlan, SocialContract
from kis.lib.testing import make_participant
from kis.participants.models import Participant


@pytest.fixture(autouse=True)
def _no_mfa(settings: Any) -> None:
    settings.REQUIRE_MFA = False


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def olga(world: Any) -> Participant:
    """A candidate of Club A with no contract yet."""
    return make_participant(world.club_a, "Olga", "Bąk", sex="F", birth_date=date(1979, 4, 22))


def draft_data(**overrides: str) -> dict[str, str]:
    data = {
        "number": "31/2026",
        "ops_name": "MOPS Nowy Sącz",
        "social_worker": "Patrycja Zając",
        "social_worker_phone": "18 443 55 00",
        "variant": "B",
        "valid_from": "2026-03-01",
        "valid_to": "2026-11-30",
    }
    data.update(overrides)
    return data


def make_draft(person: Participant) -> SocialContract:
    return SocialContract.objects.create(
        participant=person,
        number="31/2026",
        ops_name="MOPS Nowy Sącz",
        social_worker="Patrycja Zając",
        valid_from=date(2026, 3, 1),
        valid_to=date(2026, 11, 30),
    )


def message_levels(response: Any) -> list[str]:
    return [message.level_tag for message in response.context["messages"]]


# --- recording and signing ----------------------------------------------------------------------


def test_it_records_a_draft(olga: Participant, world: Any) -> None:
    response = client_for(world.bartek).post(f"/uczestnicy/{olga.pk}/kontrakty/", draft_data())
    contract = SocialContract.objects.get(participant=olga)
    assert response.status_code == 302
    assert response["Location"] == f"/kontrakty/{contract.pk}/"
    assert (contract.status, contract.signed_on, contract.number, contract.variant) == ("draft", None, "31/2026", "B")
    assert (contract.valid_from, contract.valid_to) == (date(2026, 3, 1), date(2026, 11, 30))
    event = AuditEvent.objects.get(action="contract.created")
    assert (event.actor_id, event.target_id, event.club_id) == (world.bartek.pk, str(contract.pk), world.club_a.pk)


def test_a_contract_cannot_end_before_it_starts(olga: Participant, world: Any) -> None:
    response = client_for(world.bartek).post(f"/uczestnicy/{olga.pk}/kontrakty/", draft_data(valid_to="2026-02-28"))
    assert response.status_code == 400
    assert response.context["form"].has_error("valid_to", code="ends_before_start") is True
    assert not SocialContract.objects.filter(participant=olga).exists()
    assert not AuditEvent.objects.filter(action="contract.created").exists()


def test_a_contract_may_last_one_day(olga: Participant, world: Any) -> None:
    response = client_for(world.bartek).post(f"/uczestnicy/{olga.pk}/kontrakty/", draft_data(valid_to="2026-03-01"))
    assert response.status_code == 302
    assert SocialContract.objects.get(participant=olga).valid_to == date(2026, 3, 1)


def test_signing_a_draft(olga: Participant, world: Any) -> None:
    contract = make_draft(olga)
    response = client_for(world.bartek).post(f"/kontrakty/{contract.pk}/podpisz/", {"signed_on": "2026-02-27"})
    assert response.status_code == 302
    contract.refresh_from_db()
    assert (contract.status, contract.signed_on, contract.version) == ("signed", date(2026, 2, 27), 1)
    event = AuditEvent.objects.get(action="contract.signed")
    assert event.details == {"signed_on": "2026-02-27"}


def test_only_a_draft_can_be_signed(world: Any) -> None:
    response = client_for(world.bartek).post(
        f"/kontrakty/{world.contract_a.pk}/podpisz/", {"signed_on": "2026-05-05"}, follow=True
    )
    assert message_levels(response) == ["error"]
    world.contract_a.refresh_from_db()
    assert world.contract_a.signed_on == date(2026, 1, 20)
    assert not AuditEvent.objects.filter(action="contract.signed").exists()


def test_signing_needs_a_date(olga: Participant, world: Any) -> None:
    contract = make_draft(olga)
    response = client_for(world.bartek).post(f"/kontrakty/{contract.pk}/podpisz/", {"signed_on": "jutro"}, follow=True)
    assert message_levels(response) == ["error"]
    contract.refresh_from_db()
    assert (contract.status, contract.signed_on) == ("draft", None)


# --- clauses ------------------------------------------------------------------------------------


def clause_data(**overrides: str) -> dict[str, str]:
    data = {
        "action": "Rejestracja w PUP jako poszukujący pracy",
        "responsible": "participant",
        "deadline": "2026-04-15",
        "verification": "zaświadczenie z PUP",
    }
    data.update(overrides)
    return data


def test_adding_a_clause(world: Any) -> None:
    response = client_for(world.bartek).post(f"/kontrakty/{world.contract_a.pk}/klauzule/", clause_data())
    assert response.status_code == 302
    clause = ContractClause.objects.get(action="Rejestracja w PUP jako poszukujący pracy")
    assert (clause.contract, clause.responsible, clause.deadline, clause.done_on, clause.goal) == (
        world.contract_a,
        "participant",
        date(2026, 4, 15),
        None,
        None,
    )
    assert AuditEvent.objects.filter(action="contract.clause_added", target_id=str(clause.pk)).exists()
    assert world.contract_a.progress() == (0, 2)


def test_a_clause_may_point_to_a_goal_of_the_current_plan_only(world: Any) -> None:
    goal = PlanGoal.objects.get(plan__participant=world.jan)
    other_plan = ReintegrationPlan.objects.create(
        participant=world.ewa, number=1, diagnosis="Diagnoza Ewy", created_by=world.alicja
    )
    foreign_goal = PlanGoal.objects.create(plan=other_plan, kind="social", description="Cel Ewy")
    client = client_for(world.bartek)
    client.post(
        f"/kontrakty/{world.contract_a.pk}/klauzule/", clause_data(action="Zgodna", goal=str(goal.pk)), follow=True
    )
    response = client.post(
        f"/kontrakty/{world.contract_a.pk}/klauzule/",
        clause_data(action="Obca", goal=str(foreign_goal.pk)),
        follow=True,
    )
    assert ContractClause.objects.get(action="Zgodna").goal == goal
    assert not ContractClause.objects.filter(action="Obca").exists()
    assert message_levels(response) == ["error"]


def test_a_clause_needs_an_action(world: Any) -> None:
    response = client_for(world.bartek).post(
        f"/kontrakty/{world.contract_a.pk}/klauzule/", clause_data(action=""), follow=True
    )
    assert message_levels(response) == ["error"]
    assert world.contract_a.clauses.count() == 1


def test_marking_a_clause_done_and_undoing_it(world: Any) -> None:
    url = f"/kontrakty/{world.contract_a.pk}/klauzule/{world.clause_a.pk}/wykonane/"
    client = client_for(world.bartek)
    with time_machine.travel(date(2026, 6, 12), tick=False):
        client.force_login(world.bartek)
        assert client.post(url).status_code == 302
        world.clause_a.refresh_from_db()
        assert world.clause_a.done_on == date(2026, 6, 12)
        assert world.clause_a.state == "done"
        assert world.contract_a.progress() == (1, 1)
        client.post(url)
        world.clause_a.refresh_from_db()
        assert world.clause_a.done_on is None
        assert world.clause_a.state == "open"
    assert list(
        AuditEvent.objects.filter(action="contract.clause_marked").order_by("seq").values_list("details", flat=True)
    ) == [{"done": True}, {"done": False}]


def test_an_open_clause_past_its_deadline_is_overdue(world: Any) -> None:
    with time_machine.travel(date(2026, 6, 30), tick=False):
        assert world.clause_a.state == "open"
    with time_machine.travel(date(2026, 7, 1), tick=False):
        assert world.clause_a.state == "overdue"


def test_a_clause_of_another_contract_is_404(olga: Participant, world: Any) -> None:
    other = make_draft(olga)
    response = client_for(world.bartek).post(f"/kontrakty/{other.pk}/klauzule/{world.clause_a.pk}/wykonane/")
    assert response.status_code == 404
    world.clause_a.refresh_from_db()
    assert world.clause_a.done_on is None


# --- annex --------------------------------------------------------------------------------------


def test_an_annex_changes_the_end_date_and_is_audited(world: Any) -> None:
    response = client_for(world.bartek).post(
        f"/kontrakty/{world.contract_a.pk}/aneks/", {"valid_to": "2027-03-31", "note": "Przedłużenie o kwartał"}
    )
    assert response.status_code == 302
    world.contract_a.refresh_from_db()
    assert (world.contract_a.status, world.contract_a.valid_to) == ("amended", date(2027, 3, 31))
    event = AuditEvent.objects.get(action="contract.amended")
    assert event.details == {"valid_to": ["2026-12-31", "2027-03-31"], "note": "Przedłużenie o kwartał"}


def test_an_annex_cannot_end_the_contract_before_it_starts(world: Any) -> None:
    response = client_for(world.bartek).post(
        f"/kontrakty/{world.contract_a.pk}/aneks/", {"valid_to": "2026-01-19", "note": "Pomyłka"}, follow=True
    )
    assert message_levels(response) == ["error"]
    world.contract_a.refresh_from_db()
    assert (world.contract_a.status, world.contract_a.valid_to) == ("signed", date(2026, 12, 31))


def test_a_draft_cannot_be_amended(olga: Participant, world: Any) -> None:
    contract = make_draft(olga)
    response = client_for(world.bartek).post(
        f"/kontrakty/{contract.pk}/aneks/", {"valid_to": "2026-12-31", "note": "Aneks"}, follow=True
    )
    assert message_levels(response) == ["error"]
    contract.refresh_from_db()
    assert (contract.status, contract.valid_to) == ("draft", date(2026, 11, 30))


def test_an_amended_contract_can_be_amended_again(world: Any) -> None:
    client = client_for(world.bartek)
    client.post(f"/kontrakty/{world.contract_a.pk}/aneks/", {"valid_to": "2027-03-31", "note": "Pierwszy"})
    client.post(f"/kontrakty/{world.contract_a.pk}/aneks/", {"valid_to": "2027-06-30", "note": "Drugi"})
    world.contract_a.refresh_from_db()
    assert (world.contract_a.status, world.contract_a.valid_to, world.contract_a.version) == (
        "amended",
        date(2027, 6, 30),
        2,
    )


# --- closing ------------------------------------------------------------------------------------


def close_url(contract: SocialContract) -> str:
    return f"/kontrakty/{contract.pk}/zakoncz/"


def test_terminating_needs_a_reason(world: Any) -> None:
    response = client_for(world.bartek).post(
        close_url(world.contract_a), {"status": "terminated", "ended_on": "2026-05-10", "note": ""}, follow=True
    )
    assert message_levels(response) == ["error"]
    world.contract_a.refresh_from_db()
    assert (world.contract_a.status, world.contract_a.ended_on) == ("signed", None)
    assert not AuditEvent.objects.filter(action="contract.closed").exists()


def test_terminating_with_a_reason(world: Any) -> None:
    response = client_for(world.bartek).post(
        close_url(world.contract_a),
        {"status": "terminated", "ended_on": "2026-05-10", "note": "Nie stawia się od miesiąca"},
    )
    assert response.status_code == 302
    world.contract_a.refresh_from_db()
    assert (world.contract_a.status, world.contract_a.ended_on, world.contract_a.end_note) == (
        "terminated",
        date(2026, 5, 10),
        "Nie stawia się od miesiąca",
    )
    event = AuditEvent.objects.get(action="contract.closed")
    assert event.details == {"status": "terminated", "ended_on": "2026-05-10"}


def test_completing_positively_needs_no_note(world: Any) -> None:
    client_for(world.bartek).post(
        close_url(world.contract_a), {"status": "completed_positively", "ended_on": "2026-12-31", "note": ""}
    )
    world.contract_a.refresh_from_db()
    assert (world.contract_a.status, world.contract_a.is_open) == ("completed_positively", False)


def test_a_closed_contract_refuses_new_clauses_annexes_and_closing(world: Any) -> None:
    client = client_for(world.bartek)
    client.post(close_url(world.contract_a), {"status": "expired", "ended_on": "2026-12-31", "note": ""}, follow=True)
    response = client.post(f"/kontrakty/{world.contract_a.pk}/klauzule/", clause_data(), follow=True)
    assert message_levels(response) == ["error"]
    assert world.contract_a.clauses.count() == 1
    client.post(f"/kontrakty/{world.contract_a.pk}/aneks/", {"valid_to": "2027-03-31", "note": "Za późno"})
    client.post(close_url(world.contract_a), {"status": "terminated", "ended_on": "2027-01-10", "note": "Za późno"})
    world.contract_a.refresh_from_db()
    assert (world.contract_a.status, world.contract_a.valid_to, world.contract_a.ended_on) == (
        "expired",
        date(2026, 12, 31),
        date(2026, 12, 31),
    )
    assert AuditEvent.objects.filter(action__startswith="contract.").exclude(action="contract.closed").count() == 0
    assert AuditEvent.objects.filter(action="contract.closed").count() == 1


def test_a_closed_contract_page_offers_no_actions(world: Any) -> None:
    world.contract_a.close(status="expired", on=date(2026, 12, 31), note="", by=world.alicja)
    body = client_for(world.bartek).get(f"/kontrakty/{world.contract_a.pk}/").content.decode()
    assert f"/kontrakty/{world.contract_a.pk}/klauzule/" not in body
    assert f"/kontrakty/{world.contract_a.pk}/zakoncz/" not in body


def test_a_draft_cannot_be_closed(olga: Participant, world: Any) -> None:
    """An unsigned draft has no outcome; closing it used to fail on a database constraint."""
    contract = make_draft(olga)
    client = client_for(world.bartek)
    assert f"/kontrakty/{contract.pk}/zakoncz/" not in client.get(f"/kontrakty/{contract.pk}/").content.decode()
    response = client.post(
        close_url(contract), {"status": "expired", "ended_on": "2026-12-01", "note": ""}, follow=True
    )
    assert response.status_code == 200
    assert message_levels(response) == ["error"]
    contract.refresh_from_db()
    assert (contract.status, contract.ended_on) == ("draft", None)


def test_an_outsider_cannot_touch_the_contract(world: Any) -> None:
    response = client_for(world.celina).post(
        close_url(world.contract_a), {"status": "terminated", "ended_on": "2026-05-10", "note": "Obcy"}
    )
    assert response.status_code == 404
    world.contract_a.refresh_from_db()
    assert world.contract_a.status == "signed"


# --- admission and the contract -----------------------------------------------------------------


def admit_url(person: Participant) -> str:
    return f"/uczestnicy/{person.pk}/przyjecie/"


def test_admitting_without_a_contract_in_force_warns_about_art_18_ust_4(olga: Participant, world: Any) -> None:
    response = client_for(world.bartek).post(admit_url(olga), {"joined_on": "2026-03-02"}, follow=True)
    warnings = [str(m) for m in response.context["messages"] if m.level == messages.WARNING]
    assert len(warnings) == 1
    assert "art. 18 ust. 4" in warnings[0]
    olga.refresh_from_db()
    assert (olga.status, olga.joined_on) == ("active", date(2026, 3, 2))
    assert AuditEvent.objects.get(action="participant.admitted").details == {"joined_on": "2026-03-02"}


def test_admitting_with_only_a_draft_still_warns(olga: Participant, world: Any) -> None:
    make_draft(olga)
    response = client_for(world.bartek).post(admit_url(olga), {"joined_on": "2026-03-02"}, follow=True)
    assert messages.WARNING in [m.level for m in response.context["messages"]]


def test_admitting_within_a_signed_contract_gives_no_warning(olga: Participant, world: Any) -> None:
    contract = make_draft(olga)
    contract.sign(on=date(2026, 2, 27), by=world.bartek)
    response = client_for(world.bartek).post(admit_url(olga), {"joined_on": "2026-03-02"}, follow=True)
    assert [m.level for m in response.context["messages"]] == [messages.SUCCESS]


def test_admitting_before_the_contract_starts_warns(olga: Participant, world: Any) -> None:
    contract = make_draft(olga)
    contract.sign(on=date(2026, 2, 27), by=world.bartek)
    response = client_for(world.bartek).post(admit_url(olga), {"joined_on": "2026-02-28"}, follow=True)
    assert messages.WARNING in [m.level for m in response.context["messages"]]


def test_only_a_candidate_can_be_admitted(world: Any) -> None:
    response = client_for(world.bartek).post(admit_url(world.jan), {"joined_on": "2026-05-04"}, follow=True)
    assert message_levels(response) == ["error"]
    world.jan.refresh_from_db()
    assert world.jan.joined_on == date(2026, 2, 1)


def test_the_file_warns_when_an_active_person_has_no_contract_in_force(world: Any) -> None:
    client = client_for(world.bartek)
    with time_machine.travel(date(2026, 12, 31), tick=False):
        client.force_login(world.bartek)
        assert client.get(f"/uczestnicy/{world.jan.pk}/").context["contract_gap"] is False
    with time_machine.travel(date(2027, 1, 1), tick=False):
        client.force_login(world.bartek)
        response = client.get(f"/uczestnicy/{world.jan.pk}/")
        assert response.context["contract_gap"] is True
        assert "art. 18 ust. 4" in response.content.decode()
