from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.core.management.base import BaseCommand
from django.db import transaction

from kis import audit
from kis.lib import crypto


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value under the first key of KIS_FIELD_ENCRYPTION_KEYS. "
        "Run after prepending a new key; then the old key can be removed."
    )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        rotated = 0
        for authenticator in Authenticator.objects.select_for_update().filter(type=Authenticator.Type.TOTP):
            authenticator.data["secret"] = crypto.rotate(authenticator.data["secret"])
            authenticator.save(update_fields=["data"])
            rotated += 1
        audit.record(None, "keys.rotated", None, actor_label="kis rotate_keys", totp_secrets=rotated)
        self.stdout.write(f"Re-encrypted {rotated} second-factor secrets under the newest key.")
