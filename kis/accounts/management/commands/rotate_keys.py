from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from kis import audit
from kis.lib import crypto

ENCRYPTED = (crypto.EncryptedTextField, crypto.EncryptedJSONField)


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value (all encrypted model fields and second-factor secrets) under the "
        "first key of KIS_FIELD_ENCRYPTION_KEYS. Run after prepending a new key; then remove the old key."
    )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        counts: dict[str, int] = {}
        for model in apps.get_models():
            names = [field.name for field in model._meta.concrete_fields if isinstance(field, ENCRYPTED)]
            if not names:
                continue
            rotated = 0
            # Reading decrypts with any key; saving encrypts with the first one.
            for obj in model._default_manager.select_for_update().only("pk", *names).iterator(chunk_size=500):
                model._default_manager.filter(pk=obj.pk).update(**{name: getattr(obj, name) for name in names})
                rotated += 1
            counts[model._meta.label] = rotated
        totp = 0
        for authenticator in Authenticator.objects.select_for_update().filter(type=Authenticator.Type.TOTP):
            authenticator.data["secret"] = crypto.rotate(authenticator.data["secret"])
            authenticator.save(update_fields=["data"])
            totp += 1
        counts["mfa.Authenticator (TOTP)"] = totp
        audit.record(None, "keys.rotated", None, actor_label="kis rotate_keys", counts=counts)
        for label, number in sorted(counts.items()):
            self.stdout.write(f"{label}: {number} rows re-encrypted under the newest key.")
