"""The demo register: entries with history, one notification inside its 30 days, one overdue, struck-off clubs."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from kis.clubs.models import Club
from kis.registry.models import Notification, RegisterEntry, RegisterEvent


@pytest.mark.django_db
def test_the_demo_register(settings: Any) -> None:
    settings.DEBUG = True  # the demo refuses to run without it
    call_command("demo", "--no-serve", stdout=StringIO())
    active = Club.objects.filter(status=Club.Status.ACTIVE)
    assert RegisterEntry.objects.filter(club__in=active, struck_off_on__isnull=True).count() == active.count() == 4
    assert RegisterEntry.objects.filter(struck_off_on__isnull=False, strike_off_basis="voivode_finding").exists()
    assert RegisterEntry.objects.filter(struck_off_on__isnull=False, strike_off_basis="operator_notice").exists()
    planned = Club.objects.get(status=Club.Status.PLANNED)
    pending = Notification.objects.get(club=planned)
    assert pending.awaits_officer and not pending.is_overdue
    assert Notification.objects.filter(kind="change").get().is_overdue
    assert RegisterEvent.objects.filter(kind="changed").exists()
    body = Client().get("/rejestr/").content.decode()
    assert "Klub Integracji Społecznej „Przystań”" in body
    assert "(wykreślony)" in body
    assert Client().get(f"/rejestr/zgloszenia/{pending.pk}/akt/").status_code == 302  # login first
