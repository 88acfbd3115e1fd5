"""Deny by default, seen from the browser: another club's page does not exist for an outsider."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import check_page

pytestmark = pytest.mark.browser


def test_an_outsider_gets_the_404_page_for_another_clubs_page(
    page: Page, live_server: Any, world: Any, login_as: Any
) -> None:
    login_as(world.celina)  # staff of Club B

    response = page.goto(f"{live_server.url}/kluby/{world.club_a.pk}/")

    assert response is not None and response.status == 404
    expect(page).to_have_url(f"{live_server.url}/kluby/{world.club_a.pk}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("KIS Przystań")
    expect(page.locator("main a[href='/']")).to_be_visible()  # back to the dashboard
    # The same page as for a club that does not exist at all: nothing tells them apart.
    heading = page.get_by_role("heading", level=1).inner_text()
    check_page(page)

    missing = page.goto(f"{live_server.url}/kluby/999999/")
    assert missing is not None and missing.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    check_page(page)


def test_the_outsider_still_sees_their_own_club(page: Page, live_server: Any, world: Any, login_as: Any) -> None:
    login_as(world.celina)

    response = page.goto(f"{live_server.url}/kluby/{world.club_b.pk}/")

    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1, name="KIS Stary Sącz")).to_be_visible()
    expect(page).not_to_have_url(re.compile(r"/accounts/"))
    check_page(page)
