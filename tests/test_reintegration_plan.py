"""The reintegration plan: versions that are kept, goal lines, agreement, reviews."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.test import Client

from kis.accounts.models import User
from kis.audit.models import AuditEvent
from kis.contracts.models import PlanReview, ReintegrationPlan
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
    return make_participant(world.club_a, "Olga", "Bąk", sex="F", status="active", joined_on=date(2026, 3, 2))


def edit_url(person: Participant) -> str:
    return f"/uczestnicy/{person.pk}/plan/edycja/"


def plan_data(**overrides: str) -> dict[str, str]:
    data = {
        "diagnosis": "Bezrobotna od 3 lat, opiekuje się matką, chce pracować w gastronomii.",
        "change_note": "",
        "next_review_on": "2026-06-01",
        "agreed_on": "",
        "agreement_witness": "",
        "social_goals": (
            "Uporządkować opiekę nad matką | Wniosek o usługi opiekuńcze w MOPS | pracownik socjalny | 31.03.2026\n"
            "Uporządkować opiekę nad matką | Rozmowa z rodzeństwem | uczestniczka |"
        ),
        "vocational_goals": "Praca w gastronomii | Kurs HACCP | doradca zawodowy | 2026-05-15",
    }
    data.update(overrides)
    return data


def steps_of(plan: ReintegrationPlan) -> list[tuple[str, str, str, str, date | None]]:
    return [
        (goal.kind, goal.description, step.description, step.owner, step.due_on)
        for goal in plan.goals.order_by("kind", "pk")
        for step in goal.steps.order_by("pk")
    ]


def test_the_first_version_of_a_plan(olga: Participant, world: Any) -> None:
    response = client_for(world.bartek).post(edit_url(olga), plan_data())
    assert response.status_code == 302
    assert response["Location"] == f"/uczestnicy/{olga.pk}/plan/"
    plan = ReintegrationPlan.objects.get(participant=olga)
    assert (plan.number, plan.is_current, plan.created_by, plan.next_review_on) == (
        1,
        True,
        world.bartek,
        date(2026, 6, 1),
    )
    assert steps_of(plan) == [
        (
            "social",
            "Uporządkować opiekę nad matką",
            "Wniosek o usługi opiekuńcze w MOPS",
            "pracownik socjalny",
            date(2026, 3, 31),
        ),
        ("social", "Uporządkować opiekę nad matką", "Rozmowa z rodzeństwem", "uczestniczka", None),
        ("vocational", "Praca w gastronomii", "Kurs HACCP", "doradca zawodowy", date(2026, 5, 15)),
    ]
    assert plan.goals.count() == 2  # steps of one goal repeat the goal: one goal row
    event = AuditEvent.objects.get(action="plan.version_created")
    assert event.details == {"number": 1}
    assert "gastronomii" not in json.dumps(event.details, ensure_ascii=False)


def test_a_new_version_keeps_the_old_one(world: Any) -> None:
    """Jan has version 1 from the start; saving again makes version 2 and keeps version 1 as it was."""
    client = client_for(world.bartek)
    initial = client.get(edit_url(world.jan)).context["form"].initial
    assert initial["vocational_goals"] == "Praca w zieleni miejskiej | Kurs ogrodnika | doradca zawodowy | 01.05.2026"
    response = client.post(
        edit_url(world.jan),
        plan_data(
            diagnosis="Ukończył kurs ogrodnika.",
            change_note="Nowy cel: staż",
            social_goals="",
            vocational_goals="Praca w zieleni miejskiej | Staż w ZZM | doradca zawodowy | 30.09.2026",
        ),
    )
    assert response.status_code == 302
    first, second = ReintegrationPlan.objects.filter(participant=world.jan).order_by("number")
    assert (first.number, first.is_current, second.number, second.is_current) == (1, False, 2, True)
    assert first.diagnosis == "Długotrwale bezrobotny, chce pracować w ogrodnictwie."
    assert steps_of(first) == [
        ("vocational", "Praca w zieleni miejskiej", "Kurs ogrodnika", "doradca zawodowy", date(2026, 5, 1))
    ]
    assert (second.diagnosis, second.change_note) == ("Ukończył kurs ogrodnika.", "Nowy cel: staż")
    assert steps_of(second) == [
        ("vocational", "Praca w zieleni miejskiej", "Staż w ZZM", "doradca zawodowy", date(2026, 9, 30))
    ]
    page = client.get(f"/uczestnicy/{world.jan.pk}/plan/")
    assert page.context["plan"] == second
    assert [plan.number for plan in page.context["versions"]] == [2, 1]


@pytest.mark.parametrize(
    ("lines", "code"),
    [
        ("Praca w gastronomii | Kurs HACCP", "line_format"),
        ("Praca w gastronomii | Kurs HACCP | | 2026-05-15", "line_format"),
        ("Praca | Kurs | doradca | 2026-05-15 | dodatkowe", "line_format"),
        ("Praca w gastronomii | Kurs HACCP | doradca | 31.02.2026", "line_date"),
        ("Praca w gastronomii | Kurs HACCP | doradca | w maju", "line_date"),
    ],
)
def test_bad_lines_are_refused(olga: Participant, world: Any, lines: str, code: str) -> None:
    response = client_for(world.bartek).post(edit_url(olga), plan_data(vocational_goals=lines))
    assert response.status_code == 400
    assert response.context["form"].has_error("vocational_goals", code=code) is True
    assert not ReintegrationPlan.objects.filter(participant=olga).exists()


def test_a_plan_needs_at_least_one_goal(olga: Participant, world: Any) -> None:
    response = client_for(world.bartek).post(edit_url(olga), plan_data(social_goals="", vocational_goals="  \n"))
    assert response.status_code == 400
    assert response.context["form"].has_error("social_goals", code="no_goals") is True
    assert not ReintegrationPlan.objects.filter(participant=olga).exists()


def test_an_agreement_date_needs_a_witness(olga: Participant, world: Any) -> None:
    response = client_for(world.bartek).post(edit_url(olga), plan_data(agreed_on="2026-03-05"))
    assert response.status_code == 400
    assert response.context["form"].has_error("agreement_witness", code="required") is True
    assert not ReintegrationPlan.objects.filter(participant=olga).exists()


def test_an_agreement_with_a_witness_is_saved(olga: Participant, world: Any) -> None:
    response = client_for(world.bartek).post(
        edit_url(olga), plan_data(agreed_on="2026-03-05", agreement_witness="Alicja Lis")
    )
    assert response.status_code == 302
    plan = ReintegrationPlan.objects.get(participant=olga)
    assert (plan.agreed_on, plan.agreement_witness) == (date(2026, 3, 5), "Alicja Lis")


def test_a_failed_save_leaves_the_current_version_current(world: Any) -> None:
    client_for(world.bartek).post(edit_url(world.jan), plan_data(vocational_goals="Praca | Kurs"))
    assert list(ReintegrationPlan.objects.filter(participant=world.jan).values_list("number", "is_current")) == [
        (1, True)
    ]


# --- reviews ------------------------------------------------------------------------------------


def review_url(person: Participant) -> str:
    return f"/uczestnicy/{person.pk}/plan/przeglad/"


def test_a_review_is_recorded_and_moves_the_next_review(world: Any) -> None:
    response = client_for(world.bartek).post(
        review_url(world.jan),
        {"reviewed_on": "2026-06-01", "progress": "Kurs ukończony, szuka stażu.", "next_review_on": "2026-09-01"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/uczestnicy/{world.jan.pk}/plan/"
    plan = ReintegrationPlan.objects.get(participant=world.jan, is_current=True)
    assert plan.next_review_on == date(2026, 9, 1)
    review = PlanReview.objects.get(plan=plan)
    assert (review.reviewed_on, review.progress, review.reviewed_by) == (
        date(2026, 6, 1),
        "Kurs ukończony, szuka stażu.",
        world.bartek,
    )
    event = AuditEvent.objects.get(action="plan.reviewed")
    assert event.details == {"reviewed_on": "2026-06-01"}


def test_a_review_without_a_next_date_clears_it(world: Any) -> None:
    client_for(world.bartek).post(
        review_url(world.jan), {"reviewed_on": "2026-06-01", "progress": "Ostatni przegląd.", "next_review_on": ""}
    )
    assert ReintegrationPlan.objects.get(participant=world.jan).next_review_on is None


def test_a_review_needs_the_date_and_the_progress(world: Any) -> None:
    response = client_for(world.bartek).post(
        review_url(world.jan), {"reviewed_on": "", "progress": "", "next_review_on": "2026-09-01"}, follow=True
    )
    assert [m.level_tag for m in response.context["messages"]] == ["error", "error"]
    assert not PlanReview.objects.exists()
    assert ReintegrationPlan.objects.get(participant=world.jan).next_review_on == date(2026, 6, 1)


def test_there_is_nothing_to_review_without_a_plan(olga: Participant, world: Any) -> None:
    response = client_for(world.bartek).post(
        review_url(olga), {"reviewed_on": "2026-06-01", "progress": "Przegląd", "next_review_on": ""}, follow=True
    )
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not PlanReview.objects.exists()


def test_an_outsider_cannot_write_a_plan(world: Any) -> None:
    response = client_for(world.celina).post(edit_url(world.jan), plan_data())
    assert response.status_code == 404
    assert ReintegrationPlan.objects.filter(participant=world.jan).count() == 1
