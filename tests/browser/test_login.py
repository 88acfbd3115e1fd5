"""Logging in through the real login form, with and without a second factor."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from kis.lib.testing import PASSWORD
from tests.browser.conftest import check_page, current_totp, give_totp

pytestmark = pytest.mark.browser

# allauth's generic message, the same for a wrong password and for an unknown address.
GENERIC_LOGIN_ERROR = re.compile(r"(adres e-mail i/lub hasło są niepoprawne|e-mail address and/or password)", re.I)


def submit_login(page: Page, live_server: Any, email: str, password: str) -> None:
    page.goto(live_server.url + "/accounts/login/")
    check_page(page)
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_load_state()


def test_staff_logs_in_with_a_totp_code_and_logs_out(page: Page, live_server: Any, world: Any) -> None:
    give_totp(world.alicja)

    submit_login(page, live_server, world.alicja.email, PASSWORD)

    # The password is right: allauth asks for the second factor before any page of the app.
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    check_page(page)
    page.locator("input[name=code]").fill(current_totp(world.alicja))
    page.locator("input[name=code]").press("Enter")

    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # Polish for a Polish browser (stack.md pitfall 11).
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    expect(page.get_by_role("link", name="KIS Przystań")).to_be_visible()
    expect(page.locator("header .who")).to_contain_text(world.alicja.email)
    check_page(page)

    page.locator("header form[action='/accounts/logout/'] button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.locator("input[name=password]")).to_be_visible()
    expect(page.locator("header .who")).to_have_count(0)
    check_page(page)
    # The session is gone: the dashboard sends the browser back to the login page.
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    check_page(page)


def test_staff_without_a_second_factor_is_sent_to_set_one_up(page: Page, live_server: Any, world: Any) -> None:
    submit_login(page, live_server, world.bartek.email, PASSWORD)

    expect(page).to_have_url(re.compile(r"/accounts/2fa/$"))
    expect(page.locator(".messages .message.warning")).to_be_visible()
    expect(page.get_by_role("link", name="KIS Przystań")).to_have_count(0)
    check_page(page)

    # Every page of the app keeps sending the user back until a factor exists.
    page.goto(f"{live_server.url}/kluby/{world.club_a.pk}/")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/$"))
    check_page(page)


def test_wrong_password_shows_a_generic_error(page: Page, live_server: Any, world: Any) -> None:
    give_totp(world.alicja)

    submit_login(page, live_server, world.alicja.email, "not-the-password-2026")

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    error = page.locator(".form-errors[role=alert]")
    expect(error).to_have_text(GENERIC_LOGIN_ERROR)
    expect(page.locator("input[name=password]")).to_have_value("")
    expect(page.locator("label[for=id_password]")).to_contain_text("Hasło")  # allauth's Polish catalogue
    expect(page.locator("header .who")).to_have_count(0)
    check_page(page)
    wrong_password_message = error.inner_text()

    # An address with no account gets exactly the same message (no account enumeration).
    submit_login(page, live_server, "nobody@example.pl", "not-the-password-2026")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.locator(".form-errors[role=alert]")).to_have_text(wrong_password_message)
    check_page(page)
