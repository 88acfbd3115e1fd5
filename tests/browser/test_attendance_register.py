"""The attendance register on a 360 px phone: the desk opens today's session, marks 20 people, corrects one.

The row update goes through htmx under the strict CSP; every page gets axe-core and a clean console.
"""

from __future__ import annotations

import importlib
import re
from datetime import date
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import check_page

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def test_the_desk_takes_attendance_for_twenty_people_on_a_phone(
    page: Page, live_server: Any, world: Any, login_as: Any
) -> None:
    from kis.activities.models import Attendance, Enrolment
    from kis.lib.testing import make_participant

    for number in range(1, 20):
        person = make_participant(world.club_a, "Osoba", f"Testowa {number:02d}", status="active")
        Enrolment.objects.create(activity=world.activity_a, participant=person, enrolled_on=date(2026, 2, 1))
    page.set_viewport_size(PHONE)
    login_as(world.dorota)

    page.goto(f"{live_server.url}/kluby/{world.club_a.pk}/dzisiaj/")
    check_page(page)
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    # A link styled as a button: thumb-sized.
    page.get_by_role("button", name=re.compile("Warsztaty kompetencji społecznych")).click()
    expect(page.locator("#register-summary")).to_contain_text("0/20")
    check_page(page)
    assert page.evaluate(NO_SIDEWAYS_SCROLL)

    page.get_by_role("button", name="Wszyscy obecni").click()
    expect(page.locator("#register-summary")).to_contain_text("20/20")
    expect(page.locator("#register-saved")).to_contain_text("zapisano")
    check_page(page)

    jan = page.locator(f"#p-{world.jan.pk}")
    with page.expect_response(lambda r: f"/obecnosc/{world.jan.pk}/" in r.url):
        jan.get_by_label("uspr.", exact=True).check()
    expect(page.locator("#register-summary")).to_contain_text("19/20")
    expect(page.locator(f"#hours-{world.jan.pk}")).to_have_value("")
    check_page(page)
    assert page.evaluate(NO_SIDEWAYS_SCROLL)

    row = Attendance.objects.get(session=world.session_a, participant=world.jan)
    assert (row.status, row.hours) == ("excused", 0)
    assert Attendance.objects.filter(session=world.session_a).count() == 20


def test_stations_and_the_hours_card_on_a_phone(page: Page, live_server: Any, world: Any, login_as: Any) -> None:
    from django.apps import apps

    # The dated PSU rules come from a data migration; an earlier transactional test flushes them.
    importlib.import_module("kis.activities.migrations.0002_psu_rules").add_rules(apps, None)
    page.set_viewport_size(PHONE)
    login_as(world.dorota)
    page.goto(f"{live_server.url}/kluby/{world.club_a.pk}/stanowiska/")
    check_page(page)
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.get_by_role("button", name="Rozpocznij korzystanie").click()
    expect(page.locator("main")).to_contain_text("przy stanowisku od")
    check_page(page)

    login_as(world.bartek)
    page.goto(f"{live_server.url}/uczestnicy/{world.jan.pk}/godziny/{world.placement_a.pk}/2026-02/")
    check_page(page)
    expect(page.locator("main")).to_contain_text("[U] niepewne – do potwierdzenia")
    page.locator("#id_day-3").fill("4.5")
    page.get_by_role("button", name="Zapisz godziny").click()
    expect(page.locator(".messages")).to_contain_text("Tydzień 02.02.2026–08.02.2026: 8,5 h z 10 h, blisko limitu.")
    check_page(page)


def test_a_work_session_marked_on_a_phone_updates_the_monthly_hours_card(
    page: Page, live_server: Any, world: Any, login_as: Any
) -> None:
    """Twenty people at socially useful work today; one row corrected to 2 h; the hours card shows it."""
    from datetime import datetime, time, timedelta
    from decimal import Decimal

    from django.apps import apps
    from django.utils import timezone

    from kis.activities.models import Activity, Enrolment, HoursEntry, Placement, Session
    from kis.lib.testing import make_participant

    importlib.import_module("kis.activities.migrations.0002_psu_rules").add_rules(apps, None)
    today = timezone.localdate()
    psu = Activity.objects.create(club=world.club_a, name="Prace porządkowe w parku", type="psu")
    people = [world.jan] + [
        make_participant(world.club_a, "Osoba", f"Pracująca {number:02d}", status="active") for number in range(1, 20)
    ]
    for person in people:
        Enrolment.objects.create(activity=psu, participant=person, enrolled_on=date(2026, 2, 1))
        if person != world.jan:  # Jan's placement is the world's
            Placement.objects.create(
                participant=person,
                kind="psu",
                organiser="Zarząd Zieleni Miejskiej",
                gmina_id="1262011",
                starts_on=today - timedelta(days=30),
                ends_on=today + timedelta(days=30),
                planned_hours_week=Decimal(10),
            )
    Session.objects.create(
        activity=psu,
        starts_at=timezone.make_aware(datetime.combine(today, time(7))),
        ends_at=timezone.make_aware(datetime.combine(today, time(10))),
    )
    page.set_viewport_size(PHONE)
    login_as(world.dorota)
    page.goto(f"{live_server.url}/kluby/{world.club_a.pk}/dzisiaj/")
    page.get_by_role("button", name=re.compile("Prace porządkowe w parku")).click()
    page.get_by_role("button", name="Wszyscy obecni").click()
    expect(page.locator("#register-summary")).to_contain_text("20/20")
    assert HoursEntry.objects.filter(day=today, hours=Decimal(3)).count() == 20

    with page.expect_response(lambda r: f"/obecnosc/{world.jan.pk}/" in r.url):
        page.locator(f"#hours-{world.jan.pk}").fill("2")
        page.locator(f"#hours-{world.jan.pk}").press("Tab")
    expect(page.locator(f"#hours-{world.jan.pk}")).to_have_value("2")
    check_page(page)
    assert page.evaluate(NO_SIDEWAYS_SCROLL)

    login_as(world.bartek)
    page.goto(f"{live_server.url}/uczestnicy/{world.jan.pk}/godziny/{world.placement_a.pk}/{today:%Y-%m}/")
    expect(page.locator(f"#id_day-{today.day}")).to_have_value("2")
    check_page(page)
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
