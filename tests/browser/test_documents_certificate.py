"""The leader downloads Ewa's certificate; anybody can then check it on the public page.

The number and the code are read from the downloaded PDF's text (pypdf), then typed into the
public page in a fresh browser context with no session, as an employer would.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from kis.lib.testing_documents import pdf_facts, pdf_text
from tests.browser.conftest import TIMEOUT_MS, assert_accessible, check_page

pytestmark = pytest.mark.browser


def test_a_downloaded_certificate_is_confirmed_on_the_public_page(
    page: Page, browser: Browser, live_server: Any, world: Any, login_as: Any, settings: Any, tmp_path: Path
) -> None:
    settings.SITE_URL = live_server.url
    login_as(world.alicja)
    page.goto(f"{live_server.url}/uczestnicy/{world.ewa.pk}/zakonczenie/")
    check_page(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Drukuj zaświadczenie (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == "Zaświadczenie-KIS-1-2025-0001-Ewa-Wiśniewska.pdf".replace(
        "KIS-1-", f"KIS-{world.club_a.pk}-"
    )
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    content = saved.read_bytes()
    assert pdf_facts(content)["pdfua"] is True
    text = re.sub(r"\s+", " ", pdf_text(content))
    number = re.search(r"Nr (KIS/\d+/\d{4}/\d{4})", text)
    code = re.search(r"Kod weryfikacyjny: ([0-9A-F]{10})", text)
    assert number and code, text
    assert "Ewa Wiśniewska" in text

    context = browser.new_context(locale="pl-PL")
    try:
        public = context.new_page()
        public.set_default_timeout(TIMEOUT_MS)
        errors: list[str] = []
        public.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        public.goto(f"{live_server.url}/zaswiadczenia/sprawdz/")
        assert_accessible(public)
        public.get_by_label("Numer zaświadczenia").fill(number[1])
        public.get_by_label("Kod weryfikacyjny").fill(code[1])
        public.get_by_role("button", name="Sprawdź").click()
        result = public.get_by_role("status")
        expect(result).to_contain_text(f"Zaświadczenie {number[1]} wydał(a) KIS Przystań (MOPS w Nowym Sączu)")
        expect(result).to_contain_text("28.11.2025")
        expect(public.locator("main")).not_to_contain_text("Wiśniewska")
        assert_accessible(public)

        public.get_by_label("Kod weryfikacyjny").fill("0000000000")
        public.get_by_role("button", name="Sprawdź").click()
        expect(public.get_by_role("status")).to_contain_text("Nie znaleziono zaświadczenia")
        assert not [e for e in errors if "Failed to load resource" not in e], errors
    finally:
        context.close()


def test_the_leader_sets_the_texts_and_prepares_a_batch(
    page: Page, live_server: Any, world: Any, login_as: Any
) -> None:
    """The letterhead, the texts and the batches pages work by keyboard-reachable forms and pass axe."""
    login_as(world.alicja)
    page.goto(f"{live_server.url}/kluby/{world.club_a.pk}/")
    page.get_by_role("button", name="Teksty dokumentów").click()
    check_page(page)
    page.get_by_role("link", name="Wstęp").click()
    check_page(page)
    page.get_by_label("Tekst").fill("Ja, {imie_nazwisko}, zgłaszam się do {pesel}.")
    page.get_by_role("button", name="Zapisz").click()
    expect(page.get_by_role("alert").first).to_contain_text("Nieznane pole {pesel}.")
    check_page(page)
    page.get_by_label("Tekst").fill("Ja, {imie_nazwisko}, zgłaszam się do {nazwa_klubu}.")
    page.get_by_role("button", name="Zapisz").click()
    expect(page.get_by_role("status")).to_contain_text("Zapisano tekst.")
    check_page(page)

    page.goto(f"{live_server.url}/kluby/{world.club_a.pk}/papier-firmowy/")
    check_page(page)

    page.goto(f"{live_server.url}/kluby/{world.club_a.pk}/paczki/")
    check_page(page)
    page.get_by_label("zaświadczenia z roku").check()
    page.get_by_label("Rok (zaświadczenia)").fill("2025")
    page.get_by_role("button", name="Przygotuj").click()
    # The test settings run the task at once; on a server the page polls until this shows.
    expect(page.locator("#batch-progress")).to_contain_text("1 z 1 dokumentów")
    check_page(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Pobierz plik ZIP").click()
    assert download_info.value.suggested_filename == "Zaświadczenia-z-roku-2025-KIS-Przystań.zip"
