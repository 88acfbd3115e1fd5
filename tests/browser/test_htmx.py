"""htmx under the strict CSP: the gmina field asks /teryt/gminy/ for suggestions."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import check_page

pytestmark = pytest.mark.browser


def test_typing_in_the_gmina_field_fills_the_suggestions(
    page: Page, live_server: Any, world: Any, login_as: Any
) -> None:
    login_as(world.alicja)
    page.goto(f"{live_server.url}/kluby/{world.club_a.pk}/edycja/")
    check_page(page)
    gmina = page.locator("#id_gmina")
    options = page.locator(f"#{gmina.get_attribute('list')} option")
    expect(options).to_have_count(0)

    gmina.fill("")
    with page.expect_response(lambda r: "/teryt/gminy/" in r.url and "Stary" in r.url) as searched:
        gmina.press_sequentially("Stary")

    assert searched.value.status == 200
    expect(options).to_have_count(1)
    expect(options.first).to_have_attribute("value", re.compile(r"^Stary Sącz\b.* 1210163$"))
    check_page(page)

    # The suggestion, picked as is, is what the form accepts.
    suggestion = options.first.get_attribute("value") or ""
    with page.expect_response(lambda r: "/teryt/gminy/" in r.url and "1210163" in r.url):
        gmina.fill(suggestion)  # htmx searches again; let it finish before leaving the page
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/kluby/{world.club_a.pk}/")
    expect(page.locator("main dl.facts")).to_contain_text("1210163")
    check_page(page)
