"""The voivode office's view: who reported, who is late, deadlines per voivodeship, regional and
national totals from the rollup with small cells suppressed, XLSX exports."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.test import Client

from kis.lib.testing_reports import Dataset, make_report_dataset
from kis.reports import layout, services
from kis.reports.models import AnnualReport, ReportDeadline

WARSAW = ZoneInfo("Europe/Warsaw")


@pytest.fixture
def data(world: Any) -> Dataset:
    return make_report_dataset(world)


def client_for(user: Any, settings: Any) -> Client:
    settings.REQUIRE_MFA = False
    client = Client()
    client.force_login(user)
    return client


def submit(club: Any, year: int, by: Any) -> AnnualReport:
    report = services.get_or_start(club=club, year=year, by=by)
    services.mark_checked(report=report, by=by)
    services.submit(report=report, by=by)
    return AnnualReport.objects.get(pk=report.pk)


def on(day: str) -> Any:
    return time_machine.travel(datetime.fromisoformat(day).replace(hour=9, tzinfo=WARSAW), tick=False)


def test_the_voivode_sees_who_reported_and_who_is_late(data: Dataset, world: Any, settings: Any) -> None:
    submit(data.club, 2024, data.beata)
    with on("2025-03-20"):
        rows = {r.club.name: r for r in services.region_status(["12"], 2024)}
        page = client_for(world.wiktor, settings).get("/wojewoda/sprawozdania/2024/").content.decode()
    assert set(rows) == {"KIS Przystań", "KIS Stary Sącz"}  # Club C is in mazowieckie
    assert (rows["KIS Stary Sącz"].state, rows["KIS Stary Sącz"].late) == ("submitted", False)
    assert (rows["KIS Przystań"].state, rows["KIS Przystań"].late) == ("missing", False)
    assert "KIS Krok dalej" not in page
    assert "po terminie: 0" in page
    with on("2025-04-01"):
        page = client_for(world.wiktor, settings).get("/wojewoda/sprawozdania/2024/").content.decode()
        rows = {r.club.name: r for r in services.region_status(["12"], 2024)}
    assert rows["KIS Przystań"].late is True
    assert rows["KIS Stary Sącz"].late is False
    assert "po terminie: 1" in page
    assert "2 kluby zobowiązane do sprawozdania" in page


def test_the_deadline_is_a_setting_of_each_voivodeship(world: Any, settings: Any) -> None:
    wiktor = client_for(world.wiktor, settings)
    response = wiktor.post(
        "/wojewoda/terminy-sprawozdan/",
        {"voivodeship": "12", "w12-day": "31", "w12-month": "1", "w12-remind_days": "21"},
    )
    assert response.status_code == 302
    setting = ReportDeadline.objects.get(voivodeship="12")
    assert (setting.day, setting.month, setting.remind_days, setting.updated_by) == (31, 1, 21, world.wiktor)
    deadlines = services.deadline_settings(["12", "14"])
    assert deadlines["12"].for_year(2024).isoformat() == "2025-01-31"
    assert deadlines["14"].for_year(2024).isoformat() == "2025-03-31"  # mazowieckie keeps the statute's date
    with on("2025-02-10"):
        rows = {r.club.name: r for r in services.region_status(["12", "14"], 2024)}
    assert rows["KIS Przystań"].late is True
    assert rows["KIS Krok dalej"].late is False


def test_a_deadline_after_31_march_or_a_day_that_does_not_exist_is_refused(world: Any, settings: Any) -> None:
    wiktor = client_for(world.wiktor, settings)
    response = wiktor.post(
        "/wojewoda/terminy-sprawozdan/",
        {"voivodeship": "12", "w12-day": "29", "w12-month": "2", "w12-remind_days": "14"},
    )
    assert response.status_code == 400
    assert "Tego dnia nie ma w tym miesiącu w każdym roku." in response.content.decode()
    response = wiktor.post(
        "/wojewoda/terminy-sprawozdan/",
        {"voivodeship": "12", "w12-day": "15", "w12-month": "4", "w12-remind_days": "14"},
    )
    assert response.status_code == 400
    assert not ReportDeadline.objects.exists()


def test_an_officer_sets_only_the_deadline_of_their_own_voivodeship(world: Any, settings: Any) -> None:
    response = client_for(world.wiktor, settings).post(
        "/wojewoda/terminy-sprawozdan/",
        {"voivodeship": "14", "w14-day": "31", "w14-month": "1", "w14-remind_days": "7"},
    )
    assert response.status_code == 404
    assert not ReportDeadline.objects.exists()


def test_regional_totals_add_up_counted_reports_and_hide_small_cells(data: Dataset, world: Any, settings: Any) -> None:
    submit(data.club, 2024, data.beata)
    summed, count = services.totals(2024, ["12"])
    assert count == 1
    assert (summed["p.total.T"], summed["p.total.F"], summed["p.total.M"]) == (7, 3, 4)
    sections, _count = services.regional_sections(2024, ["12"])
    cells = {cell.key: cell for section in sections for cell in section.cells()}
    assert cells["p.total.T"].text == "7"
    assert (cells["eff.social.T"].text, cells["eff.social.F"].text) == ("•", "•")  # one person
    assert cells["staff.total.n"].text == "3"  # staff are not suppressed
    page = client_for(world.wiktor, settings).get("/wojewoda/sprawozdania/2024/").content.decode()
    assert "Liczby od 1 do 2 osób są ukryte (•)" in page
    assert "Suma z 1 złożonego lub przyjętego sprawozdania" in page
    # Another voivodeship's totals do not include Club B.
    assert services.totals(2024, ["14"]) == ({}, 0)


def test_suppression_hides_what_could_be_worked_out_by_subtraction() -> None:
    values = {
        "cas4.ltu.T": 10,
        "cas4.ltu.F": 6,
        "cas4.ltu.M": 4,
        "cas4.homeless.T": 2,
        "cas4.homeless.M": 2,
        "cas4.alcohol.T": 5,
        "cas4.alcohol.F": 1,
        "cas4.alcohol.M": 4,
        "p.started.T": 17,
        "p.started.F": 7,
        "p.started.M": 10,
    }
    labels = {"group": {"ltu": "długotrwale bezrobotni", "homeless": "bezdomni", "alcohol": "uzależnieni od alkoholu"}}
    sections = layout.build({"values": values, "labels": labels})
    layout.suppress(sections, 3)
    cas4 = next(s for s in sections if s.id == "cas4")
    shown = {row.label: [cell.text for cell in row.cells] for row in cas4.rows}
    assert shown == {
        "długotrwale bezrobotni": ["10", "•", "•"],
        "bezdomni": ["•", "0", "•"],
        # Not hidden: the men of this row can be bounded, not worked out (two hidden cells in their column).
        "uzależnieni od alkoholu": ["•", "•", "4"],
        "Razem": ["17", "7", "10"],
    }
    # No column has a single hidden cell, no row with a shown total has a single hidden sex.
    for index in cas4.additive:
        assert sum(row.cells[index].suppressed for row in cas4.rows if not row.total) != 1
    for row in cas4.rows:
        if not row.cells[0].suppressed:
            assert row.cells[1].suppressed == row.cells[2].suppressed


def test_the_threshold_is_a_setting(data: Dataset, settings: Any) -> None:
    submit(data.club, 2024, data.beata)
    settings.REPORT_SMALL_CELL_THRESHOLD = 5
    sections, _count = services.regional_sections(2024, ["12"])
    cells = {cell.key: cell for section in sections for cell in section.cells()}
    assert cells["p.total.F"].text == "•"
    assert cells["p.total.T"].text == "7"


def test_the_region_exports_to_xlsx(data: Dataset, world: Any, settings: Any) -> None:
    submit(data.club, 2024, data.beata)
    with on("2025-04-02"):
        response = client_for(world.wiktor, settings).get("/wojewoda/sprawozdania/2024/xlsx/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="sprawozdania-kis-12-2024.xlsx"'
    book = openpyxl.load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["Kluby 2024", "Sumy dla województwa"]
    clubs = list(book["Kluby 2024"].iter_rows(values_only=True))
    assert clubs[0] == (
        "Klub",
        "Podmiot prowadzący",
        "Miejscowość",
        "Stan",
        "Złożone",
        "Wersje",
        "Termin",
        "Po terminie",
    )
    by_name = {row[0]: row for row in clubs[1:]}
    assert by_name["KIS Przystań"][3:] == ("brak", None, 0, "31.03.2025", "tak")
    assert by_name["KIS Stary Sącz"][3] == "złożone"
    totals = {(r[0], r[1], r[2]): r[3] for r in book["Sumy dla województwa"].iter_rows(values_only=True)}
    assert totals[("5. Uczestnicy zajęć", "Uczestnicy w roku", "Razem")] == 7
    assert totals[("5. Uczestnicy zajęć", "Uczestnicy w roku", "Kobiety")] == 3
    assert totals[("3. Wolontariusze", "Wolontariusze", "Razem")] == 1
    assert totals[("Uczestnicy i efekty reintegracji", "Osiągnęli efekty reintegracji społecznej", "Razem")] == "•"


def test_the_analyst_sees_national_totals_only(data: Dataset, world: Any, settings: Any) -> None:
    submit(data.club, 2024, data.beata)
    anna = client_for(world.anna, settings)
    page = anna.get("/sprawozdania/kraj/2024/").content.decode()
    assert "Sprawozdania według województw" in page
    assert "Zielińska" not in page and "KIS Stary Sącz" not in page
    national = {row.code: row for row in services.national_status(2024)}
    assert (national["12"].due, national["12"].counted, national["12"].accepted) == (2, 1, 0)
    assert (national["14"].due, national["14"].counted) == (1, 0)
    book = openpyxl.load_workbook(BytesIO(anna.get("/sprawozdania/kraj/2024/xlsx/").content))
    assert book.sheetnames == ["Sumy krajowe 2024"]
    assert client_for(world.wiktor, settings).get("/sprawozdania/kraj/2024/").status_code == 403


def test_another_voivodeships_report_is_not_found(world: Any, settings: Any) -> None:
    report = submit(world.club_c, 2024, world.alicja)  # Club C, mazowieckie
    wiktor = client_for(world.wiktor, settings)
    assert wiktor.get(f"/kluby/{world.club_c.pk}/sprawozdania/2024/").status_code == 404
    assert wiktor.post(f"/sprawozdania/{report.pk}/przyjmij/").status_code == 404
    assert wiktor.get(f"/sprawozdania/{report.pk}/wersje/1/pdf/").status_code == 404


def test_the_region_page_needs_the_same_queries_for_more_clubs(
    data: Dataset, world: Any, settings: Any, django_assert_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    submit(data.club, 2024, data.beata)
    wiktor = client_for(world.wiktor, settings)
    wiktor.get("/wojewoda/sprawozdania/2024/")
    with CaptureQueriesContext(connection) as few:
        wiktor.get("/wojewoda/sprawozdania/2024/")
    submit(world.club_a, 2024, world.alicja)
    with django_assert_num_queries(len(few.captured_queries)):
        assert wiktor.get("/wojewoda/sprawozdania/2024/").status_code == 200
