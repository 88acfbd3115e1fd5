"""The whole cycle in a real browser: register → participant → annual report → review.

Olek (operator admin) notifies a new club and makes Alicja its leader, Wiktor (voivode officer)
enters it in the register, Alicja takes a participant and submits the club's report for this year,
Wiktor returns it with a comment, Alicja corrects and resubmits it, Wiktor accepts it. Every page
visited gets axe-core and a clean console (check_page).
"""

from __future__ import annotations

import importlib
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import check_page

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\n"
CLUB = "Klub Integracji Społecznej „Źródło”"


def _submit(page: Page, form: str) -> None:
    with page.expect_navigation():
        page.locator(f"{form} button[type=submit]").click()


def _click(page: Page, name: str, *, role: str = "button") -> None:
    """Click a button (or a link shown as one: role=button) by its exact name and wait for the next page."""
    with page.expect_navigation():
        page.get_by_role(role, name=name, exact=True).first.click()  # type: ignore[arg-type]


def test_notify_enter_take_a_participant_report_return_resubmit_accept(
    page: Page, live_server: Any, world: Any, login_as: Any
) -> None:
    from django.apps import apps
    from django.utils import timezone

    from kis.clubs.models import Club
    from kis.participants.models import Participant
    from kis.reports.models import AnnualReport

    importlib.import_module("kis.participants.migrations.0002_legal_rules").add_rules(apps, None)
    base = live_server.url
    today = timezone.localdate()
    iso, year = today.isoformat(), today.year

    # --- 1. The operator notifies a new club --------------------------------------------------
    login_as(world.olek)
    page.goto(base + "/rejestr/zgloszenia/")
    page.get_by_role("button", name="Zgłoś nowy klub").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zgłoszenie nowego klubu do rejestru")
    page.get_by_label("Pełna nazwa klubu").fill(CLUB)
    page.get_by_label("Klub: ulica i numer").fill("ul. Kraszewskiego 8")
    page.get_by_label("Klub: kod pocztowy").fill("33-300")
    page.get_by_label("Klub: miejscowość").fill("Nowy Sącz")
    with page.expect_response(lambda response: "/teryt/gminy/" in response.url):
        page.get_by_label("Gmina, w której działa klub (TERYT)").fill("1262011")
    page.get_by_label("Data utworzenia klubu").fill(f"{year}-01-02")
    page.get_by_label("Data rozpoczęcia działalności klubu").fill(f"{year}-01-05")
    page.get_by_label("Imię i nazwisko osoby kierującej klubem").fill("Alicja Lis")
    page.get_by_label("Podmiot: telefon").fill("18 443 55 11")
    page.get_by_label("Akt o utworzeniu: rodzaj").select_option("ops_order")
    page.get_by_label("Akt o utworzeniu: numer").fill(f"Zarządzenie 1/{year}")
    page.get_by_label("Akt o utworzeniu: data").fill(f"{year}-01-02")
    page.get_by_label("Akt o utworzeniu: kopia (PDF, JPG lub PNG)").set_input_files(
        {"name": "zarzadzenie.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    _click(page, "Wyślij zgłoszenie")
    expect(page.get_by_text("Zgłoszenie wysłano do wojewody")).to_be_visible()
    check_page(page)

    # --- 2. The voivode enters it in the register ------------------------------------------------
    login_as(world.wiktor)
    page.goto(base + "/rejestr/wojewoda/")
    _click(page, CLUB, role="link")
    _click(page, "Wpisz do rejestru")
    expect(page.get_by_text("Klub wpisano do rejestru pod numerem")).to_be_visible()
    club = Club.objects.get(name=CLUB)
    assert club.status == Club.Status.ACTIVE

    # --- 3. The operator makes Alicja the new club's leader --------------------------------------
    login_as(world.olek)
    page.goto(f"{base}/kluby/{club.pk}/pracownicy/zapros/")
    check_page(page)
    page.locator("#id_email").fill("alicja@example.pl")
    page.locator("#id_full_name").fill("Alicja Lis")
    page.locator("#id_role").select_option("leader")
    _submit(page, "main form[method=post]:has(#id_email)")

    # --- 4. The leader takes a participant: intake, then the start of participation ----------------
    login_as(world.alicja)
    page.goto(f"{base}/kluby/{club.pk}/uczestnicy/nowy/")
    check_page(page)
    page.locator("#id_first_name").fill("Marta")
    page.locator("#id_last_name").fill("Kwiatkowska")
    page.locator("#id_pesel").fill("92071314764")
    page.locator("#id_labour_status").select_option("registered_unemployed")
    page.locator("#id_referral").select_option("ops")
    page.locator("#id_applied_on").fill(iso)
    page.locator("#id_notice_acknowledged_on").fill(iso)
    page.locator("input[name=groups][value=long_term_unemployed]").check()
    page.locator("#id_general_clause_confirmed").check()
    page.locator("#id_benefits_declared_on").fill(iso)
    _submit(page, "main form[method=post]:has(#id_first_name)")
    expect(page).to_have_url(re.compile(rf"^{re.escape(base)}/uczestnicy/\d+/$"))
    pk = int(page.url.rstrip("/").rsplit("/", 1)[1])
    _submit(page, f"main form[action='/uczestnicy/{pk}/przyjecie/']")
    expect(page.locator("main .messages")).to_contain_text("Rozpoczęto udział.")
    assert Participant.objects.get(pk=pk).club == club

    # --- 5. The leader fills in, checks and submits the report -------------------------------------
    page.goto(f"{base}/kluby/{club.pk}/")
    _click(page, "Sprawozdania roczne")
    check_page(page)
    _click(page, f"Sprawozdanie za {year}", role="link")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Sprawozdanie z działalności klubu za {year}")
    participants = page.locator("#s-participants + div table tbody tr").first
    expect(participants).to_contain_text("Uczestnicy w roku")
    expect(participants.locator("td").first).to_have_text("1")
    check_page(page)
    _click(page, "Edytuj opisy i dotacje")
    check_page(page)
    page.locator("#id_received_gmina_own").fill("60 000,00")
    page.locator("#id_spent_gmina_own").fill("58 000")
    page.locator("#id_returned_gmina_own").fill("2000")
    page.locator("#id_effects_note").fill("Pierwsza uczestniczka rozpoczęła udział.")
    _click(page, "Zapisz")
    expect(page.locator("main .messages")).to_contain_text("Sprawozdanie zostało zapisane.")
    _click(page, "Oznacz jako sprawdzone")
    expect(page.locator("main .messages")).to_contain_text("Sprawozdanie oznaczono jako sprawdzone")
    _click(page, "Złóż w urzędzie wojewódzkim")
    expect(page.locator("main .messages")).to_contain_text("Sprawozdanie zostało złożone w urzędzie wojewódzkim.")
    expect(page.locator("main")).to_contain_text("Złożona wersja 1")
    check_page(page)

    # --- 6. The voivode returns it with a comment ---------------------------------------------------
    login_as(world.wiktor)
    page.goto(base + "/")
    _click(page, "Sprawozdania klubów w województwie")
    _click(page, str(year))
    check_page(page)
    _click(page, CLUB, role="link")
    check_page(page)
    page.get_by_label("Co klub musi poprawić").fill("Proszę opisać działania z zakresu reintegracji zawodowej.")
    _click(page, "Zwróć do poprawy")
    expect(page.locator("main .messages")).to_contain_text("Sprawozdanie zostało zwrócone do klubu")
    check_page(page)

    # --- 7. The leader corrects it and submits it again ---------------------------------------------
    login_as(world.alicja)
    page.goto(f"{base}/kluby/{club.pk}/sprawozdania/{year}/")
    expect(page.locator("main")).to_contain_text("Proszę opisać działania z zakresu reintegracji zawodowej.")
    check_page(page)
    _click(page, "Edytuj opisy i dotacje")
    page.locator("#id_effects_note").fill("Uczestniczka rozpoczęła udział; zaplanowano kurs zawodowy.")
    _click(page, "Zapisz")
    _click(page, "Oznacz jako sprawdzone")
    _click(page, "Złóż w urzędzie wojewódzkim")
    expect(page.locator("main")).to_contain_text("Złożona wersja 2")

    # --- 8. The voivode accepts it -------------------------------------------------------------------
    login_as(world.wiktor)
    page.goto(f"{base}/kluby/{club.pk}/sprawozdania/{year}/")
    _click(page, "Przyjmij sprawozdanie")
    expect(page.locator("main .messages")).to_contain_text("Sprawozdanie zostało przyjęte.")
    expect(page.locator("main")).to_contain_text("przyjęte")
    check_page(page)

    report = AnnualReport.objects.get(club=club, year=year)
    assert (report.state, report.submission_count) == ("accepted", 2)
    assert list(report.submissions.order_by("number").values_list("outcome", flat=True)) == ["returned", "accepted"]
    assert report.snapshot["values"]["p.total.T"] == 1
    assert report.snapshot["values"]["grant.gmina_own.spent"] == "58000.00"
