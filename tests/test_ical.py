"""Calendar links: /kluby/<club>/kalendarz/ (create, list, revoke) and the public feed /ical/<token>.ics."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kis.accounts.models import Role
from kis.activities.models import Activity, CalendarFeed, Session
from kis.audit.models import AuditEvent
from kis.lib.testing import make_user

WARSAW = ZoneInfo("Europe/Warsaw")


@pytest.fixture(autouse=True)
def frozen() -> Iterator[Any]:
    """Tuesday 10 March 2026, 9:00: the world's session_a runs today 10:00–13:00 in Sala 1."""
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=WARSAW), tick=False) as traveller:
        yield traveller


def client_for(user: Any, settings: Any) -> Client:
    settings.REQUIRE_MFA = False
    client = Client()
    client.force_login(user)
    return client


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=WARSAW)


def make_session(activity: Any, day: date, start: int, end: int, **fields: Any) -> Session:
    return Session.objects.create(activity=activity, starts_at=at(day, start), ends_at=at(day, end), **fields)


def events(response: Any) -> list[Any]:
    calendar = icalendar.Calendar.from_ical(response.content)
    return list(calendar.walk("VEVENT"))


def summaries(response: Any) -> list[str]:
    return [str(event["SUMMARY"]) for event in events(response)]


# --- the public feed ----------------------------------------------------------------------------


