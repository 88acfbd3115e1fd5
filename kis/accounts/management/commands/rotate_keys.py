from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import models, transaction

from kis import audit
from kis.lib import crypto
from kis.lib.storage import EncryptedFileSystemStorage

ENCRYPTED = (crypto.EncryptedTextField, crypto.EncryptedJSONField)


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value (all encrypted model fields, encrypted files and second-factor secrets) "
        "under the first key of KIS_FIELD_ENCRYPTION_KEYS. Run after prepending a new key; then remove the old key."
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
        for model in apps.get_models():
            for field in model._meta.concrete_fields:
                if not isinstance(field, models.FileField) or not isinstance(field.storage, EncryptedFileSystemStorage):
                    continue
                files = 0
                for name in model._default_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True):
                    if field.storage.exists(name) and field.storage.rotate(name):
                        files += 1
                counts[f"{model._meta.label}.{field.name} (files)"] = files
        audit.record(None, "keys.rotated", None, actor_label="kis rotate_keys", counts=counts)
        for label, number in sorted(counts.items()):
            self.stdout.write(f"{label}: {number} rows re-encrypted under the newest key.")
