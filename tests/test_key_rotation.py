from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command

from kis.lib import crypto


def test_rotation_moves_secrets_to_the_new_key(world: Any, settings: Any) -> None:
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    TOTP.activate(world.alicja, "JBSWY3DPEHPK3PXP")
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    call_command("rotate_keys")
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    stored = Authenticator.objects.get(user=world.alicja).data["secret"]
    assert crypto.decrypt(stored) == "JBSWY3DPEHPK3PXP"
    settings.FIELD_ENCRYPTION_KEYS = [old_key]
    with pytest.raises(InvalidToken):
        crypto.decrypt(stored)


def test_a_wrong_key_fails_loudly_instead_of_returning_ciphertext(settings: Any) -> None:
    token = crypto.encrypt("uzależnienie")
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(InvalidToken):
        crypto.decrypt(token)


def test_keyed_hashes_match_equal_values_only(settings: Any) -> None:
    first = crypto.keyed_hash("90010112345", purpose="pesel")
    assert first == crypto.keyed_hash("90010112345", purpose="pesel")
    assert first != crypto.keyed_hash("90010112346", purpose="pesel")
    assert first != crypto.keyed_hash("90010112345", purpose="other")
    assert "90010112345" not in first


def test_rotation_reaches_every_encrypted_field(world: Any, settings: Any) -> None:
    from django.db import connection

    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    call_command("rotate_keys")
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pesel, groups FROM participants_participant WHERE id = %s", [world.jan.pk])
        pesel_token, groups_token = cursor.fetchone()
    assert crypto.decrypt(pesel_token) == "80051712345"
    assert crypto.decrypt(groups_token) == '["long_term_unemployed"]'
