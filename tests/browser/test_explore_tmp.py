from __future__ import annotations
import pytest
pytestmark = pytest.mark.browser

def test_explore(page, live_server, world, login_as):
    login_as(world.alicja)
    page.goto(live_server.url + f"/kluby/{world.club_a.pk}/pracownicy/")
    print(page.locator("button[aria-label^=Remove]").first.evaluate("e => e.outerHTML + ' | ' + e.innerText + ' | ' + getComputedStyle(e).textTransform"))
