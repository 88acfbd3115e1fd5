"""The checks every browser test relies on must be able to fail."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import assert_accessible, assert_no_console_errors, check_page

pytestmark = pytest.mark.browser


def test_the_checks_catch_a_csp_violation_and_an_axe_violation(
    page: Page, live_server: Any, transactional_db: None
) -> None:
    page.goto(live_server.url + "/accounts/login/")
    check_page(page)

    # An inline <style> is what htmx 2 injects unless told not to (stack.md pitfall 7).
    page.evaluate("document.head.appendChild(document.createElement('style')).textContent = 'p {}'")
    with pytest.raises(AssertionError, match="Content Security Policy"):
        assert_no_console_errors(page)

    # Critical for axe: an image without a text alternative.
    page.evaluate("document.querySelector('main').appendChild(document.createElement('img')).src = 'data:,'")
    with pytest.raises(AssertionError, match=r"\[critical\] image-alt"):
        assert_accessible(page)
    assert_no_console_errors(page)
