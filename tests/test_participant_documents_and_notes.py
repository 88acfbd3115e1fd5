"""Documents in a participant's file (upload by content, download as attachment) and case notes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from kis.accounts.models import User
from kis.audit.models import AuditEvent
from kis.participants.models import CaseDocument, CaseNote

TINY_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TINY_PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48


@pytest.fixture(autouse=True)
def _no_mfa(settings: Any) -> None:
    settings.REQUIRE_MFA = False


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def documents_url(world: Any) -> str:
    return f"/uczestnicy/{world.jan.pk}/dokumenty/"


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


# --- upload -------------------------------------------------------------------------------------


def test_it_accepts_a_real_pdf(world: Any) -> None:
    client = client_for(world.bartek)
    response = client.post(
        documents_url(world),
        {"kind": "declaration", "title": "Oświadczenie o świadczeniach", "file": upload("oswiadczenie.pdf", TINY_PDF)},
    )
    assert response.status_code == 302
    assert response["Location"] == documents_url(world)
    document = CaseDocument.objects.get(title="Oświadczenie o świadczeniach")
    assert (document.participant, document.kind, document.uploaded_by) == (world.jan, "declaration", world.bartek)
    assert (document.content_type, document.size, document.original_name) == (
        "application/pdf",
        len(TINY_PDF),
        "oswiadczenie.pdf",
    )
    # Stored under a random name: the person's file name never reaches the disk.
    assert document.file.name.startswith(f"participants/{world.club_a.pk}/")
    assert "oswiadczenie" not in document.file.name
    with document.file.open("rb") as handle:
        assert handle.read() == TINY_PDF
    event = AuditEvent.objects.get(action="document.uploaded")
    assert (event.actor_id, event.target_id) == (world.bartek.pk, str(document.pk))
    assert event.details == {"kind": "declaration", "size": len(TINY_PDF)}


def test_it_takes_the_type_from_the_content_not_from_the_browser(world: Any) -> None:
    response = client_for(world.bartek).post(
        documents_url(world),
        {"kind": "evidence", "title": "Orzeczenie", "file": upload("orzeczenie.pdf", TINY_PNG, "application/pdf")},
    )
    assert response.status_code == 302
    assert CaseDocument.objects.get(title="Orzeczenie").content_type == "image/png"


def test_it_refuses_a_program_renamed_to_pdf(world: Any) -> None:
    client = client_for(world.bartek)
    before = AuditEvent.objects.count()
    response = client.post(
        documents_url(world), {"kind": "other", "title": "Skan", "file": upload("skan.pdf", WINDOWS_EXE)}
    )
    assert response.status_code == 400
    assert response.context["form"].has_error("file", code="file_type") is True
    assert not CaseDocument.objects.filter(title="Skan").exists()
    assert AuditEvent.objects.count() == before


def test_it_refuses_a_file_that_is_too_large(world: Any, settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 32
    response = client_for(world.bartek).post(
        documents_url(world), {"kind": "other", "title": "Duży skan", "file": upload("duzy.pdf", TINY_PDF)}
    )
    assert len(TINY_PDF) > 32
    assert response.status_code == 400
    assert response.context["form"].has_error("file", code="too_large") is True
    assert not CaseDocument.objects.filter(title="Duży skan").exists()


def test_a_file_at_the_limit_is_accepted(world: Any, settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = len(TINY_PDF)
    response = client_for(world.bartek).post(
        documents_url(world), {"kind": "other", "title": "Na granicy", "file": upload("granica.pdf", TINY_PDF)}
    )
    assert response.status_code == 302
    assert CaseDocument.objects.filter(title="Na granicy").exists()


def test_the_list_shows_the_files_documents(world: Any) -> None:
    body = client_for(world.bartek).get(documents_url(world)).content.decode()
    assert "Zaświadczenie z PUP" in body
    assert f"/uczestnicy/{world.jan.pk}/dokumenty/{world.document_a.pk}/" in body


# --- download -----------------------------------------------------------------------------------


def download_url(world: Any, document: CaseDocument) -> str:
    return f"/uczestnicy/{world.jan.pk}/dokumenty/{document.pk}/"


def test_download_is_an_attachment_with_the_stored_type_and_is_audited(world: Any) -> None:
    response = client_for(world.alicja).get(download_url(world, world.document_a))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Za" in response["Content-Disposition"]  # the title, not the uploaded file name
    assert "pup.pdf" not in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n"
    event = AuditEvent.objects.get(action="document.downloaded")
    assert (event.actor_id, event.target_id, event.details) == (
        world.alicja.pk,
        str(world.document_a.pk),
        {"kind": "evidence"},
    )


def test_a_png_downloads_as_a_png(world: Any) -> None:
    client = client_for(world.bartek)
    client.post(documents_url(world), {"kind": "evidence", "title": "Zdjecie", "file": upload("z.png", TINY_PNG)})
    document = CaseDocument.objects.get(title="Zdjecie")
    response = client.get(download_url(world, document))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="Zdjecie.png"'
    assert b"".join(response.streaming_content) == TINY_PNG


def test_an_outsider_gets_404_on_download_and_nothing_is_audited_as_downloaded(world: Any) -> None:
    response = client_for(world.celina).get(download_url(world, world.document_a))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="document.downloaded").exists()


def test_another_participants_document_through_jans_url_is_404(world: Any) -> None:
    document = CaseDocument(
        participant=world.ewa,
        kind="certificate",
        title="Świadectwo pracy",
        original_name="swiadectwo.pdf",
        content_type="application/pdf",
        size=len(TINY_PDF),
        uploaded_by=world.alicja,
    )
    document.file.save("swiadectwo.pdf", ContentFile(TINY_PDF), save=False)
    document.save()
    client = client_for(world.alicja)
    assert client.get(download_url(world, document)).status_code == 404
    assert not AuditEvent.objects.filter(action="document.downloaded").exists()
    right = client.get(f"/uczestnicy/{world.ewa.pk}/dokumenty/{document.pk}/")
    assert right.status_code == 200
    assert b"".join(right.streaming_content) == TINY_PDF  # consuming the stream closes the file


def test_a_missing_file_on_disk_is_404(world: Any) -> None:
    world.document_a.file.delete(save=False)
    response = client_for(world.bartek).get(download_url(world, world.document_a))
    assert response.status_code == 404


# --- notes --------------------------------------------------------------------------------------


def notes_url(world: Any) -> str:
    return f"/uczestnicy/{world.jan.pk}/notatki/"


def note_texts(response: Any) -> list[str]:
    return [note.text for note in response.context["notes"]]


def test_a_note_is_stored_encrypted_and_audited_without_its_text(world: Any) -> None:
    response = client_for(world.bartek).post(
        notes_url(world), {"level": "team", "text": "Rozmowa o powrocie do pracy, motywacja dobra."}
    )
    assert response.status_code == 302
    note = CaseNote.objects.get(participant=world.jan)
    assert (note.author, note.level, note.text) == (
        world.bartek,
        "team",
        "Rozmowa o powrocie do pracy, motywacja dobra.",
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM participants_casenote WHERE id = %s", [note.pk])
        (raw,) = cursor.fetchone()
    assert raw.startswith("gAAAA")
    assert "motywacja" not in raw
    event = AuditEvent.objects.get(action="note.added")
    assert "motywacja" not in json.dumps(event.details, ensure_ascii=False)
    assert event.details == {"changes": {"text": "[redacted]"}}


def test_an_empty_note_is_refused(world: Any) -> None:
    response = client_for(world.bartek).post(notes_url(world), {"level": "team", "text": ""})
    assert response.status_code == 400
    assert response.context["form"].has_error("text", code="required") is True
    assert not CaseNote.objects.exists()


def test_a_leaders_restricted_note_is_hidden_from_staff(world: Any) -> None:
    alicja, bartek = client_for(world.alicja), client_for(world.bartek)
    alicja.post(notes_url(world), {"level": "restricted", "text": "Podejrzenie przemocy w rodzinie"})
    alicja.post(notes_url(world), {"level": "team", "text": "Spotkanie zespołu 12.03"})
    staff_view = bartek.get(notes_url(world))
    assert note_texts(staff_view) == ["Spotkanie zespołu 12.03"]
    assert "przemocy" not in staff_view.content.decode()
    assert set(note_texts(alicja.get(notes_url(world)))) == {
        "Podejrzenie przemocy w rodzinie",
        "Spotkanie zespołu 12.03",
    }


def test_staffs_restricted_note_is_shown_to_its_author_and_the_leader(world: Any) -> None:
    bartek = client_for(world.bartek)
    bartek.post(notes_url(world), {"level": "restricted", "text": "Zgłosił problem z alkoholem"})
    assert note_texts(bartek.get(notes_url(world))) == ["Zgłosił problem z alkoholem"]
    assert note_texts(client_for(world.alicja).get(notes_url(world))) == ["Zgłosił problem z alkoholem"]


def test_another_staff_member_does_not_see_a_restricted_note(world: Any) -> None:
    from kis.accounts.models import Grant, Role

    krystyna = User.objects.create_user(email="krystyna@example.pl", password=None, full_name="Krystyna Sowa")
    Grant.objects.create(user=krystyna, role=Role.STAFF, club=world.club_a)
    client_for(world.bartek).post(notes_url(world), {"level": "restricted", "text": "Zgłosił problem z alkoholem"})
    client_for(world.bartek).post(notes_url(world), {"level": "team", "text": "Był na warsztatach"})
    assert note_texts(client_for(krystyna).get(notes_url(world))) == ["Był na warsztatach"]


def test_reading_notes_is_audited_with_the_count_only(world: Any) -> None:
    client = client_for(world.bartek)
    client.post(notes_url(world), {"level": "team", "text": "Był na warsztatach"})
    client.get(notes_url(world))
    event = AuditEvent.objects.get(action="note.read")
    assert event.details == {"count": 1}


def test_an_empty_note_list_is_not_audited(world: Any) -> None:
    client_for(world.bartek).get(notes_url(world))
    assert not AuditEvent.objects.filter(action="note.read").exists()


def test_an_outsider_cannot_read_or_write_notes(world: Any) -> None:
    client_for(world.bartek).post(notes_url(world), {"level": "team", "text": "Był na warsztatach"})
    celina = client_for(world.celina)
    assert celina.get(notes_url(world)).status_code == 404
    assert celina.post(notes_url(world), {"level": "team", "text": "Wpis z zewnątrz"}).status_code == 404
    assert list(CaseNote.objects.values_list("text", flat=True)) == ["Był na warsztatach"]
