"""Changes of data, cessation and strike-off (both bases), numbering, XLSX export, intake refused."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook  # type: ignore[import-untyped]

from kis.audit.models import AuditEvent
from kis.clubs.models import Club
from kis.participants.models import Participant
from kis.registry.models import Notification, NumberingScheme, RegisterEntry, RegisterEvent


@pytest.fixture(autouse=True)
def _no_second_factor(settings: Any) -> None:
    settings.REQUIRE_MFA = False  # the second factor has its own tests


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_change_of_data_is_notified_and_recorded_with_old_and_new_values(world: Any) -> None:
    alicja, wiktor = client_for(world.alicja), client_for(world.wiktor)
    page = alicja.get(f"/kluby/{world.club_a.pk}/rejestr/zmiana/")
    assert page.status_code == 200
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    data.update({"club_street": "ul. Lwowska 200", "manager_name": "Bożena Żak", "note": "Przeprowadzka."})
    response = alicja.post(f"/kluby/{world.club_a.pk}/rejestr/zmiana/", data)
    notification = Notification.objects.get(kind=Notification.Kind.CHANGE)
    assert response.status_code == 302
    assert notification.club == world.club_a
    notified = RegisterEvent.objects.get(kind="change_notified")
    assert notified.details["changes"]["club_street"] == ["ul. Klubowa 2", "ul. Lwowska 200"]

    detail = wiktor.get(f"/rejestr/zgloszenia/{notification.pk}/").content.decode()
    assert "ul. Lwowska 200" in detail
    assert "Wpisz zmianę do rejestru" in detail
    response = wiktor.post(f"/rejestr/zgloszenia/{notification.pk}/zmiana/", {"on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    entry = RegisterEntry.objects.get(club=world.club_a)
    assert entry.club_address == "ul. Lwowska 200, 33-300 Nowy Sącz"
    assert entry.data["manager_name"] == "Bożena Żak"
    changed = RegisterEvent.objects.get(kind="changed")
    assert changed.details["changes"]["manager_name"] == ["Alicja Lis", "Bożena Żak"]
    club = Club.objects.get(pk=world.club_a.pk)
    assert club.street == "ul. Lwowska 200"
    assert club.status == Club.Status.ACTIVE
    assert AuditEvent.objects.filter(action="register.changed").exists()
    history = alicja.get(f"/rejestr/wpisy/{entry.pk}/").content.decode()
    assert "Bożena Żak" in history


def test_a_change_that_changes_nothing_is_refused(world: Any) -> None:
    alicja = client_for(world.alicja)
    page = alicja.get(f"/kluby/{world.club_a.pk}/rejestr/zmiana/")
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    response = alicja.post(f"/kluby/{world.club_a.pk}/rejestr/zmiana/", data)
    assert response.status_code == 400
    assert "Nic nie zmieniono" in response.content.decode()
    assert not Notification.objects.filter(kind=Notification.Kind.CHANGE).exists()


def test_cessation_is_notified_and_the_club_struck_off_on_notice(world: Any) -> None:
    today = timezone.localdate()
    olek, wiktor = client_for(world.olek), client_for(world.wiktor)
    ceased = today - timedelta(days=40)
    response = olek.post(
        f"/kluby/{world.club_a.pk}/rejestr/zaprzestanie/", {"ceased_on": ceased.isoformat(), "note": "Koniec projektu."}
    )
    assert response.status_code == 302
    notification = Notification.objects.get(kind=Notification.Kind.CESSATION)
    assert notification.ceased_on == ceased
    notified = RegisterEvent.objects.get(kind="cessation_notified")
    assert notified.details["late"] is True  # more than 30 days after cessation (art. 18a ust. 4)

    response = wiktor.post(
        f"/rejestr/zgloszenia/{notification.pk}/wykreslenie/",
        {"struck_off_on": today.isoformat(), "basis": "operator_notice", "reason": "Zgłoszenie podmiotu."},
    )
    assert response.status_code == 302
    entry = RegisterEntry.objects.get(club=world.club_a)
    assert entry.struck_off_on == today
    assert entry.strike_off_basis == RegisterEntry.Basis.OPERATOR_NOTICE
    assert entry.ceased_on == ceased
    assert Club.objects.get(pk=world.club_a.pk).status == Club.Status.CLOSED
    notification.refresh_from_db()
    assert notification.state == Notification.State.RECORDED
    kinds = list(entry.events.order_by("created_at", "pk").values_list("kind", flat=True))
    assert kinds == ["entered", "cessation_notified", "struck_off"]
    assert AuditEvent.objects.filter(action="register.struck_off", target_id=str(entry.pk)).exists()
    # No more notifications for a struck-off club.
    assert olek.get(f"/kluby/{world.club_a.pk}/rejestr/zmiana/").status_code == 404


def test_the_voivode_strikes_off_on_own_finding_with_a_reason(world: Any) -> None:
    today = timezone.localdate()
    wiktor = client_for(world.wiktor)
    entry = RegisterEntry.objects.get(club=world.club_b)
    response = wiktor.post(
        f"/rejestr/wpisy/{entry.pk}/wykreslenie/", {"struck_off_on": today.isoformat(), "basis": "voivode_finding"}
    )
    assert response.status_code == 400
    assert response.context["strike_form"].has_error("reason", code="required")
    entry.refresh_from_db()
    assert entry.struck_off_on is None
    response = wiktor.post(
        f"/rejestr/wpisy/{entry.pk}/wykreslenie/",
        {"struck_off_on": today.isoformat(), "basis": "voivode_finding", "reason": "Kontrola 3.11: klub nie działa."},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.strike_off_basis == RegisterEntry.Basis.VOIVODE_FINDING
    assert entry.strike_off_reason == "Kontrola 3.11: klub nie działa."
    assert Club.objects.get(pk=world.club_b.pk).status == Club.Status.CLOSED
    event = entry.events.get(kind="struck_off")
    assert event.by == world.wiktor
    assert event.details["basis"] == "voivode_finding"


def test_a_strike_off_before_the_entry_is_refused(world: Any) -> None:
    entry = world.entry_a
    response = client_for(world.wiktor).post(
        f"/rejestr/wpisy/{entry.pk}/wykreslenie/",
        {"struck_off_on": "2019-01-01", "basis": "voivode_finding", "reason": "Błąd."},
    )
    assert response.status_code == 400
    assert response.context["strike_form"].has_error("struck_off_on", code="before_entry")


def test_only_the_voivode_of_the_club_strikes_off(world: Any) -> None:
    entry_c = RegisterEntry.objects.get(club=world.club_c)
    data = {"struck_off_on": timezone.localdate().isoformat(), "basis": "voivode_finding", "reason": "x"}
    assert client_for(world.wiktor).post(f"/rejestr/wpisy/{entry_c.pk}/wykreslenie/", data).status_code == 404
    assert client_for(world.olek).post(f"/rejestr/wpisy/{world.entry_a.pk}/wykreslenie/", data).status_code == 403
    assert not RegisterEntry.objects.filter(struck_off_on__isnull=False).exists()


def test_the_numbering_scheme_is_configurable_per_voivodeship(world: Any) -> None:
    wiktor = client_for(world.wiktor)
    response = wiktor.post(
        "/rejestr/wojewoda/numeracja/",
        {"woj": "12", "pattern": "{woj}-KIS-{n:03d}/{rok}", "next_number": 7, "yearly": "on"},
    )
    assert response.status_code == 302
    scheme = NumberingScheme.objects.get(voivodeship="12")
    year = timezone.localdate().year
    assert scheme.propose(timezone.localdate()) == f"12-KIS-007/{year}"
    detail = wiktor.get(f"/rejestr/zgloszenia/{world.notification_a.pk}/")
    assert detail.context["entry_form"].initial["number"] == f"12-KIS-007/{year}"
    bad = wiktor.post("/rejestr/wojewoda/numeracja/", {"woj": "12", "pattern": "KIS/{rok}/{x}", "next_number": 1})
    assert bad.status_code == 400
    assert bad.context["form"].has_error("pattern", code="no_counter")
    assert (
        wiktor.post("/rejestr/wojewoda/numeracja/", {"woj": "14", "pattern": "{n}", "next_number": 1}).status_code
        == 404
    )
    assert AuditEvent.objects.filter(action="register.numbering_changed").count() == 1


def test_the_yearly_counter_restarts_in_a_new_year() -> None:
    scheme = NumberingScheme(voivodeship="24", pattern="KIS/{woj}/{n}/{rok}", next_number=15, counter_year=2025)
    assert scheme.propose(date(2025, 12, 30)) == "KIS/24/15/2025"
    assert scheme.propose(date(2026, 1, 2)) == "KIS/24/1/2026"
    scheme.yearly = False
    assert scheme.propose(date(2026, 1, 2)) == "KIS/24/15/2026"
    assert NumberingScheme.pattern_problem("KIS/{n}/{rok}") is None
    assert NumberingScheme.pattern_problem("KIS/{rok}") == "no_counter"
    assert NumberingScheme.pattern_problem("KIS/{n}/{n.__class__}") == "unknown_placeholder"


def test_the_register_exports_to_xlsx(world: Any) -> None:
    RegisterEntry.objects.filter(pk=world.entry_a.pk).update(club_name='=HYPERLINK("http://x")')
    response = client_for(world.wiktor).get("/rejestr/wojewoda/wpisy.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][2] == "Numer wpisu"
    numbers = {row[2] for row in rows[1:]}
    assert numbers == {"KIS/12/1/2020", "KIS/12/2/2020"}  # not club C of mazowieckie
    names = {row[4] for row in rows[1:]}
    assert '\'=HYPERLINK("http://x")' in names  # formula neutralised
    assert {row[8] for row in rows[1:]} == {"Alicja Lis"}  # the officer's export has the manager
    assert AuditEvent.objects.filter(action="register.exported", actor_id=world.wiktor.pk).exists()


def test_the_voivode_list_searches_with_polish_letters(world: Any, django_assert_max_num_queries: Any) -> None:
    client = client_for(world.wiktor)
    client.get("/rejestr/wojewoda/wpisy/")
    with django_assert_max_num_queries(8):
        page = client.get("/rejestr/wojewoda/wpisy/?q=stary+sacz")
    assert [e.club_name for e in page.context["entries"]] == ["KIS Stary Sącz"]


def test_a_club_not_entered_cannot_take_participants(world: Any) -> None:
    club = world.notification_a.club
    assert club.status == Club.Status.PLANNED
    from kis.accounts.models import Grant, Role

    Grant.objects.create(user=world.alicja, role=Role.LEADER, club=club)
    alicja = client_for(world.alicja)
    page = alicja.get(f"/kluby/{club.pk}/uczestnicy/nowy/")
    assert page.status_code == 200
    assert "nie może przyjmować uczestników" in page.content.decode()
    response = alicja.post(
        f"/kluby/{club.pk}/uczestnicy/nowy/",
        {"first_name": "Marek", "last_name": "Kowal", "birth_date": "1980-05-17", "applied_on": "2026-11-02"},
    )
    assert response.status_code == 409
    assert not Participant.objects.filter(club=club).exists()
    # Entered: the intake opens.
    client_for(world.wiktor).post(
        f"/rejestr/zgloszenia/{world.notification_a.pk}/wpis/",
        {"number": "KIS/12/77/2026", "entered_on": timezone.localdate().isoformat()},
    )
    page = alicja.get(f"/kluby/{club.pk}/uczestnicy/nowy/")
    assert "nie może przyjmować uczestników" not in page.content.decode()
    assert page.context["form"] is not None


def test_a_candidate_of_a_struck_off_club_cannot_be_admitted(world: Any) -> None:
    from kis.lib.testing import make_participant

    candidate = make_participant(world.club_a, "Piotr", "Łuczak", status="candidate")
    Club.objects.filter(pk=world.club_a.pk).update(status=Club.Status.CLOSED)
    response = client_for(world.alicja).post(
        f"/uczestnicy/{candidate.pk}/przyjecie/", {"joined_on": "2026-11-02"}, follow=True
    )
    candidate.refresh_from_db()
    assert candidate.status == "candidate"
    assert "nie może przyjmować uczestników" in response.content.decode()


def test_the_club_page_shows_the_register_status(world: Any) -> None:
    page = client_for(world.alicja).get(f"/kluby/{world.club_a.pk}/").content.decode()
    assert "Wpisany do rejestru klubów pod nr KIS/12/1/2020" in page
    assert f"/kluby/{world.club_a.pk}/rejestr/" in page


def test_a_club_created_earlier_is_notified_from_its_register_page(world: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kis.lib.testing import make_club

    planned = make_club(world.operator_a, "KIS Przyszłość", "1262011", status=Club.Status.PLANNED, started_on=None)
    olek = client_for(world.olek)
    assert "KIS Przyszłość" in olek.get("/rejestr/zgloszenia/").content.decode()  # awaiting a notification
    page = olek.get(f"/kluby/{planned.pk}/rejestr/zgloszenie/")
    assert page.status_code == 200
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    data.update(
        {
            "started_on": "2026-12-01",
            "operator_phone": "18 443 00 00",
            "act_kind": "ops_order",
            "act_number": "Zarządzenie 30/2026",
            "act_date": "2026-10-01",
            "act_file": SimpleUploadedFile("akt.png", b"\x89PNG\r\n\x1a\n0000", content_type="image/png"),
        }
    )
    response = olek.post(f"/kluby/{planned.pk}/rejestr/zgloszenie/", data)
    assert response.status_code == 302
    notification = Notification.objects.get(club=planned)
    assert notification.act_content_type == "image/png"
    assert notification.voivodeship == "12"
    # A second notification of the same club is not possible.
    assert olek.get(f"/kluby/{planned.pk}/rejestr/zgloszenie/").status_code == 302
    assert Notification.objects.filter(club=planned).count() == 1


def test_a_cessation_notice_is_corrected_and_resubmitted(world: Any) -> None:
    today = timezone.localdate()
    olek, wiktor = client_for(world.olek), client_for(world.wiktor)
    olek.post(f"/kluby/{world.club_a.pk}/rejestr/zaprzestanie/", {"ceased_on": today.isoformat(), "note": ""})
    notification = Notification.objects.get(kind=Notification.Kind.CESSATION)
    wiktor.post(f"/rejestr/zgloszenia/{notification.pk}/poprawki/", {"comment": "Podaj przyczynę i właściwą datę."})
    page = olek.get(f"/rejestr/zgloszenia/{notification.pk}/poprawa/")
    assert page.status_code == 200
    assert "Podaj przyczynę i właściwą datę." in page.content.decode()
    earlier = today - timedelta(days=3)
    response = olek.post(
        f"/rejestr/zgloszenia/{notification.pk}/poprawa/", {"ceased_on": earlier.isoformat(), "note": "Brak środków."}
    )
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.state == Notification.State.RESUBMITTED
    assert notification.ceased_on == earlier
    assert notification.note == "Brak środków."
    assert RegisterEntry.objects.get(club=world.club_a).struck_off_on is None  # only the voivode strikes off


def test_the_club_form_cannot_make_a_club_active(world: Any) -> None:
    """The status follows the register: editing the club does not bypass the entry."""
    club = world.notification_a.club
    olek = client_for(world.olek)
    page = olek.get(f"/kluby/{club.pk}/edycja/")
    assert "status" not in page.context["form"].fields
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    data.update({"gmina": club.gmina_id, "status": "active", "manager_name": "Halina Wróbel"})
    response = olek.post(f"/kluby/{club.pk}/edycja/", data)
    assert response.status_code == 302
    assert Club.objects.get(pk=club.pk).status == Club.Status.PLANNED
