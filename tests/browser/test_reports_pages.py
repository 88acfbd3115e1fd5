"""Every page of the annual report in a real browser: axe-core and a clean console (check_page)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import check_page

pytestmark = pytest.mark.browser

CLUB_PAGES = {
    "reports": "/kluby/{club}/sprawozdania/",
    "draft": "/kluby/{club}/sprawozdania/{this_year}/",
    "edit": "/kluby/{club}/sprawozdania/{this_year}/edycja/",
    "submitted": "/kluby/{club}/sprawozdania/{last_year}/",
    "records": "/kluby/{club}/sprawozdania/{this_year}/rekordy/p.total.T/",
    "staff register": "/kluby/{club}/kadra/",
    "dashboard": "/",
}
OFFICE_PAGES = {
    "wiktor": [
        "/wojewoda/sprawozdania/{last_year}/",
        "/wojewoda/terminy-sprawozdan/",
        "/kluby/{club}/sprawozdania/{last_year}/",
        "/sprawozdania/slowniki/",
    ],
    "anna": ["/sprawozdania/kraj/{last_year}/", "/sprawozdania/slowniki/", "/sprawozdania/slowniki/grupy/nowy/"],
}


def _path(path: str, world: Any) -> str:
    from django.utils import timezone

    year = timezone.localdate().year
    return path.format(club=world.club_a.pk, this_year=year, last_year=year - 1)


@pytest.mark.parametrize("path", CLUB_PAGES.values(), ids=CLUB_PAGES.keys())
def test_the_club_pages_are_accessible(page: Page, live_server: Any, world: Any, login_as: Any, path: str) -> None:
    login_as(world.alicja)
    response = page.goto(live_server.url + _path(path, world))
    assert response is not None and response.status == 200
    check_page(page)


@pytest.mark.parametrize(
    ("persona", "path"), [(p, path) for p, paths in OFFICE_PAGES.items() for path in paths], ids=lambda v: str(v)
)
def test_the_office_pages_are_accessible(
    page: Page, live_server: Any, world: Any, login_as: Any, persona: str, path: str
) -> None:
    login_as(getattr(world, persona))
    response = page.goto(live_server.url + _path(path, world))
    assert response is not None and response.status == 200
    check_page(page)
