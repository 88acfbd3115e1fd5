"""Batches: a month of attendance lists or a year of certificates, made in the background."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from kis.activities.models import Attendance, Session
from kis.audit.models import AuditEvent
from kis.documents import batches
from kis.documents.models import DocumentBatch
from kis.lib.testing import make_participant
from kis.lib.testing_documents import pdf_text
from kis.participants import services


@pytest.fixture(autouse=True)
def _no_mfa(settings: Any) -> None:
    settings.REQUIRE_MFA = False


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def feb_sessions(world: Any) -> list[Session]:
    sessions = []
    for day in (3, 10, 17):
        start = timezone.make_aware(datetime.combine(date(2026, 2, day), time(10)))
        sessions.append(
            Session.objects.create(activity=world.activity_a, starts_at=start, ends_at=start.replace(hour=13))
        )
    Attendance.objects.create(
        session=sessions[0], participant=world.jan, status="present", hours=Decimal(3), updated_by=world.bartek
    )
    return sessions


def test_a_month_of_attendance_lists_is_made_in_the_background(world: Any) -> None:
    feb_sessions(world)
    client = login(world.bartek)
    response = client.post(f"/kluby/{world.club_a.pk}/paczki/", {"kind": "attendance_month", "month": "2026-02"})
    batch = DocumentBatch.objects.exclude(pk=world.batch_a.pk).get()
    assert response.status_code == 302 and response["Location"] == f"/paczki/{batch.pk}/"
    # The test settings run tasks at once: the batch is finished by now.
    assert (batch.status, batch.done, batch.total) == ("done", 4, 4)  # 1 monthly list + 3 sessions
    page = client.get(f"/paczki/{batch.pk}/")
    assert "4 z 4 dokumentów" in page.text
    assert 'value="4"' in page.text and "hx-trigger" not in page.text
    download = client.get(f"/paczki/{batch.pk}/pobierz/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert "Listy-obecno%C5%9Bci-z-miesi%C4%85ca-02.2026-KIS-Przysta%C5%84.zip" in download["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))  # type: ignore[attr-defined]
    names = sorted(archive.namelist())
    assert names == [
        "Lista-obecności-2026-02-03-Warsztaty-kompetencji-społecznych.pdf",
        "Lista-obecności-2026-02-10-Warsztaty-kompetencji-społecznych.pdf",
        "Lista-obecności-2026-02-17-Warsztaty-kompetencji-społecznych.pdf",
        "Lista-obecności-2026-02-Warsztaty-kompetencji-społecznych.pdf",
    ]
    first = re.sub(r"\s+", " ", pdf_text(archive.read(names[0])))
    assert "03.02.2026, 10:00–13:00" in first and "1 Jan Nowak obecny 3" in first
    monthly = re.sub(r"\s+", " ", pdf_text(archive.read(names[3])))
    assert "03.02 10.02 17.02" in monthly and "1 Jan Nowak O 1 3" in monthly
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"document.batch_started", "document.batch_downloaded"} <= actions


def test_a_year_of_certificates_is_one_zip(world: Any) -> None:
    person = make_participant(world.club_a, "Łucja", "Źrebięcka", status="active", joined_on=date(2025, 2, 1))
    services.end_participation(
        participant=person, on=date(2025, 12, 12), reason="completed", employment_kind="", note="", by=world.alicja
    )
    client = login(world.alicja)
    client.post(f"/kluby/{world.club_a.pk}/paczki/", {"kind": "certificates_year", "year": "2025"})
    batch = DocumentBatch.objects.exclude(pk=world.batch_a.pk).get()
    assert (batch.status, batch.total) == ("done", 2)
    on_disk = Path(batch.file.path).read_bytes()
    assert on_disk.startswith(b"gAAAAA") and "Łucja".encode() not in on_disk  # encrypted at rest
    archive = zipfile.ZipFile(batch.file.open("rb"))
    names = sorted(archive.namelist())
    club = world.club_a.pk  # not always 1: PostgreSQL does not reset sequences between tests
    assert names == [
        f"Zaświadczenie-KIS-{club}-2025-0001-Ewa-Wiśniewska.pdf",
        f"Zaświadczenie-KIS-{club}-2025-0002-Łucja-Źrebięcka.pdf",
    ]
    assert "Łucja Źrebięcka" in pdf_text(archive.read(names[1]))


def test_progress_is_polled_while_the_batch_runs(world: Any) -> None:
    batch = DocumentBatch.objects.create(
        club=world.club_a,
        kind="attendance_month",
        period=date(2026, 2, 1),
        status="running",
        done=3,
        total=12,
        created_by=world.bartek,
    )
    client = login(world.bartek)
    page = client.get(f"/paczki/{batch.pk}/")
    assert 'hx-trigger="every 1s"' in page.text
    assert '<progress id="batch-bar" max="12" value="3">' in page.text
    partial = client.get(f"/paczki/{batch.pk}/", HTTP_HX_REQUEST="true")
    assert partial.text.lstrip().startswith('<div id="batch-progress"')
    assert "3 z 12 dokumentów" in partial.text
    assert client.get(f"/paczki/{batch.pk}/pobierz/").status_code == 404  # not ready yet
    # Asking again for the same batch while it runs does not start a second one.
    response = client.post(f"/kluby/{world.club_a.pk}/paczki/", {"kind": "attendance_month", "month": "2026-02"})
    assert response["Location"] == f"/paczki/{batch.pk}/"
    assert DocumentBatch.objects.filter(kind="attendance_month").count() == 1


def test_a_failure_is_recorded_not_raised(world: Any, settings: Any) -> None:
    feb_sessions(world)
    batch, _created = batches.start(
        club=world.club_a, kind="attendance_month", period=date(2026, 2, 1), by=world.bartek
    )
    settings.MEDIA_ROOT = "/proc/no-such-place"  # the ZIP cannot be stored
    batches.run(batch.pk)
    batch.refresh_from_db()
    assert batch.status == "failed" and batch.error
    page = login(world.bartek).get(f"/paczki/{batch.pk}/")
    assert "Nie udało się przygotować paczki." in page.text


def test_the_form_says_what_is_missing(world: Any) -> None:
    client = login(world.bartek)
    response = client.post(f"/kluby/{world.club_a.pk}/paczki/", {"kind": "attendance_month", "month": ""})
    assert response.status_code == 400
    assert response.context["form"].has_error("month", code="required")
    response = client.post(f"/kluby/{world.club_a.pk}/paczki/", {"kind": "certificates_year", "year": "1800"})
    assert response.status_code == 400
    assert response.context["form"].has_error("year")
    assert DocumentBatch.objects.count() == 1


def test_batches_are_for_the_clubs_printers_only(world: Any) -> None:
    assert login(world.celina).get(f"/paczki/{world.batch_a.pk}/").status_code == 404
    assert login(world.celina).get(f"/paczki/{world.batch_a.pk}/pobierz/").status_code == 404
    assert login(world.dorota).get(f"/paczki/{world.batch_a.pk}/pobierz/").status_code == 403
    assert login(world.dorota).post(f"/kluby/{world.club_a.pk}/paczki/", {"kind": "x"}).status_code == 403
    assert login(world.olek).get(f"/kluby/{world.club_a.pk}/paczki/").status_code == 403


def test_the_list_shows_recent_batches_with_few_queries(world: Any, django_assert_max_num_queries: Any) -> None:
    for month in range(1, 11):
        DocumentBatch.objects.create(
            club=world.club_a,
            kind="attendance_month",
            period=date(2025, month, 1),
            status="done",
            created_by=world.bartek,
        )
    client = login(world.bartek)
    with django_assert_max_num_queries(10):
        page = client.get(f"/kluby/{world.club_a.pk}/paczki/")
    assert page.text.count("<td>gotowa") == 11
    assert page.text.count("/pobierz/") == 1  # only batch_a still has its file


def test_zip_files_are_deleted_after_a_week(world: Any) -> None:
    from datetime import timedelta

    from kis.documents.tasks import purge_old_batches

    path = world.batch_a.file.name
    storage = world.batch_a.file.storage
    DocumentBatch.objects.filter(pk=world.batch_a.pk).update(finished_at=timezone.now() - timedelta(days=6))
    assert purge_old_batches.call() == 0
    assert storage.exists(path)
    DocumentBatch.objects.filter(pk=world.batch_a.pk).update(finished_at=timezone.now() - timedelta(days=8))
    assert purge_old_batches.call() == 1
    assert not storage.exists(path)
    client = login(world.alicja)
    assert client.get(f"/paczki/{world.batch_a.pk}/pobierz/").status_code == 404
    assert "Plik usunięto po 7 dniach" in client.get(f"/paczki/{world.batch_a.pk}/").text
