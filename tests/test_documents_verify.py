"""The public certificate check: number + code → club and date, and nothing personal."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kis.audit.models import AuditEvent
from kis.documents import verification

URL = "/zaswiadczenia/sprawdz/"


@pytest.fixture(autouse=True)
def _no_mfa(settings: Any) -> None:
    settings.REQUIRE_MFA = False


def test_the_right_code_confirms_club_and_date_only(world: Any) -> None:
    certificate = world.ewa.certificate
    events = AuditEvent.objects.count()
    response = Client().get(URL, {"numer": certificate.number, "kod": certificate.verification_code})
    assert response.status_code == 200
    assert (
        f"Zaświadczenie {certificate.number} wydał(a) KIS Przystań (MOPS w Nowym Sączu) dnia 28.11.2025."
        in response.text
    )
    for personal in ("Wiśniewska", "Ewa", "02.03.1975", "01.03.2025"):
        assert personal not in response.text
    assert AuditEvent.objects.count() == events  # nothing that ties an address to a person


def test_the_code_is_read_without_case_or_spaces(world: Any) -> None:
    certificate = world.ewa.certificate
    code = certificate.verification_code.lower()
    response = Client().get(URL, {"numer": certificate.number.lower(), "kod": f" {code[:5]} {code[5:]} "})
    assert "KIS Przystań" in response.text


@pytest.mark.parametrize(
    "changes",
    [
        {"kod": "0000000000"},
        {"numer": "KIS/{club}/2025/0002"},
        {"numer": "KIS/{other_club}/2025/0001"},
        {"numer": "cokolwiek"},
        {"kod": "'; DROP TABLE"},
    ],
)
def test_a_wrong_number_or_code_is_not_found(world: Any, changes: dict[str, str]) -> None:
    certificate = world.ewa.certificate
    query = {"numer": certificate.number, "kod": certificate.verification_code, **changes}
    query["numer"] = query["numer"].format(club=world.club_a.pk, other_club=world.club_b.pk)
    response = Client().get(URL, query)
    assert response.status_code == 200
    assert "Nie znaleziono zaświadczenia o tym numerze i kodzie." in response.text
    assert "KIS Przystań (MOPS" not in response.text


def test_an_empty_form_shows_the_fields(world: Any) -> None:
    response = Client().get(URL)
    assert response.status_code == 200
    assert 'name="numer"' in response.text and 'name="kod"' in response.text
    assert Client().get(URL, {"numer": ""}).status_code == 400


def test_guessing_is_throttled_per_address(world: Any) -> None:
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _attempt in range(verification.LIMIT):
        assert client.get(URL, {"numer": "KIS/1/2025/0001", "kod": "AAAA"}).status_code == 200
    certificate = world.ewa.certificate
    response = client.get(URL, {"numer": certificate.number, "kod": certificate.verification_code})
    assert response.status_code == 429
    assert "Zbyt wiele sprawdzeń z tego adresu" in response.text
    assert "KIS Przystań (MOPS" not in response.text
    other = Client(REMOTE_ADDR="203.0.113.8")
    assert "KIS Przystań" in other.get(URL, {"numer": certificate.number, "kod": certificate.verification_code}).text


def test_the_qr_link_of_the_certificate_opens_the_check(world: Any, settings: Any) -> None:
    from kis.documents.content import verification_url

    settings.SITE_URL = "https://kis.example.gov.pl/"
    certificate = world.ewa.certificate
    url = verification_url(certificate)
    assert url.startswith("https://kis.example.gov.pl/zaswiadczenia/sprawdz/?numer=KIS%2F")
    response = Client().get(url.removeprefix("https://kis.example.gov.pl"))
    assert "KIS Przystań" in response.text
