"""Ending participation: the certificate at once, its number, follow-ups, and the graduate flag."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.test import Client

from kis.accounts.models import User
from kis.audit.models import AuditEvent
from kis.lib.testing import make_participant
from kis.participants import services
from kis.participants.models import Certificate, FollowUp, Participant, add_months


@pytest.fixture(autouse=True)
def _no_mfa(settings: Any) -> None:
    settings.REQUIRE_MFA = False


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def exit_url(person: Participant) -> str:
    return f"/uczestnicy/{person.pk}/zakonczenie/"


def end(person: Participant, **overrides: str) -> dict[str, str]:
    data = {"left_on": "2026-08-03", "reason": "completed", "employment_kind": "", "note": ""}
    data.update(overrides)
    return data


def test_ending_participation_issues_the_first_certificate_of_the_year(world: Any) -> None:
    response = client_for(world.alicja).post(exit_url(world.jan), end(world.jan))
    assert response.status_code == 302
    assert response["Location"] == exit_url(world.jan)
    world.jan.refresh_from_db()
    assert (world.jan.status, world.jan.left_on, world.jan.exit_reason) == ("exited", date(2026, 8, 3), "completed")
    certificate = world.jan.certificate
    # Ewa's certificate of 2025 does not count: numbering starts again each year.
    assert certificate.number == f"KIS/{world.club_a.pk}/2026/0001"
    assert (certificate.issued_on, certificate.issued_by, certificate.club) == (
        date(2026, 8, 3),
        world.alicja,
        world.club_a,
    )
    assert len(certificate.verification_code) == 10
    assert certificate.verification_code != world.ewa.certificate.verification_code
    assert set(
        AuditEvent.objects.filter(target_id__in=[str(world.jan.pk), str(certificate.pk)]).values_list(
            "action", flat=True
        )
    ) >= {"participant.exited", "certificate.issued"}
    issued = AuditEvent.objects.get(action="certificate.issued", target_id=str(certificate.pk))
    assert issued.details == {"number": f"KIS/{world.club_a.pk}/2026/0001"}


def test_the_next_certificate_in_the_same_year_gets_the_next_number(world: Any) -> None:
    olga = make_participant(world.club_a, "Olga", "Bąk", status="active", joined_on=date(2026, 3, 2))
    client = client_for(world.alicja)
    client.post(exit_url(world.jan), end(world.jan))
    client.post(exit_url(olga), end(olga, left_on="2026-09-30", reason="resigned"))
    assert Participant.objects.get(pk=olga.pk).certificate.number == f"KIS/{world.club_a.pk}/2026/0002"
    assert list(
        Certificate.objects.filter(club=world.club_a).order_by("year", "serial").values_list("year", "serial")
    ) == [(2025, 1), (2026, 1), (2026, 2)]


def test_each_club_numbers_its_own_certificates(world: Any) -> None:
    client_for(world.alicja).post(exit_url(world.jan), end(world.jan))
    roman = make_participant(world.club_b, "Roman", "Kos", status="active", joined_on=date(2026, 1, 12))
    response = client_for(world.celina).post(exit_url(roman), end(roman))
    assert response.status_code == 302
    assert Participant.objects.get(pk=roman.pk).certificate.number == f"KIS/{world.club_b.pk}/2026/0001"


def test_follow_ups_are_planned_at_1_3_6_and_12_months(world: Any) -> None:
    """Ended on 31 January: the due dates are clipped to the end of shorter months."""
    olga = make_participant(world.club_a, "Olga", "Bąk", status="active", joined_on=date(2025, 10, 1))
    client_for(world.alicja).post(exit_url(olga), end(olga, left_on="2026-01-31"))
    assert list(olga.follow_ups.order_by("months").values_list("months", "due_on", "recorded_on")) == [
        (1, date(2026, 2, 28), None),
        (3, date(2026, 4, 30), None),
        (6, date(2026, 7, 31), None),
        (12, date(2027, 1, 31), None),
    ]


def test_add_months_clips_to_the_end_of_the_month() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)
    assert add_months(date(2026, 8, 31), 12) == date(2027, 8, 31)


def test_ending_for_employment_needs_the_kind_of_work(world: Any) -> None:
    response = client_for(world.alicja).post(exit_url(world.jan), end(world.jan, reason="employed"))
    assert response.status_code == 400
    assert response.context["form"].has_error("employment_kind", code="required") is True
    world.jan.refresh_from_db()
    assert (world.jan.status, world.jan.left_on) == ("active", None)
    assert not Certificate.objects.filter(participant=world.jan).exists()


def test_ending_for_employment_records_the_kind_of_work(world: Any) -> None:
    response = client_for(world.alicja).post(
        exit_url(world.jan), end(world.jan, reason="employed", employment_kind="subsidised", note="Prace interwencyjne")
    )
    assert response.status_code == 302
    world.jan.refresh_from_db()
    assert (world.jan.exit_reason, world.jan.employment_kind, world.jan.exit_note) == (
        "employed",
        "subsidised",
        "Prace interwencyjne",
    )


def test_participation_cannot_end_before_it_started(world: Any) -> None:
    response = client_for(world.alicja).post(exit_url(world.jan), end(world.jan, left_on="2026-01-31"))
    assert response.status_code == 400
    assert response.context["form"].has_error("left_on", code="before_start") is True
    world.jan.refresh_from_db()
    assert (world.jan.status, world.jan.left_on, world.jan.version) == ("active", None, 0)
    assert not FollowUp.objects.filter(participant=world.jan).exists()


def test_participation_may_end_on_the_day_it_started(world: Any) -> None:
    response = client_for(world.alicja).post(
        exit_url(world.jan), end(world.jan, left_on="2026-02-01", reason="resigned")
    )
    assert response.status_code == 302
    assert Participant.objects.get(pk=world.jan.pk).left_on == date(2026, 2, 1)


def test_a_person_who_already_finished_cannot_finish_again(world: Any) -> None:
    response = client_for(world.alicja).post(exit_url(world.ewa), end(world.ewa), follow=True)
    assert response.redirect_chain == [(exit_url(world.ewa), 302)]
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert Certificate.objects.filter(participant=world.ewa).count() == 1
    world.ewa.refresh_from_db()
    assert world.ewa.left_on == date(2025, 11, 28)


def test_a_candidate_cannot_finish(world: Any) -> None:
    olga = make_participant(world.club_a, "Olga", "Bąk")
    client_for(world.alicja).post(exit_url(olga), end(olga))
    olga.refresh_from_db()
    assert (olga.status, olga.left_on) == ("candidate", None)
    assert not Certificate.objects.filter(participant=olga).exists()


# --- follow-ups ---------------------------------------------------------------------------------


def follow_up_url(person: Participant, follow_up: FollowUp) -> str:
    return f"/uczestnicy/{person.pk}/monitoring/{follow_up.pk}/"


def test_recording_a_follow_up_stores_outcome_source_and_date_and_audits(world: Any) -> None:
    client = client_for(world.bartek)
    with time_machine.travel(date(2026, 1, 5), tick=False):
        client.force_login(world.bartek)
        response = client.post(
            follow_up_url(world.ewa, world.follow_up_a), {"outcome": "employed", "source": "employer"}
        )
    assert response.status_code == 302
    assert response["Location"] == exit_url(world.ewa)
    world.follow_up_a.refresh_from_db()
    assert (
        world.follow_up_a.months,
        world.follow_up_a.outcome,
        world.follow_up_a.source,
        world.follow_up_a.recorded_on,
        world.follow_up_a.recorded_by,
    ) == (1, "employed", "employer", date(2026, 1, 5), world.bartek)
    event = AuditEvent.objects.get(action="follow_up.recorded")
    assert (event.actor_id, event.target_id, event.details) == (
        world.bartek.pk,
        str(world.follow_up_a.pk),
        {"months": 1, "outcome": "employed"},
    )


def test_a_follow_up_needs_an_outcome_and_a_source(world: Any) -> None:
    response = client_for(world.bartek).post(
        follow_up_url(world.ewa, world.follow_up_a), {"outcome": "employed", "source": ""}, follow=True
    )
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    world.follow_up_a.refresh_from_db()
    assert (world.follow_up_a.outcome, world.follow_up_a.recorded_on) == ("", None)
    assert not AuditEvent.objects.filter(action="follow_up.recorded").exists()


def test_a_follow_up_of_another_person_through_jans_url_is_404(world: Any) -> None:
    response = client_for(world.bartek).post(
        follow_up_url(world.jan, world.follow_up_a), {"outcome": "employed", "source": "employer"}
    )
    assert response.status_code == 404
    world.follow_up_a.refresh_from_db()
    assert world.follow_up_a.recorded_on is None


def test_a_follow_up_is_overdue_only_after_its_due_date_while_unrecorded(world: Any) -> None:
    assert world.follow_up_a.due_on == date(2025, 12, 28)
    with time_machine.travel(date(2025, 12, 28), tick=False):
        assert world.follow_up_a.is_overdue is False
    with time_machine.travel(date(2025, 12, 29), tick=False):
        assert world.follow_up_a.is_overdue is True
        services.record_follow_up(
            follow_up=world.follow_up_a, outcome="unknown", source="other", on=date(2025, 12, 29), by=world.bartek
        )
        assert world.follow_up_a.is_overdue is False


# --- the graduate flag --------------------------------------------------------------------------


def finish_jan(world: Any, *, on: date, contract_status: str | None) -> Participant:
    if contract_status is not None:
        world.contract_a.close(status=contract_status, on=on, note="Ocena końcowa", by=world.alicja)
    services.end_participation(
        participant=world.jan, on=on, reason="completed", employment_kind="", note="", by=world.alicja
    )
    return Participant.objects.get(pk=world.jan.pk)


def test_a_graduate_has_six_months_a_certificate_and_a_positive_contract(world: Any) -> None:
    jan = finish_jan(world, on=date(2026, 8, 1), contract_status="completed_positively")
    assert jan.is_graduate() is True


def test_less_than_six_months_is_not_a_graduate(world: Any) -> None:
    jan = finish_jan(world, on=date(2026, 7, 31), contract_status="completed_positively")
    assert jan.is_graduate() is False


def test_a_contract_not_completed_positively_is_not_a_graduate(world: Any) -> None:
    assert finish_jan(world, on=date(2026, 8, 1), contract_status=None).is_graduate() is False


def test_a_contract_completed_negatively_is_not_a_graduate(world: Any) -> None:
    assert finish_jan(world, on=date(2026, 8, 1), contract_status="completed_negatively").is_graduate() is False


def test_without_a_certificate_there_is_no_graduate(world: Any) -> None:
    world.contract_a.close(status="completed_positively", on=date(2026, 8, 1), note="", by=world.alicja)
    jan = Participant.objects.get(pk=world.jan.pk)
    jan.left_on = date(2026, 8, 1)
    assert jan.is_graduate() is False


def test_an_active_participant_is_not_a_graduate(world: Any) -> None:
    assert world.jan.is_graduate() is False
    assert world.ewa.is_graduate() is False  # nine months, but no social contract


def test_the_exit_page_shows_the_graduate_flag(world: Any) -> None:
    finish_jan(world, on=date(2026, 8, 1), contract_status="completed_positively")
    response = client_for(world.alicja).get(exit_url(world.jan))
    assert response.context["is_graduate"] is True
    assert response.context["certificate"].number == f"KIS/{world.club_a.pk}/2026/0001"


# --- the certificate page -----------------------------------------------------------------------


def test_the_certificate_page_shows_the_number_and_verification_code(world: Any) -> None:
    certificate = world.ewa.certificate
    response = client_for(world.alicja).get(f"/uczestnicy/{world.ewa.pk}/zaswiadczenie/")
    body = response.content.decode()
    assert response.status_code == 200
    assert f"KIS/{world.club_a.pk}/2025/0001" in body
    assert certificate.verification_code in body
    assert "Ewa Wiśniewska" in body
    event = AuditEvent.objects.get(action="certificate.viewed")
    assert (event.actor_id, event.target_id) == (world.alicja.pk, str(certificate.pk))


def test_there_is_no_certificate_page_before_the_end(world: Any) -> None:
    assert client_for(world.alicja).get(f"/uczestnicy/{world.jan.pk}/zaswiadczenie/").status_code == 404
