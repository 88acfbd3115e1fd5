"""System checks for settings that would otherwise fail silently in production."""

from __future__ import annotations

from typing import Any

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register


@register(Tags.security)
def check_encryption_keys(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    for index, key in enumerate(settings.FIELD_ENCRYPTION_KEYS):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            errors.append(
                Error(
                    f"KIS_FIELD_ENCRYPTION_KEYS: key number {index + 1} is not a Fernet key (32 url-safe base64 bytes).",
                    hint="Generate one with: python -c 'from cryptography.fernet import Fernet; "
                    "print(Fernet.generate_key().decode())'",
                    id="kis.E001",
                )
            )
    return errors


@register(Tags.security, deploy=True)
def check_site_url(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if not settings.SITE_URL.startswith("https://"):
        return [
            Warning(
                "KIS_SITE_URL is not an https:// address: links in invitation e-mails would be wrong or insecure.",
                id="kis.W001",
            )
        ]
    return []
