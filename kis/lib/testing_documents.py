"""Test world: document templates and a PDF batch (owned by the documents app's work)."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kis.lib.testing import World


def make_documents(world: World) -> None:
    """Fill the world's documents fields (see World).

    Jan and Ewa get an address (the declaration needs one); Club A has its own wording of the
    certificate's legal-basis block (``template_a``) and a finished batch of certificates
    (``batch_a``, a small ZIP written directly: rendering PDFs here would slow every test).
    """
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from kis.documents.models import DocumentBatch, TextBlock
    from kis.participants.models import Participant

    Participant.objects.filter(pk__in=[world.jan.pk, world.ewa.pk]).update(
        street="ul. Lwowska 12/4", postal_code="33-300", city="Nowy Sącz"
    )
    for person in (world.jan, world.ewa):
        person.street, person.postal_code, person.city = "ul. Lwowska 12/4", "33-300", "Nowy Sącz"
    world.template_a = TextBlock.objects.create(
        club=world.club_a,
        kind="certificate",
        key="legal_basis",
        text="Zaświadczenie wydano na podstawie art. 18 ust. 5a ustawy o zatrudnieniu socjalnym.",
        updated_by=world.alicja,
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Zaświadczenie-KIS-próba.pdf", b"%PDF-1.7\n%test\n")
    batch = DocumentBatch(
        club=world.club_a,
        kind=DocumentBatch.Kind.CERTIFICATES_YEAR,
        period=date(2025, 1, 1),
        status=DocumentBatch.Status.DONE,
        done=1,
        total=1,
        size=len(buffer.getvalue()),
        created_by=world.alicja,
        finished_at=timezone.now(),
    )
    batch.file.save("batch.zip", ContentFile(buffer.getvalue()), save=False)
    batch.save()
    world.batch_a = batch
