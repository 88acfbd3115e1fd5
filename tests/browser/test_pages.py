"""Every main page, opened by the persona who uses it: axe-core and a clean console."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import check_page

pytestmark = pytest.mark.browser

LEADER_PAGES = {
    "dashboard": "/",
    "club detail": "/kluby/{club}/",
    "staff list": "/kluby/{club}/pracownicy/",
    "invite form": "/kluby/{club}/pracownicy/zapros/",
    "rooms": "/kluby/{club}/sale/",
    "club edit form": "/kluby/{club}/edycja/",
    "MFA setup": "/accounts/2fa/",
}


@pytest.mark.parametrize("path", LEADER_PAGES.values(), ids=LEADER_PAGES.keys())
def test_leader_pages_are_accessible(page: Page, live_server: Any, world: Any, login_as: Any, path: str) -> None:
    login_as(world.alicja)

    response = page.goto(live_server.url + path.format(club=world.club_a.pk))

    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_page(page)


def test_the_dashboard_shows_the_leaders_club(page: Page, live_server: Any, world: Any, login_as: Any) -> None:
    login_as(world.alicja)

    page.goto(live_server.url + "/")

    expect(page.get_by_role("link", name="KIS Przystań")).to_be_visible()
    expect(page.get_by_role("link", name="KIS Stary Sącz")).to_have_count(0)
    check_page(page)


def test_the_invite_form_shows_its_errors_accessibly(page: Page, live_server: Any, world: Any, login_as: Any) -> None:
    login_as(world.alicja)
    page.goto(f"{live_server.url}/kluby/{world.club_a.pk}/pracownicy/zapros/")
    check_page(page)

    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.locator("main form button[type=submit]").click()

    assert posted.value.status == 400
    page.wait_for_load_state()
    errors = page.locator("main .field-error[role=alert]")
    expect(errors.first).to_be_visible()
    assert errors.count() >= 1
    check_page(page)


def test_the_operator_page_is_accessible(page: Page, live_server: Any, world: Any, login_as: Any) -> None:
    login_as(world.olek)  # operator admin of operator A

    response = page.goto(f"{live_server.url}/podmioty/{world.operator_a.pk}/")

    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1, name=world.operator_a.name)).to_be_visible()
    expect(page.get_by_role("link", name="KIS Przystań")).to_be_visible()
    check_page(page)


def test_the_audit_trail_is_accessible(page: Page, live_server: Any, world: Any, login_as: Any) -> None:
    login_as(world.irena)  # data protection officer of operator A

    response = page.goto(f"{live_server.url}/audyt/")

    assert response is not None and response.status == 200
    expect(page.locator("main table")).to_be_visible()
    check_page(page)


def test_the_404_page_is_accessible(page: Page, live_server: Any, world: Any, login_as: Any) -> None:
    login_as(world.alicja)

    response = page.goto(f"{live_server.url}/no-such-page/")

    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_page(page)
