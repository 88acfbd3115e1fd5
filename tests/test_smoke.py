from __future__ import annotations

from typing import Any

from django.test import Client


def test_it_shows_the_login_page_in_polish(client: Client, db: None) -> None:
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert response["Content-Language"] == "pl"


def test_it_redirects_anonymous_users_to_login(client: Client, db: None) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_shows_the_dashboard(client: Client, world: Any, settings: Any) -> None:
    settings.REQUIRE_MFA = False
    client.force_login(world.alicja)
    response = client.get("/")
    assert response.status_code == 200
    assert "KIS Przystań" in response.content.decode()
