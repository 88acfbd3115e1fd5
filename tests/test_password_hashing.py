"""Passwords are hashed with Argon2id at OWASP's parameters; older Argon2 hashes still verify and get upgraded."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, check_password, identify_hasher, make_password

from kis.accounts.hashers import KisArgon2PasswordHasher

ARGON2 = ["kis.accounts.hashers.KisArgon2PasswordHasher", "django.contrib.auth.hashers.PBKDF2PasswordHasher"]


@pytest.fixture
def argon2(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ARGON2  # the test suite runs with a fast hasher (conftest)


def test_the_project_hashes_with_argon2id_at_owasp_parameters(argon2: None) -> None:
    encoded = make_password("Zażółć-gęślą-jaźń-2026")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password("Zażółć-gęślą-jaźń-2026", encoded)
    assert not check_password("zazolc-gesla-jazn-2026", encoded)


def test_a_hash_with_djangos_default_parameters_verifies_and_is_upgraded(argon2: None) -> None:
    old = Argon2PasswordHasher().encode("Stare-hasło-2025", Argon2PasswordHasher().salt())
    assert "m=102400,t=2,p=8" in old
    upgraded: list[str] = []
    assert check_password("Stare-hasło-2025", old, setter=upgraded.append)
    assert upgraded == ["Stare-hasło-2025"]
    hasher = identify_hasher(make_password("Stare-hasło-2025"))
    assert isinstance(hasher, KisArgon2PasswordHasher)
    assert not hasher.must_update(make_password("Stare-hasło-2025"))