def test_the_feed_parses_and_lists_the_clubs_sessions(world: Any) -> None:
    support = Activity.objects.create(club=world.club_a, name="Grupa wsparcia", type="support_group")
    make_session(support, date(2026, 3, 12), 12, 14)
    response = Client().get(f"/ical/{world.feed_a.token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert summaries(response) == ["Warsztaty kompetencji społecznych", "Grupa wsparcia"]
    first = events(response)[0]
    assert first.decoded("DTSTART") == at(date(2026, 3, 10), 10)
    assert first.decoded("DTEND") == at(date(2026, 3, 10), 13)
    assert str(first["LOCATION"]) == "Sala 1"


def test_the_feed_holds_no_participant_data(world: Any) -> None:
    text = Client().get(f"/ical/{world.feed_a.token}.ics").content.decode()
    for personal in ("Jan", "Nowak", "80051712345", "czynszowe", "porada prawna"):
        assert personal not in text


def test_the_feed_covers_30_days_back_to_180_ahead_without_cancelled_sessions(world: Any) -> None:
    activity = world.activity_a
    make_session(activity, date(2026, 2, 9), 10, 11, topic="in")  # 29 days ago
    make_session(activity, date(2026, 2, 7), 10, 11)  # 31 days ago
    make_session(activity, date(2026, 9, 5), 10, 11)  # 179 days ahead
    make_session(activity, date(2026, 9, 7), 10, 11)  # 181 days ahead
    make_session(activity, date(2026, 3, 11), 10, 11, cancelled=True)
    other_club = Activity.objects.create(club=world.club_b, name="Warsztaty B", type="support_group")
    make_session(other_club, date(2026, 3, 11), 10, 11)
    starts = [
        event.decoded("DTSTART").astimezone(WARSAW).date()
        for event in events(Client().get(f"/ical/{world.feed_a.token}.ics"))
    ]
    assert starts == [date(2026, 2, 9), date(2026, 3, 10), date(2026, 9, 5)]


def test_a_personal_feed_lists_only_that_staff_members_sessions(world: Any, settings: Any) -> None:
    support = Activity.objects.create(
        club=world.club_a, name="Grupa wsparcia", type="support_group", staff=world.bartek
    )
    make_session(support, date(2026, 3, 12), 12, 14)  # no staff on the session: the activity's counts
    make_session(support, date(2026, 3, 13), 12, 14, staff=world.alicja)
    feed = CalendarFeed.objects.create(club=world.club_a, staff=world.bartek, created_by=world.bartek)
    response = Client().get(f"/ical/{feed.token}.ics")
    assert summaries(response) == ["Warsztaty kompetencji społecznych", "Grupa wsparcia"]
    assert "Bartek Nowak" in response.content.decode()  # the calendar's name


def test_unknown_and_revoked_links_answer_404(world: Any) -> None:
    assert Client().get("/ical/nie-ma-takiego-linku.ics").status_code == 404
    world.feed_a.revoked_at = datetime(2026, 3, 9, 12, 0, tzinfo=WARSAW)
    world.feed_a.save(update_fields=["revoked_at"])
    assert Client().get(f"/ical/{world.feed_a.token}.ics").status_code == 404


def test_a_personal_feed_stops_when_its_staff_member_leaves_the_club(world: Any) -> None:
    feed = CalendarFeed.objects.create(club=world.club_a, staff=world.bartek, created_by=world.bartek)
    world.bartek.grants.get().revoke(by=world.alicja)
    assert Client().get(f"/ical/{feed.token}.ics").status_code == 404
    assert Client().get(f"/ical/{world.feed_a.token}.ics").status_code == 200


def test_the_feed_query_count_does_not_grow_with_sessions(world: Any) -> None:
    url = f"/ical/{world.feed_a.token}.ics"
    with CaptureQueriesContext(connection) as few:
        Client().get(url)
    for day in range(11, 31):
        make_session(world.activity_a, date(2026, 3, day), 10, 13, room=world.room_a)
    with CaptureQueriesContext(connection) as many:
        response = Client().get(url)
    assert len(summaries(response)) == 21
    assert len(many) == len(few) <= 10


# --- managing links -----------------------------------------------------------------------------


def feeds_url(club: Any) -> str:
    return f"/kluby/{club.pk}/kalendarz/"


def test_staff_create_a_club_link_and_a_personal_link_and_both_are_audited(world: Any, settings: Any) -> None:
    client = client_for(world.bartek, settings)
    assert client.post(feeds_url(world.club_a), {"kind": "club"}).status_code == 302
    assert client.post(feeds_url(world.club_a), {"kind": "personal"}).status_code == 302
    club_feed, personal = CalendarFeed.objects.filter(created_by=world.bartek).order_by("pk")
    assert (club_feed.club, club_feed.staff, personal.staff) == (world.club_a, None, world.bartek)
    created = AuditEvent.objects.filter(action="calendar_feed.created").order_by("seq")
    assert [event.details["personal"] for event in created] == [False, True]
    assert all(personal.token not in str(event.details) for event in created)
    page = client.get(feeds_url(world.club_a)).content.decode()
    assert f"/ical/{personal.token}.ics" in page and f"/ical/{world.feed_a.token}.ics" in page


def test_revoking_a_link_makes_it_answer_404(world: Any, settings: Any) -> None:
    url = f"/ical/{world.feed_a.token}.ics"
    assert Client().get(url).status_code == 200
    response = client_for(world.alicja, settings).post(
        f"/kluby/{world.club_a.pk}/kalendarz/{world.feed_a.pk}/uniewaznij/"
    )
    assert response.status_code == 302
    assert Client().get(url).status_code == 404
    assert AuditEvent.objects.filter(action="calendar_feed.revoked", target_id=str(world.feed_a.pk)).exists()


def test_staff_neither_see_nor_revoke_a_colleagues_personal_link(world: Any, settings: Any) -> None:
    ola = make_user("ola@example.pl", "Ola Psycholog", {"role": Role.STAFF, "club": world.club_a})
    feed = CalendarFeed.objects.create(club=world.club_a, staff=world.bartek, created_by=world.bartek)
    client = client_for(ola, settings)
    assert feed.token not in client.get(feeds_url(world.club_a)).content.decode()
    revoke = client.post(f"/kluby/{world.club_a.pk}/kalendarz/{feed.pk}/uniewaznij/")
    assert revoke.status_code == 403
    feed.refresh_from_db()
    assert feed.revoked_at is None
    assert feed.token in client_for(world.alicja, settings).get(feeds_url(world.club_a)).content.decode()


def test_a_link_of_another_club_cannot_be_revoked_through_ones_own_club(world: Any, settings: Any) -> None:
    theirs = CalendarFeed.objects.create(club=world.club_b, created_by=world.celina)
    response = client_for(world.alicja, settings).post(f"/kluby/{world.club_a.pk}/kalendarz/{theirs.pk}/uniewaznij/")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_the_desk_and_the_voivode_may_not_manage_links(world: Any, settings: Any) -> None:
    for user in (world.dorota, world.wiktor):
        client = client_for(user, settings)
        assert client.get(feeds_url(world.club_a)).status_code == 403
        assert client.post(feeds_url(world.club_a), {"kind": "club"}).status_code == 403
    assert CalendarFeed.objects.count() == 1
