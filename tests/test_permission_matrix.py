"""The permission matrix (docs/permission-matrix.csv) is the contract; this test enforces it.

Every URL pattern must have a row, and every persona must get exactly the status in the
row: 404 outside the scope, 403 inside it without the role, 2xx/3xx where allowed.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

MATRIX = Path(__file__).resolve().parent.parent / "docs" / "permission-matrix.csv"
PERSONAS = ["anonymous", "alicja", "bartek", "dorota", "celina", "olek", "patrycja", "wiktor", "anna", "irena", "zenon"]


def load_matrix() -> dict[str, dict[str, str]]:
    with MATRIX.open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if not row["url_name"].startswith("#")]
    return {row["url_name"]: row for row in rows}


def _walk(patterns: list[Any], namespace: str | None = None) -> Iterator[tuple[str, Any]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            ns = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from _walk(pattern.url_patterns, ns)
        elif isinstance(pattern, URLPattern):
            name = (
                f"{namespace}:{pattern.name}" if namespace and pattern.name else (pattern.name or str(pattern.pattern))
            )
            yield name, pattern.callback


def all_url_names() -> set[str]:
    return {name for name, _callback in _walk(get_resolver().url_patterns)}


def fill(path: str, world: Any) -> str:
    bartek_grant = world.bartek.grants.get()
    return path.format(
        jan=world.jan.pk,
        ewa=world.ewa.pk,
        contract_a=world.contract_a.pk,
        clause_a=world.clause_a.pk,
        consent_a=world.consent_a.pk,
        document_a=world.document_a.pk,
        follow_up_a=world.follow_up_a.pk,
        club_a=world.club_a.pk,
        operator_a=world.operator_a.pk,
        room_a=world.room_a.pk,
        station_a=world.station_a.pk,
        grant_bartek=bartek_grant.pk,
        activity_a=world.activity_a.pk,
        appointment_a=world.appointment_a.pk,
        feed_a=world.feed_a.pk,
        feed_token=world.feed_a.token,
        session_a=world.session_a.pk,
        placement_a=world.placement_a.pk,
        booking_a=world.booking_a.pk,
        entry_a=world.entry_a.pk,
        notification_a=world.notification_a.pk,
        batch_a=world.batch_a.pk,
        **report_placeholders(world),
    )


def report_placeholders(world: Any) -> dict[str, Any]:
    from django.utils import timezone

    from kis.reports.models import ParticipantGroup

    return {
        "report_a": world.report_a.pk,
        "report_year": world.report_a.year,
        "this_year": timezone.localdate().year,
        "staff_member_a": world.club_a.staff_members.order_by("pk").first().pk,
        "code_group": ParticipantGroup.objects.order_by("pk").first().pk,
    }


def request_as(client: Client, world: Any, persona: str, row: dict[str, str]) -> int:
    if persona != "anonymous":
        client.force_login(world.personas()[persona])
    path = fill(row["path"], world)
    if row["method"] == "POST":
        return client.post(path, {"next": "/"}).status_code
    return client.get(path).status_code


def test_every_url_pattern_has_a_row() -> None:
    missing = sorted(all_url_names() - set(load_matrix()))
    assert not missing, f"add these URL names to {MATRIX.name}: {missing}"


def test_every_row_names_an_existing_url() -> None:
    stale = sorted(set(load_matrix()) - all_url_names())
    assert not stale, f"remove these rows from {MATRIX.name}: {stale}"


def test_every_kis_view_declares_a_policy() -> None:
    """Our views carry exactly one policy decorator (public or scoped)."""
    undeclared = [
        name
        for name, callback in _walk(get_resolver().url_patterns)
        if callback.__module__.startswith("kis.") and not hasattr(callback, "kis_policy")
    ]
    assert not undeclared, undeclared


CASES = [(name, persona) for name in sorted(load_matrix()) for persona in PERSONAS]


@pytest.mark.parametrize(("url_name", "persona"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_it_answers_as_the_matrix_says(url_name: str, persona: str, world: Any, settings: Any) -> None:
    settings.REQUIRE_MFA = False  # the second factor has its own tests
    row = load_matrix()[url_name]
    assert request_as(Client(), world, persona, row) == int(row[persona])
