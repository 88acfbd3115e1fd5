"""Shared helpers for the end-to-end tests in a real Chromium (stack.md, "Browser tests").

Every page a browser test visits goes through :func:`assert_accessible` (axe-core, no
"serious" or "critical" violation) and :func:`assert_no_console_errors` (CSP violations and
JavaScript errors show up as console errors).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Page

AXE_SOURCE = (Path(__file__).resolve().parent.parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
BLOCKING_IMPACTS = {"serious", "critical"}
# Playwright's default is 30 s; a page of this app loads in milliseconds.
TIMEOUT_MS = 10_000

# axe is injected with page.evaluate (CDP Runtime.evaluate), which the page's strict CSP
# (script-src 'self' 'nonce-…') does not apply to; add_script_tag would inline it and be blocked.
_RUN_AXE = """
async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(" ") + " :: " + n.failureSummary),
  }));
}
"""


def assert_accessible(page: Page) -> None:
    """Run axe-core on the current page; fail on any serious or critical violation."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE + "\n;undefined")
    violations: list[dict[str, Any]] = page.evaluate(_RUN_AXE)
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"axe on {page.url}:\n" + "\n".join(
        f"- [{v['impact']}] {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in blocking
    )


class ConsoleLog:
    """Console errors and uncaught exceptions of one page, since the last check."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.errors: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.errors.append(f"uncaught: {exc}"))

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        # Chromium logs "Failed to load resource: … status of 404" for the document itself
        # when a page is meant to answer 4xx (the 404 page, a form re-shown with 400).
        # Those are not defects; a failing sub-resource (script, style) still counts.
        if message.text.startswith("Failed to load resource") and message.location.get("url") == self.page.url:
            return
        self.errors.append(f"{message.text} ({message.location.get('url')})")

    def take(self) -> list[str]:
        errors, self.errors = self.errors, []
        return errors


_LOGS: dict[int, ConsoleLog] = {}


def assert_no_console_errors(page: Page) -> None:
    errors = _LOGS[id(page)].take()
    assert not errors, f"console errors on {page.url}:\n" + "\n".join(errors)


def check_page(page: Page) -> None:
    """The checks every visited page gets: axe-core and a clean console."""
    assert_accessible(page)
    assert_no_console_errors(page)


@pytest.fixture
def page(page: Page) -> Iterator[Page]:
    """pytest-playwright's page, with a console watcher and a short default timeout."""
    page.set_default_timeout(TIMEOUT_MS)
    page.set_default_navigation_timeout(TIMEOUT_MS)
    log = _LOGS[id(page)] = ConsoleLog(page)
    yield page
    del _LOGS[id(page)]
    leftover = log.take()
    assert not leftover, f"console errors on {page.url}:\n" + "\n".join(leftover)


@pytest.fixture
def world(transactional_db: None) -> Any:
    """The personas of kis.lib.testing, committed so that the live server sees them."""
    from kis.lib.testing import make_world

    return make_world()


def current_totp(user: Any) -> str:
    """A valid code for the user's TOTP authenticator, computed with allauth's own HOTP.

    allauth accepts only the current 30-second step (MFA_TOTP_TOLERANCE = 0), so near the
    end of a step this waits for the next one rather than risk a code that expires in flight.
    """
    from allauth.mfa import app_settings
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
    from allauth.mfa.utils import decrypt

    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = decrypt(authenticator.data["secret"])
    period = app_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < 3:
        time.sleep(left + 0.05)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def give_totp(user: Any) -> None:
    """Activate a TOTP authenticator the way allauth does after a successful set-up."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())


@pytest.fixture
def login_as(page: Page, live_server: Any) -> Callable[[Any], Page]:
    """Log a persona in without the login form: a session made by Django's test client.

    The persona gets a TOTP authenticator first, since the second factor is required
    (KIS_REQUIRE_MFA=1). The login form itself is covered by test_login.py.
    """
    from django.conf import settings
    from django.test import Client

    def login(user: Any) -> Page:
        give_totp(user)
        client = Client()
        client.force_login(user)
        page.context.clear_cookies()
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        return page

    return login
