"""Uploaded case documents are encrypted at rest, served decrypted, and re-encrypted by key rotation."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from kis.lib import crypto
from kis.participants.models import CaseDocument

PDF = b"%PDF-1.7\n% Za\xc5\xbc\xc3\xb3\xc5\x82\xc4\x87 ja\xc5\xba\xc5\x84: orzeczenie o niepe\xc5\x82nosprawno\xc5\x9bci\n%%EOF\n"


def on_disk(document: CaseDocument) -> bytes:
    return Path(document.file.path).read_bytes()


def client_for(user: Any, settings: Any) -> Client:
    settings.REQUIRE_MFA = False
    client = Client()
    client.force_login(user)
    return client


def test_an_upload_is_stored_encrypted_and_downloaded_in_clear(world: Any, settings: Any) -> None:
    bartek = client_for(world.bartek, settings)
    response = bartek.post(
        f"/uczestnicy/{world.jan.pk}/dokumenty/",
        {
            "kind": "evidence",
            "title": "Orzeczenie",
            "file": SimpleUploadedFile("orzeczenie.pdf", PDF, "application/pdf"),
        },
    )
    assert response.status_code == 302
    document = CaseDocument.objects.get(title="Orzeczenie")
    stored = on_disk(document)
    assert stored.startswith(b"gAAAAA")
    assert b"PDF" not in stored and "niepełnosprawności".encode() not in stored
    assert crypto.fernet().decrypt(stored) == PDF

    download = bartek.get(f"/uczestnicy/{world.jan.pk}/dokumenty/{document.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF


def test_rotation_re_encrypts_files_and_encrypts_legacy_plain_ones(world: Any, settings: Any) -> None:
    document = world.document_a
    legacy = on_disk(document)  # the world's file, written through the storage: already encrypted
    assert legacy.startswith(b"gAAAAA")
    plain = CaseDocument.objects.create(
        participant=world.jan,
        kind="other",
        title="Skan sprzed szyfrowania",
        original_name="skan.pdf",
        content_type="application/pdf",
        size=len(PDF),
        uploaded_by=world.bartek,
        file="participants/legacy-plain",
    )
    Path(plain.file.path).parent.mkdir(parents=True, exist_ok=True)
    Path(plain.file.path).write_bytes(PDF)
    assert plain.file.open("rb").read() == PDF  # served as it is before rotation

    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old_key]
    call_command("rotate_keys", stdout=StringIO())
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]

    assert on_disk(plain).startswith(b"gAAAAA")
    assert CaseDocument.objects.get(pk=plain.pk).file.open("rb").read() == PDF
    assert on_disk(document) != legacy
    settings.FIELD_ENCRYPTION_KEYS = [old_key]
    with pytest.raises(InvalidToken):
        CaseDocument.objects.get(pk=document.pk).file.open("rb").read()


# Files that hold no personal data and may stay in clear: club logos and funding logos.
CLEAR_ALLOWED = {"documents.Letterhead.logo", "documents.FundingLogo.image"}


def test_every_file_field_with_personal_data_is_on_the_encrypted_storage() -> None:
    from django.apps import apps
    from django.db import models

    from kis.lib.storage import EncryptedFileSystemStorage

    fields = {
        f"{model._meta.label}.{field.name}": field
        for model in apps.get_models()
        if model._meta.label.split(".")[0]
        in {"participants", "registry", "reports", "documents", "clubs", "activities"}
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField)
    }
    assert "participants.CaseDocument.file" in fields
    clear = {name for name, field in fields.items() if not isinstance(field.storage, EncryptedFileSystemStorage)}
    assert clear <= CLEAR_ALLOWED, f"put these on kis.lib.storage.encrypted_storage: {sorted(clear - CLEAR_ALLOWED)}"
