"""Logging in: e-mail + password, a second factor for every staff role, throttling, audit."""

from __future__ import annotations

import time
from typing import Any

import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.test import Client

from kis.audit.models import AuditEvent
from kis.lib.testing import PASSWORD


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def login(client: Client, email: str, password: str = PASSWORD) -> Any:
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_it_logs_in_by_email_and_sends_staff_without_a_second_factor_to_set_one_up(world: Any) -> None:
    client = Client()
    response = login(client, "ALICJA@example.pl")
    assert response.status_code == 302
    dashboard = client.get("/")
    assert dashboard.status_code == 302
    assert dashboard["Location"] == "/accounts/2fa/"
    assert AuditEvent.objects.filter(action="auth.login", actor=world.alicja).exists()


def test_it_asks_for_the_totp_code_and_then_shows_the_dashboard(world: Any) -> None:
    secret = generate_totp_secret()
    TOTP.activate(world.alicja, secret)
    client = Client()
    response = login(client, "alicja@example.pl")
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/").status_code == 302  # not logged in before the second factor
    wrong = client.post(
        "/accounts/2fa/authenticate/", {"code": "000000" if totp_code(secret) != "000000" else "111111"}
    )
    assert wrong.status_code == 200
    assert AuditEvent.objects.filter(action="auth.mfa_failed", target_id=str(world.alicja.pk)).exists()
    right = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert right.status_code == 302
    assert client.get("/").status_code == 200


def test_it_stores_the_totp_secret_encrypted(world: Any) -> None:
    secret = generate_totp_secret()
    TOTP.activate(world.alicja, secret)
    stored = Authenticator.objects.get(user=world.alicja).data["secret"]
    assert secret not in stored
    assert stored.startswith("gAAAA")


def test_a_wrong_password_gets_a_generic_message_and_is_audited(world: Any) -> None:
    client = Client()
    wrong_password = login(client, "alicja@example.pl", "not-the-password")
    unknown_user = login(client, "nobody@example.pl", "not-the-password")
    assert wrong_password.status_code == unknown_user.status_code == 200
    # The same message whether or not the account exists.
    assert wrong_password.context["form"].errors == unknown_user.context["form"].errors
    assert AuditEvent.objects.filter(action="auth.login_failed", actor_label="alicja@example.pl").count() == 1


def test_it_throttles_repeated_failures_for_one_account(world: Any) -> None:
    client = Client()
    for _attempt in range(5):
        login(client, "alicja@example.pl", "not-the-password")
    blocked = login(client, "alicja@example.pl", PASSWORD)
    assert blocked.status_code in (200, 429)
    assert client.get("/").status_code == 302  # even the right password does not get in now


def test_the_session_ends_after_thirty_idle_minutes(world: Any, settings: Any) -> None:
    settings.REQUIRE_MFA = False
    client = Client()
    with time_machine.travel("2026-11-26 09:00 +01:00", tick=False) as traveller:
        client.force_login(world.bartek)
        assert client.get("/").status_code == 200
        traveller.shift(29 * 60)
        assert client.get("/").status_code == 200
        traveller.shift(31 * 60)
        assert client.get("/").status_code == 302


def test_the_session_ends_after_ten_hours_even_when_active(world: Any, settings: Any) -> None:
    settings.REQUIRE_MFA = False
    client = Client()
    with time_machine.travel("2026-11-26 07:00 +01:00", tick=False) as traveller:
        client.force_login(world.bartek)
        for _step in range(30):  # a request every 25 minutes keeps the idle limit away
            traveller.shift(25 * 60)
            response = client.get("/")
            if response.status_code != 200:
                break
        assert response.status_code == 302
    assert AuditEvent.objects.filter(action="auth.session_expired", actor=world.bartek).exists()


def test_the_session_id_changes_at_login(world: Any) -> None:
    client = Client()
    client.get("/accounts/login/")
    before = client.cookies.get("sessionid")
    TOTP.activate(world.alicja, generate_totp_secret())
    login(client, "alicja@example.pl")
    after = client.cookies.get("sessionid")
    assert after is not None
    assert before is None or before.value != after.value
