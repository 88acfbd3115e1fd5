"""Headers, production settings and the deploy checklist."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from django.test import Client

PRODUCTION_ENV = {
    "KIS_DEBUG": "0",
    "KIS_SECRET_KEY": "test-only-" + "s" * 50,
    "KIS_FIELD_ENCRYPTION_KEYS": "ZGV2LW9ubHkta2V5LW5vdC1mb3ItcHJvZHVjdGlvbiE=",
    "KIS_PESEL_HASH_KEY": "test-only-hash",
    "KIS_ALLOWED_HOSTS": "kis.example.gov.pl",
    "KIS_SITE_URL": "https://kis.example.gov.pl",
}


def run_kis(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("KIS_", "DJANGO_"))}
    return subprocess.run(
        [sys.executable, "-m", "kis.cli", *args],
        env={**clean, **PRODUCTION_ENV, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_every_response_carries_the_security_headers(db: None) -> None:
    response = Client().get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp
    assert "script-src 'self'" in csp
    assert "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert len(response["X-Request-ID"]) == 32
    assert response["Content-Language"] == "pl"


def test_error_pages_are_in_polish(world: Any, settings: Any) -> None:
    settings.REQUIRE_MFA = False
    client = Client()
    client.force_login(world.celina)
    response = client.get(f"/kluby/{world.club_a.pk}/")
    assert response.status_code == 404
    assert response.templates[0].name == "404.html"
    assert '<html lang="pl">' in response.content.decode()


def test_the_english_switch_changes_the_language(world: Any, settings: Any) -> None:
    client = Client()
    response = client.post("/jezyk/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert client.get("/accounts/login/")["Content-Language"] == "en"


def test_production_settings_pass_the_deploy_checklist() -> None:
    result = run_kis("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_turn_off_the_second_factor() -> None:
    result = run_kis("check", KIS_REQUIRE_MFA="0")
    assert result.returncode != 0
    assert "KIS_REQUIRE_MFA" in result.stderr


def test_production_refuses_to_start_without_keys() -> None:
    result = run_kis("check", KIS_FIELD_ENCRYPTION_KEYS="")
    assert result.returncode != 0
    assert "KIS_FIELD_ENCRYPTION_KEYS" in result.stderr


def test_a_malformed_encryption_key_fails_the_checks() -> None:
    result = run_kis("check", KIS_FIELD_ENCRYPTION_KEYS="not-a-key")
    assert result.returncode != 0
    assert "kis.E001" in result.stderr


def test_the_deploy_checks_want_an_https_site_url() -> None:
    result = run_kis("check", "--deploy", "--fail-level", "WARNING", KIS_SITE_URL="http://127.0.0.1:8000")
    assert result.returncode != 0
    assert "kis.W001" in result.stderr + result.stdout
