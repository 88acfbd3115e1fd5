"""Import of an earlier register: a dry run with per-row errors, then all rows or nothing."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook, load_workbook  # type: ignore[import-untyped]

from kis.audit.models import AuditEvent
from kis.clubs.models import Club, Operator
from kis.lib.testing import make_user
from kis.registry.importer import COLUMN_NAMES
from kis.registry.models import ImportBatch, RegisterEntry, RegisterEvent

ROWS = [
    {
        "numer_wpisu": "KIS/12/5/2013",
        "data_wpisu": "15.04.2013",
        "nazwa_klubu": "Klub Integracji Społecznej w Gródku",
        "ulica_klubu": "ul. Rynek 1",
        "kod_pocztowy_klubu": "33-340",
        "miejscowosc_klubu": "Stary Sącz",
        "gmina_klubu": "Stary Sącz",
        "data_utworzenia": "01.03.2013",
        "data_rozpoczecia": "02.04.2013",
        "kierujacy": "Zbigniew Łoś",
        "podmiot_nazwa": "Fundacja Źródło",
        "podmiot_typ": "fundacja",
        "podmiot_nip": "7342876302",
        "podmiot_krs": "123456",
        "podmiot_ulica": "ul. Główna 2",
        "podmiot_kod_pocztowy": "33-340",
        "podmiot_miejscowosc": "Stary Sącz",
    },
    {
        "numer_wpisu": "KIS/12/6/2014",
        "data_wpisu": "2014-02-01",
        "nazwa_klubu": "KIS przy MOPS w Nowym Sączu (dawny)",
        "ulica_klubu": "ul. Długa 3",
        "kod_pocztowy_klubu": "33-300",
        "miejscowosc_klubu": "Nowy Sącz",
        "gmina_klubu": "1262011",
        "data_utworzenia": "02.01.2014",
        "kierujacy": "Ewa Kot",
        "podmiot_nazwa": "MOPS w Nowym Sączu",
        "podmiot_typ": "OPS",
        "podmiot_nip": "734-101-20-19",
        "podmiot_ulica": "ul. Testowa 1",
        "podmiot_kod_pocztowy": "33-300",
        "podmiot_miejscowosc": "Nowy Sącz",
        "data_wykreslenia": "31.12.2018",
        "podstawa_wykreslenia": "zgłoszenie",
        "przyczyna_wykreslenia": "Zakończenie projektu",
    },
]


@pytest.fixture(autouse=True)
def _no_second_factor(settings: Any) -> None:
    settings.REQUIRE_MFA = False  # the second factor has its own tests


def xlsx_file(rows: list[dict[str, str]], name: str = "rejestr.xlsx") -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(COLUMN_NAMES)
    for row in rows:
        sheet.append([row.get(column, "") for column in COLUMN_NAMES])
    buffer = BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def csv_file(rows: list[dict[str, str]], encoding: str = "cp1250") -> SimpleUploadedFile:
    lines = [";".join(COLUMN_NAMES)] + [";".join(row.get(c, "") for c in COLUMN_NAMES) for row in rows]
    return SimpleUploadedFile("rejestr.csv", "\r\n".join(lines).encode(encoding))


def upload(world: Any, file: SimpleUploadedFile) -> tuple[Client, Any]:
    client = Client()
    client.force_login(world.wiktor)
    response = client.post("/rejestr/wojewoda/import/", {"voivodeship": "12", "file": file})
    return client, response


def test_a_dry_run_then_the_import_creates_operators_clubs_and_entries(world: Any) -> None:
    clubs, operators = Club.objects.count(), Operator.objects.count()
    client, response = upload(world, xlsx_file(ROWS))
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/rejestr/wojewoda/import/{batch.pk}/"
    report = client.get(response["Location"])
    body = report.content.decode()
    assert "Plik jest poprawny" in body
    assert "Importuj wszystkie wiersze" in body
    assert "już w systemie" in body  # the MOPS matched by NIP
    assert Club.objects.count() == clubs  # a dry run writes nothing but the batch
    response = client.post(f"/rejestr/wojewoda/import/{batch.pk}/")
    assert response.status_code == 302
    assert Club.objects.count() == clubs + 2
    assert Operator.objects.count() == operators + 1
    fundacja = Operator.objects.get(nip="7342876302")
    assert fundacja.type == Operator.Type.NGO
    assert fundacja.krs == "0000123456"
    grodek = RegisterEntry.objects.get(number="KIS/12/5/2013")
    assert grodek.imported is True
    assert grodek.club.gmina_id == "1210163"  # found by name in the voivodeship
    assert grodek.club.status == Club.Status.ACTIVE
    old = RegisterEntry.objects.get(number="KIS/12/6/2014")
    assert old.club.operator == world.operator_a
    assert old.strike_off_basis == RegisterEntry.Basis.OPERATOR_NOTICE
    assert old.club.status == Club.Status.CLOSED
    assert list(old.events.order_by("on", "pk").values_list("kind", flat=True)) == ["entered", "struck_off", "imported"]
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.IMPORTED
    assert AuditEvent.objects.filter(action="register.imported").count() == 2
    assert client.post(f"/rejestr/wojewoda/import/{batch.pk}/").status_code == 400  # not twice
    assert RegisterEntry.objects.filter(imported=True).count() == 2


def test_errors_are_reported_per_row_and_nothing_is_imported(world: Any) -> None:
    bad = [
        {**ROWS[0], "data_wpisu": "31.02.2013", "podmiot_krs": ""},
        {**ROWS[1], "numer_wpisu": "KIS/12/1/2020", "gmina_klubu": "1434123", "podmiot_nip": "123"},
        {**ROWS[0], "numer_wpisu": "KIS/12/9/2015", "nazwa_klubu": ""},
    ]
    client, response = upload(world, csv_file(bad))
    report = client.get(response["Location"])
    errors = {(row.line, error.column) for row in report.context["report"].rows for error in row.errors}
    assert errors == {
        (2, "data_wpisu"),
        (2, "podmiot_krs"),
        (3, "numer_wpisu"),
        (3, "gmina_klubu"),
        (3, "podmiot_nip"),
        (4, "nazwa_klubu"),
    }
    body = report.content.decode()
    assert "W rejestrze tego województwa jest już wpis o tym numerze." in body
    assert "Ta gmina leży poza województwem" in body
    assert "Organizacja pozarządowa lub spółdzielnia socjalna musi mieć numer KRS." in body
    assert "Importuj wszystkie wiersze" not in body
    clubs = Club.objects.count()
    response = client.post(f"/rejestr/wojewoda/import/{ImportBatch.objects.get().pk}/")
    assert response.status_code == 400
    assert Club.objects.count() == clubs
    assert not RegisterEntry.objects.filter(imported=True).exists()


def test_a_file_without_the_columns_is_refused_whole(world: Any) -> None:
    client, response = upload(world, SimpleUploadedFile("lista.csv", b"Lp;Nazwa\n1;Klub\n"))
    body = client.get(response["Location"]).content.decode()
    assert "W pierwszym wierszu brakuje kolumn" in body


def test_a_file_that_is_not_a_spreadsheet_is_refused(world: Any) -> None:
    _client, response = upload(world, SimpleUploadedFile("rejestr.exe", b"MZ\x90\x00\x03"))
    assert response.status_code == 400
    assert response.context["form"].has_error("file", code="file_type")
    assert not ImportBatch.objects.exists()


def test_the_import_is_atomic_when_a_row_fails_at_write_time(world: Any) -> None:
    """Between the dry run and the confirmation someone took a number: nothing is imported."""
    client, response = upload(world, xlsx_file(ROWS))
    batch = ImportBatch.objects.get()
    from kis.lib.testing import make_club
    from kis.lib.testing_registry import make_entry

    taken = make_club(world.operator_b, "KIS zajęty numer", "1210163")
    make_entry(taken, "KIS/12/6/2014", __import__("datetime").date(2015, 1, 1))
    clubs = Club.objects.count()
    response = client.post(f"/rejestr/wojewoda/import/{batch.pk}/")
    assert response.status_code == 400
    assert Club.objects.count() == clubs
    assert not Operator.objects.filter(nip="7342876302").exists()
    assert not RegisterEvent.objects.filter(kind="imported").exists()


def test_the_import_is_the_voivodes_only(world: Any) -> None:
    client, response = upload(world, xlsx_file(ROWS))
    batch = ImportBatch.objects.get()
    other = make_user("wojewoda@slask.example", "Sławomir Śląski", {"role": "voivode", "voivodeship": "24"})
    stranger = Client()
    stranger.force_login(other)
    assert stranger.get(f"/rejestr/wojewoda/import/{batch.pk}/").status_code == 404
    assert stranger.post("/rejestr/wojewoda/import/", {"voivodeship": "12", "file": xlsx_file(ROWS)}).status_code == 400
    olek = Client()
    olek.force_login(world.olek)
    assert olek.get("/rejestr/wojewoda/import/").status_code == 403
    assert olek.post(f"/rejestr/wojewoda/import/{batch.pk}/").status_code == 403
    assert not RegisterEntry.objects.filter(imported=True).exists()


def test_the_template_lists_every_column(world: Any) -> None:
    client = Client()
    client.force_login(world.wiktor)
    response = client.get("/rejestr/wojewoda/import/wzor.xlsx")
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == COLUMN_NAMES


def test_uploaded_lists_are_deleted_after_two_days_and_cannot_be_confirmed_then(world: Any, settings: Any) -> None:
    from django.core.files.base import ContentFile

    from kis.registry import importer
    from kis.registry.tasks import purge_old_imports

    batch = ImportBatch(voivodeship="12", uploaded_by=world.wiktor, original_name="rejestr.csv")
    batch.file.save("import", ContentFile(b"nazwa_klubu\n"), save=False)
    batch.save()
    ImportBatch.objects.filter(pk=batch.pk).update(uploaded_at=timezone.now() - timedelta(days=3))
    fresh = ImportBatch(voivodeship="12", uploaded_by=world.wiktor, original_name="nowy.csv")
    fresh.file.save("import", ContentFile(b"nazwa_klubu\n"), save=False)
    fresh.save()

    purge_old_imports.enqueue()

    batch.refresh_from_db()
    fresh.refresh_from_db()
    assert not batch.file and fresh.file
    report = importer.load(batch)
    assert not report.ok
    assert "Przesłany plik nie jest już przechowywany" in str(report.file_errors[0])
