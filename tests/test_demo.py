from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from kis.accounts.models import Grant, Role, User
from kis.activities.models import Attendance, HoursEntry, Session
from kis.clubs.models import Club, Operator
from kis.contracts.models import SocialContract
from kis.participants.models import Certificate, FollowUp, Participant


@pytest.mark.django_db
def test_the_demo_loads_once_and_prints_the_logins(settings: Any) -> None:
    settings.DEBUG = True  # pytest-django turns it off; the demo refuses to run without it
    first, second = StringIO(), StringIO()
    call_command("demo", "--no-serve", stdout=first)
    call_command("demo", "--no-serve", stdout=second)
    assert "Demo data loaded." in first.getvalue()
    assert "reusing" in second.getvalue()
    assert "alicja@przystan.example" in second.getvalue()
    assert "demo-kis-2026" in second.getvalue()
    assert Club.objects.exclude(status="closed").count() == 5  # the register adds clubs struck off long ago
    assert Operator.objects.values("type").distinct().count() == 4
    assert Club.objects.values("voivodeship").distinct().count() == 3
    assert {g.role for g in Grant.objects.all()} == set(Role.values)
    assert User.objects.get(email="alicja@przystan.example").check_password("demo-kis-2026")
    # About 20 participants per active club, with exits, certificates and follow-ups.
    assert Participant.objects.count() == 80
    assert Participant.objects.filter(status="exited").count() == Certificate.objects.count() > 0
    assert FollowUp.objects.filter(recorded_on__isnull=False).exists()
    assert SocialContract.objects.filter(status="completed_positively").exists()
    # A year of weekly sessions with attendance, and PSU hours.
    assert Session.objects.count() > 400
    assert Attendance.objects.filter(status="present").count() > 2000
    assert HoursEntry.objects.exists()
