"""Notification → corrections → resubmission → entry (art. 18a ust. 2–3 u.z.s.), with bad input refused."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from kis.accounts.models import Grant, Role
from kis.audit.models import AuditEvent
from kis.clubs.models import Club
from kis.lib.testing import make_user
from kis.registry.models import Notification, NumberingScheme, RegisterEntry, RegisterEvent

PDF = b"%PDF-1.4\n1 0 obj\n"


@pytest.fixture(autouse=True)
def _no_second_factor(settings: Any) -> None:
    settings.REQUIRE_MFA = False  # the second factor has its own tests


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "operator_name": "Miejski Ośrodek Pomocy Społecznej w Nowym Sączu",
        "operator_krs": "",
        "operator_street": "ul. Śniadeckich 10",
        "operator_postal_code": "33-300",
        "operator_city": "Nowy Sącz",
        "operator_phone": "18 443 55 11",
        "operator_fax": "",
        "operator_email": "mops@nowysacz.example",
        "club_name": "Klub Integracji Społecznej „Żółta Łódź”",
        "club_street": "ul. Jagiellońska 5",
        "club_postal_code": "33-300",
        "club_city": "Nowy Sącz",
        "club_gmina": "1262011",
        "created_on": "2026-09-01",
        "started_on": "2026-10-01",
        "manager_name": "Grażyna Ćwiek",
        "club_phone": "18 443 55 12",
        "club_email": "zolta.lodz@example.pl",
        "act_kind": "ops_order",
        "act_number": "Zarządzenie nr 17/2026",
        "act_date": "2026-08-20",
        "act_file": SimpleUploadedFile("zarzadzenie.pdf", PDF, content_type="application/pdf"),
        "note": "",
    }
    data.update(overrides)
    return data


def notify(world: Any, **overrides: Any) -> Any:
    return client_for(world.olek).post(f"/podmioty/{world.operator_a.pk}/zgloszenie-klubu/", form_data(**overrides))


def test_the_operator_admin_notifies_a_new_club(world: Any) -> None:
    page = client_for(world.olek).get(f"/podmioty/{world.operator_a.pk}/zgloszenie-klubu/")
    assert page.status_code == 200
    assert "Wyślij zgłoszenie" in page.content.decode()
    response = notify(world)
    notification = Notification.objects.exclude(pk=world.notification_a.pk).get()
    assert response.status_code == 302
    assert response["Location"] == f"/rejestr/zgloszenia/{notification.pk}/"
    assert notification.kind == Notification.Kind.NEW
    assert notification.state == Notification.State.RECEIVED
    assert notification.voivodeship == "12"
    assert notification.deadline == timezone.localdate() + timedelta(days=30)
    assert notification.data["manager_name"] == "Grażyna Ćwiek"
    assert notification.act_content_type == "application/pdf"
    assert notification.act_number == "Zarządzenie nr 17/2026"
    club = notification.club
    assert club.status == Club.Status.PLANNED
    assert club.name == "Klub Integracji Społecznej „Żółta Łódź”"
    assert club.operator == world.operator_a
    assert RegisterEvent.objects.filter(notification=notification, kind="notified").exists()
    assert AuditEvent.objects.filter(action="register.notified_new", target_id=str(notification.pk)).exists()


def test_a_notification_without_the_founding_act_is_refused(world: Any) -> None:
    clubs = Club.objects.count()
    response = notify(world, act_file="")
    assert response.status_code == 400
    assert response.context["form"].has_error("act_file", code="required")
    assert "Dołącz kopię aktu o utworzeniu klubu" in response.content.decode()
    assert Club.objects.count() == clubs
    assert Notification.objects.count() == 1


def test_a_notification_missing_required_data_is_refused(world: Any) -> None:
    response = notify(world, manager_name="", club_gmina="9999999", operator_phone="", operator_email="")
    form = response.context["form"]
    assert response.status_code == 400
    assert form.has_error("manager_name", code="required")
    assert form.has_error("club_gmina")
    assert form.has_error("operator_phone", code="contact_required")
    assert Notification.objects.count() == 1


def test_a_founding_act_that_is_not_a_pdf_or_image_is_refused(world: Any) -> None:
    fake = SimpleUploadedFile("akt.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = notify(world, act_file=fake)
    assert response.status_code == 400
    assert response.context["form"].has_error("act_file", code="file_type")
    assert Notification.objects.count() == 1


def test_an_ngo_operator_without_krs_is_refused(world: Any) -> None:
    board = make_user("zarzad@razem.example", "Zarząd Razem", {"role": Role.OPERATOR, "operator": world.operator_b})
    data = form_data(
        operator_name="Stowarzyszenie Razem", operator_krs="", club_gmina="1210163", club_city="Stary Sącz"
    )
    response = client_for(board).post(f"/podmioty/{world.operator_b.pk}/zgloszenie-klubu/", data)
    assert response.status_code == 400
    assert response.context["form"].has_error("operator_krs", code="required")
    assert "musi podać numer KRS" in response.content.decode()
    assert Notification.objects.count() == 1


def test_only_the_operator_admin_notifies_a_new_club(world: Any) -> None:
    assert (
        client_for(world.alicja).post(f"/podmioty/{world.operator_a.pk}/zgloszenie-klubu/", form_data()).status_code
        == 403
    )
    assert (
        client_for(world.celina).post(f"/podmioty/{world.operator_a.pk}/zgloszenie-klubu/", form_data()).status_code
        == 404
    )
    assert Notification.objects.count() == 1


def test_the_whole_cycle_from_notification_to_entry(world: Any) -> None:
    """Notified, corrections requested, corrected (the 30 days start again), entered with a number."""
    today = timezone.localdate()
    notification = world.notification_a
    wiktor, olek = client_for(world.wiktor), client_for(world.olek)

    inbox = wiktor.get("/rejestr/wojewoda/").content.decode()
    assert "KIS Nowy Początek" in inbox
    assert "30 dni" in inbox

    response = wiktor.post(
        f"/rejestr/zgloszenia/{notification.pk}/poprawki/", {"comment": "Brak daty rozpoczęcia działalności."}
    )
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.state == Notification.State.CORRECTIONS
    page = olek.get(f"/rejestr/zgloszenia/{notification.pk}/").content.decode()
    assert "Brak daty rozpoczęcia działalności." in page
    assert "Popraw zgłoszenie" in page

    edit = olek.get(f"/rejestr/zgloszenia/{notification.pk}/poprawa/")
    assert edit.status_code == 200
    data = {k: v for k, v in edit.context["form"].initial.items() if v is not None}
    data.update({"manager_name": "Halina Wróbel-Nowak", "started_on": "2026-03-02", "note": "Poprawione."})
    data.update({"act_kind": "", "act_number": "", "act_date": ""})
    response = olek.post(f"/rejestr/zgloszenia/{notification.pk}/poprawa/", data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    notification.refresh_from_db()
    assert notification.state == Notification.State.RESUBMITTED
    assert notification.deadline == today + timedelta(days=30)
    assert notification.data["manager_name"] == "Halina Wróbel-Nowak"
    assert notification.act_number == "Zarządzenie 4/2026"  # the act already attached is kept

    detail = wiktor.get(f"/rejestr/zgloszenia/{notification.pk}/")
    proposed = detail.context["entry_form"].initial["number"]
    assert proposed == f"KIS/12/1/{today.year}"
    assert "Wpisz do rejestru" in detail.content.decode()
    response = wiktor.post(
        f"/rejestr/zgloszenia/{notification.pk}/wpis/", {"number": proposed, "entered_on": today.isoformat()}
    )
    entry = RegisterEntry.objects.get(club=notification.club)
    assert response.status_code == 302
    assert response["Location"] == f"/rejestr/wpisy/{entry.pk}/"
    assert entry.number == proposed
    assert entry.entered_on == today
    assert entry.club_name == "KIS Nowy Początek"
    notification.refresh_from_db()
    assert notification.state == Notification.State.RECORDED
    club = Club.objects.get(pk=notification.club_id)
    assert club.status == Club.Status.ACTIVE
    assert club.manager_name == "Halina Wróbel-Nowak"
    assert NumberingScheme.objects.get(voivodeship="12").propose(today) == f"KIS/12/2/{today.year}"
    kinds = list(RegisterEvent.objects.filter(club=club).order_by("created_at", "pk").values_list("kind", flat=True))
    assert kinds == ["notified", "corrections", "resubmitted", "entered"]
    assert set(RegisterEvent.objects.filter(club=club).values_list("entry_id", flat=True)) == {entry.pk}
    assert AuditEvent.objects.filter(action="register.entered", target_id=str(entry.pk)).exists()
    history = olek.get(f"/kluby/{club.pk}/rejestr/").content.decode()
    assert proposed in history
    assert "wezwano do poprawienia" in history


def test_the_entry_number_is_unique_in_the_voivodeship(world: Any) -> None:
    response = client_for(world.wiktor).post(
        f"/rejestr/zgloszenia/{world.notification_a.pk}/wpis/",
        {"number": "KIS/12/1/2020", "entered_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 400
    assert response.context["entry_form"].has_error("number", code="duplicate")
    assert not RegisterEntry.objects.filter(club=world.notification_a.club).exists()


def test_an_entry_after_the_30_days_is_warned_about(world: Any) -> None:
    today = timezone.localdate()
    Notification.objects.filter(pk=world.notification_a.pk).update(
        received_on=today - timedelta(days=40), deadline=today - timedelta(days=10)
    )
    inbox = client_for(world.wiktor).get("/rejestr/wojewoda/").content.decode()
    assert "po terminie" in inbox
    response = client_for(world.wiktor).post(
        f"/rejestr/zgloszenia/{world.notification_a.pk}/wpis/",
        {"number": "KIS/12/9/2026", "entered_on": today.isoformat()},
        follow=True,
    )
    assert "po upływie 30-dniowego terminu" in response.content.decode()
    entered = RegisterEvent.objects.get(kind="entered", club=world.notification_a.club)
    assert entered.details["days_late"] == 10


def test_the_operator_cannot_enter_and_another_voivode_cannot_see(world: Any) -> None:
    other = make_user("wojewoda@mazowsze.example", "Marek Mazowiecki", {"role": Role.VOIVODE, "voivodeship": "14"})
    pk = world.notification_a.pk
    assert client_for(other).get(f"/rejestr/zgloszenia/{pk}/").status_code == 404
    assert client_for(other).get(f"/rejestr/zgloszenia/{pk}/akt/").status_code == 404
    assert client_for(world.olek).post(f"/rejestr/zgloszenia/{pk}/wpis/", {"number": "X/1"}).status_code == 403
    assert client_for(world.celina).get(f"/rejestr/zgloszenia/{pk}/").status_code == 404
    assert "KIS Nowy Początek" not in client_for(other).get("/rejestr/wojewoda/").content.decode()
    assert not RegisterEntry.objects.filter(club=world.notification_a.club).exists()


def test_the_founding_act_download_is_audited(world: Any) -> None:
    response = client_for(world.wiktor).get(f"/rejestr/zgloszenia/{world.notification_a.pk}/akt/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("attachment")
    assert AuditEvent.objects.filter(action="register.act_downloaded", actor_id=world.wiktor.pk).exists()


def test_the_inbox_is_sorted_by_deadline_with_few_queries(world: Any, django_assert_max_num_queries: Any) -> None:
    from kis.lib.testing_registry import founding_act, register_data
    from kis.registry import services

    for index in range(5):
        services.notify_new_club(
            operator=world.operator_b,
            data=register_data(world.club_b, world.operator_b, club_name=f"KIS numer {index}"),
            act=services.Attachment(upload=founding_act(), content_type="application/pdf"),
            by=world.olek,
            today=timezone.localdate() - timedelta(days=index),
        )
    client = client_for(world.wiktor)
    client.get("/rejestr/wojewoda/")
    with django_assert_max_num_queries(8):
        response = client.get("/rejestr/wojewoda/")
    deadlines = [n.deadline for n in response.context["notifications"]]
    assert deadlines == sorted(deadlines)
    assert len(deadlines) == 6


@pytest.mark.parametrize("persona", ["alicja", "bartek", "olek", "anna", "zenon"])
def test_only_the_voivode_opens_the_inbox(world: Any, persona: str) -> None:
    assert client_for(world.personas()[persona]).get("/rejestr/wojewoda/").status_code == 403


def test_the_operator_sees_own_notifications_and_their_state(world: Any) -> None:
    page = client_for(world.olek).get("/rejestr/zgloszenia/").content.decode()
    assert "KIS Nowy Początek" in page
    assert "Zgłoś nowy klub" in page
    assert "KIS Nowy Początek" not in client_for(world.alicja).get("/rejestr/zgloszenia/").content.decode()


def test_grants_revoked_elsewhere_do_not_leak(world: Any) -> None:
    Grant.objects.filter(user=world.wiktor).update(revoked_at=timezone.now())
    assert client_for(world.wiktor).get(f"/rejestr/zgloszenia/{world.notification_a.pk}/").status_code == 404
