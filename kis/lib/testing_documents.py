"""Test world: document templates and a PDF batch (owned by the documents app's work)."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kis.lib.testing import World


def make_documents(world: World) -> None:
    """Fill the world's documents fields (see World).

    Club A has its own wording of the certificate's legal-basis block (``template_a``) and a finished batch of certificates
    (``batch_a``, a small ZIP written directly: rendering PDFs here would slow every test).
    """
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from kis.documents.models import DocumentBatch, TextBlock

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


def give_address(person: Any) -> None:
    """An address for a participant of the world (the declaration and the file need one)."""
    from kis.participants.models import Participant

    Participant.objects.filter(pk=person.pk).update(street="ul. Lwowska 12/4", postal_code="33-300", city="Nowy Sącz")
    person.street, person.postal_code, person.city = "ul. Lwowska 12/4", "33-300", "Nowy Sącz"


def pdf_text(content: bytes) -> str:
    """All the text of a PDF, page after page, as pypdf extracts it (what a screen reader gets)."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_facts(content: bytes) -> dict[str, object]:
    """Page count, title, language and the tagged-PDF markers PDF/UA needs."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    root: Any = reader.trailer["/Root"]
    mark_info = root.get("/MarkInfo")
    metadata = root.get("/Metadata")
    xmp = metadata.get_object().get_data().decode("utf-8", "replace") if metadata is not None else ""
    return {
        "pages": len(reader.pages),
        "title": str(reader.metadata.get("/Title", "")) if reader.metadata else "",
        "lang": str(root.get("/Lang", "")),
        "marked": bool(mark_info and mark_info.get_object().get("/Marked")),
        "struct_tree": "/StructTreeRoot" in root,
        "pdfua": "pdfuaid:part" in xmp or "<pdfuaid:part>1" in xmp,
        "fonts": sorted(
            {str(font.get_object().get("/BaseFont", "")) for page in reader.pages for font in _fonts(page).values()}
        ),
    }


def pdf_figures(content: bytes) -> list[str]:
    """The alternative texts of the figures (images) in the PDF's structure tree."""
    import io

    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    found: list[str] = []

    def walk(node: object) -> None:
        node = node.get_object() if isinstance(node, IndirectObject) else node
        if isinstance(node, DictionaryObject):
            if node.get("/S") == "/Figure":
                found.append(str(node.get("/Alt", "")))
            if "/K" in node:
                walk(node["/K"])
        elif isinstance(node, ArrayObject):
            for child in node:
                walk(child)

    root: Any = PdfReader(io.BytesIO(content)).trailer["/Root"]
    walk(root["/StructTreeRoot"])
    return found


def _fonts(page: Any) -> dict[str, Any]:
    resources = page.get("/Resources") or {}
    return dict(resources.get("/Font") or {})
