"""The register in a real browser: the operator notifies a club, the voivode enters it, the public sees it.

Every page visited gets axe-core and a clean console (check_page). The labels and buttons used here
are the stable ones other browser tests rely on (see docs/users/operator.md and voivode.md).
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import check_page

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\n"


def test_the_operator_notifies_and_the_voivode_enters_a_club(
    page: Page, live_server: Any, world: Any, login_as: Any
) -> None:
    from django.utils import timezone

    from kis.clubs.models import Club
    from kis.registry.models import RegisterEntry

    login_as(world.olek)
    page.goto(live_server.url + "/rejestr/zgloszenia/")
    check_page(page)
    page.get_by_role("button", name="Zgłoś nowy klub").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zgłoszenie nowego klubu do rejestru")
    check_page(page)
    page.get_by_label("Pełna nazwa klubu").fill("Klub Integracji Społecznej „Źródło”")
    page.get_by_label("Klub: ulica i numer").fill("ul. Kraszewskiego 8")
    page.get_by_label("Klub: kod pocztowy").fill("33-300")
    page.get_by_label("Klub: miejscowość").fill("Nowy Sącz")
    with page.expect_response(lambda response: "/teryt/gminy/" in response.url):  # the suggestions (htmx)
        page.get_by_label("Gmina, w której działa klub (TERYT)").fill("1262011")
    page.get_by_label("Data utworzenia klubu").fill("2026-09-01")
    page.get_by_label("Data rozpoczęcia działalności klubu").fill("2026-10-01")
    page.get_by_label("Imię i nazwisko osoby kierującej klubem").fill("Roman Żuk")
    page.get_by_label("Podmiot: telefon").fill("18 443 55 11")
    page.get_by_label("Akt o utworzeniu: rodzaj").select_option("ops_order")
    page.get_by_label("Akt o utworzeniu: numer").fill("Zarządzenie 9/2026")
    page.get_by_label("Akt o utworzeniu: data").fill("2026-08-28")
    page.get_by_label("Akt o utworzeniu: kopia (PDF, JPG lub PNG)").set_input_files(
        {"name": "zarzadzenie.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Wyślij zgłoszenie").click()
    expect(page.get_by_text("Zgłoszenie wysłano do wojewody")).to_be_visible()
    check_page(page)

    login_as(world.wiktor)
    page.goto(live_server.url + "/rejestr/wojewoda/")
    check_page(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Klub Integracji Społecznej „Źródło”").click()
    check_page(page)
    expect(page.get_by_label("Numer wpisu")).to_have_value(f"KIS/12/1/{timezone.localdate().year}")
    with page.expect_navigation():
        page.get_by_role("button", name="Wpisz do rejestru").click()
    expect(page.get_by_text("Klub wpisano do rejestru pod numerem")).to_be_visible()
    check_page(page)
    club = Club.objects.get(name="Klub Integracji Społecznej „Źródło”")
    assert club.status == Club.Status.ACTIVE
    assert RegisterEntry.objects.get(club=club).number == f"KIS/12/1/{timezone.localdate().year}"

    page.context.clear_cookies()
    page.goto(live_server.url + "/rejestr/?q=zrodlo")
    expect(page.get_by_role("cell", name="Klub Integracji Społecznej „Źródło”")).to_be_visible()
    check_page(page)


VOIVODE_PAGES = {
    "entries": "/rejestr/wojewoda/wpisy/",
    "numbering": "/rejestr/wojewoda/numeracja/",
    "import": "/rejestr/wojewoda/import/",
    "entry": "/rejestr/wpisy/{entry}/",
    "club register": "/kluby/{club}/rejestr/",
}


@pytest.mark.parametrize("path", VOIVODE_PAGES.values(), ids=VOIVODE_PAGES.keys())
def test_the_voivodes_pages_are_accessible(page: Page, live_server: Any, world: Any, login_as: Any, path: str) -> None:
    login_as(world.wiktor)
    response = page.goto(live_server.url + path.format(entry=world.entry_a.pk, club=world.club_a.pk))
    assert response is not None and response.status == 200
    check_page(page)


def test_the_notifier_pages_are_accessible(page: Page, live_server: Any, world: Any, login_as: Any) -> None:
    login_as(world.alicja)
    for path in (f"/kluby/{world.club_a.pk}/rejestr/zmiana/", f"/kluby/{world.club_a.pk}/rejestr/zaprzestanie/"):
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200
        check_page(page)
