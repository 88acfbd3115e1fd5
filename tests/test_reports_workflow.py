"""The annual report's workflow: draft → checked → submitted → returned → resubmitted → accepted.

Club B's report for 2024 (the fixed data set): Beata is its leader, Celina its staff, Wiktor the
voivode officer of małopolskie.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from pypdf import PdfReader

from kis.activities.models import Attendance, Session
from kis.audit.models import AuditEvent
from kis.lib.testing import make_participant
from kis.lib.testing_reports import Dataset, make_report_dataset
from kis.reports import services
from kis.reports.models import AnnualReport, ReportCell, ReportGrant, ReportSubmission


@pytest.fixture
def data(world: Any) -> Dataset:
    return make_report_dataset(world)


def client_for(user: Any, settings: Any) -> Client:
    settings.REQUIRE_MFA = False
    client = Client()
    client.force_login(user)
    return client


def url(data: Dataset, suffix: str = "") -> str:
    return f"/kluby/{data.club.pk}/sprawozdania/2024/{suffix}"


def said(response: Any) -> str:
    """The message the request added last (earlier ones wait unread in the session)."""
    return [str(m) for m in get_messages(response.wsgi_request)][-1]


def figures_on(page: str) -> list[str]:
    return re.findall(r'<td class="num">(.*?)</td>', page)


def submitted(data: Dataset) -> AnnualReport:
    report = services.get_or_start(club=data.club, year=2024, by=data.beata)
    services.mark_checked(report=report, by=data.beata)
    services.submit(report=report, by=data.beata)
    return AnnualReport.objects.get(pk=report.pk)


def test_the_leader_checks_and_submits_a_frozen_snapshot_with_its_pdf(
    data: Dataset, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    beata = client_for(data.beata, settings)
    assert beata.post(url(data, "sprawdzone/")).status_code == 302
    assert AnnualReport.objects.get(club=data.club, year=2024).state == "checked"
    with django_capture_on_commit_callbacks(execute=True):
        response = beata.post(url(data, "zloz/"))
    assert said(response) == "Sprawozdanie zostało złożone w urzędzie wojewódzkim."
    report = AnnualReport.objects.get(club=data.club, year=2024)
    assert (report.state, report.submission_count, report.submitted_by) == ("submitted", 1, data.beata)
    assert report.snapshot["values"]["p.total.T"] == 7
    submission = report.submissions.get()
    assert submission.snapshot == report.snapshot
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(submission.pdf.read())).pages)
    assert "Sprawozdanie z działalności KIS Stary Sącz za 2024" in text
    assert "Uczestnicy w roku" in text
    assert ReportCell.objects.get(report=report, key="p.total.T").value == 7
    assert list(
        AuditEvent.objects.filter(target_type="reports.AnnualReport", target_id=str(report.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    ) == ["report.started", "report.checked", "report.submitted"]


def test_submitting_twice_is_refused_in_polish_and_changes_nothing(data: Dataset, settings: Any) -> None:
    report = submitted(data)
    client = client_for(data.beata, settings)
    events = AuditEvent.objects.count()
    response = client.post(url(data, "zloz/"))
    assert response.status_code == 302
    message = said(response)
    assert message.startswith("Sprawozdanie za 2024 zostało już złożone (wersja 1, ")
    assert message.endswith("i czeka na urząd wojewódzki. Niczego nie zmieniono.")
    report.refresh_from_db()
    assert (report.state, report.submission_count) == ("submitted", 1)
    assert ReportSubmission.objects.filter(report=report).count() == 1
    assert AuditEvent.objects.count() == events


def test_a_stale_copy_cannot_submit_again(data: Dataset) -> None:
    """Two submits of the same checked report (two tabs): the second finds it submitted already."""
    report = services.get_or_start(club=data.club, year=2024, by=data.beata)
    services.mark_checked(report=report, by=data.beata)
    stale = AnnualReport.objects.get(pk=report.pk)
    services.submit(report=report, by=data.beata)
    with pytest.raises(Exception) as refused:
        services.submit(report=stale, by=data.beata)
    assert getattr(refused.value, "code", "") == "already_submitted"
    assert ReportSubmission.objects.filter(report=report).count() == 1


def test_a_report_must_be_checked_before_it_is_submitted(data: Dataset, settings: Any) -> None:
    services.get_or_start(club=data.club, year=2024, by=data.beata)
    response = client_for(data.beata, settings).post(url(data, "zloz/"))
    assert (
        said(response) == "Przed złożeniem kierownik musi oznaczyć sprawozdanie jako sprawdzone. Niczego nie zmieniono."
    )
    assert AnnualReport.objects.get(club=data.club, year=2024).state == "draft"


def test_staff_edit_the_report_but_only_the_leader_checks_and_submits(data: Dataset, world: Any, settings: Any) -> None:
    celina = client_for(world.celina, settings)
    assert celina.get(url(data, "edycja/")).status_code == 200
    assert celina.post(url(data, "sprawdzone/")).status_code == 403
    assert celina.post(url(data, "zloz/")).status_code == 403
    assert not AnnualReport.objects.filter(club=data.club, year=2024).exists()


def test_saving_a_checked_report_sends_it_back_to_draft(data: Dataset, settings: Any) -> None:
    report = services.get_or_start(club=data.club, year=2024, by=data.beata)
    services.mark_checked(report=report, by=data.beata)
    report.refresh_from_db()
    response = client_for(data.beata, settings).post(
        url(data, "edycja/"),
        {"version": report.version, "effects_note": "Dwie osoby podjęły pracę.", "actions_psu": "Prace porządkowe."},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.state, report.effects_note) == ("draft", "Dwie osoby podjęły pracę.")
    assert report.narratives == {"psu": {"actions": "Prace porządkowe.", "effects": ""}}


def test_bad_amounts_are_refused_next_to_the_field_and_nothing_is_saved(data: Dataset, settings: Any) -> None:
    response = client_for(data.beata, settings).post(
        url(data, "edycja/"),
        {
            "version": "0",
            "received_gmina_own": "1000",
            "returned_gmina_own": "1500",
            "spent_eu_esf": "-5",
            "received_labour_fund": "dużo",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Nie można zwrócić więcej, niż otrzymano (1000 zł)." in body
    assert "Wpisz kwotę równą 0 lub większą." in body
    assert "Wpisz kwotę w złotych, np. 12 500,00." in body
    assert not AnnualReport.objects.filter(club=data.club, year=2024).exists()
    assert not ReportGrant.objects.exists()


def test_an_edit_made_on_a_stale_page_is_refused(data: Dataset, settings: Any) -> None:
    report = services.get_or_start(club=data.club, year=2024, by=data.beata)
    client = client_for(data.beata, settings)
    assert client.post(url(data, "edycja/"), {"version": "0", "staff_note": "Pierwsza wersja."}).status_code == 302
    response = client.post(url(data, "edycja/"), {"version": "0", "staff_note": "Druga, ze starej strony."})
    assert response.status_code == 409
    assert "Ktoś inny zapisał to sprawozdanie" in response.content.decode()
    report.refresh_from_db()
    assert report.staff_note == "Pierwsza wersja."


def test_a_submitted_report_cannot_be_edited(data: Dataset, settings: Any) -> None:
    report = submitted(data)
    client = client_for(data.beata, settings)
    response = client.get(url(data, "edycja/"))
    assert response.status_code == 302
    assert said(response) == (
        "Sprawozdanie zostało złożone: można je znów edytować tylko wtedy, gdy urząd wojewódzki zwróci je do poprawy."
    )
    response = client.post(url(data, "edycja/"), {"version": report.version, "staff_note": "Po złożeniu."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.staff_note == ""


def test_returned_resubmitted_and_accepted_with_the_history_kept(data: Dataset, world: Any, settings: Any) -> None:
    report = submitted(data)
    wiktor = client_for(world.wiktor, settings)
    response = wiktor.post(f"/sprawozdania/{report.pk}/zwroc/", {"comment": ""})
    assert said(response) == "Napisz, co klub musi poprawić."
    report.refresh_from_db()
    assert report.state == "submitted"
    wiktor.post(f"/sprawozdania/{report.pk}/zwroc/", {"comment": "Uzupełnij opis działań PSU."})
    report.refresh_from_db()
    assert (report.state, report.review_comment) == ("returned", "Uzupełnij opis działań PSU.")
    assert not ReportCell.objects.filter(report=report).exists()  # no longer counted in regional totals
    beata = client_for(data.beata, settings)
    page = beata.get(url(data)).content.decode()
    assert "Zwrócone przez urząd wojewódzki" in page
    assert "Uzupełnij opis działań PSU." in page
    beata.post(url(data, "edycja/"), {"version": report.version, "actions_psu": "Porządkowanie zieleni miejskiej."})
    beata.post(url(data, "sprawdzone/"))
    beata.post(url(data, "zloz/"))
    report.refresh_from_db()
    assert (report.state, report.submission_count) == ("submitted", 2)
    response = wiktor.post(f"/sprawozdania/{report.pk}/przyjmij/")
    assert said(response) == "Sprawozdanie zostało przyjęte."
    report.refresh_from_db()
    assert (report.state, report.reviewed_by) == ("accepted", world.wiktor)
    history = list(report.submissions.order_by("number").values_list("number", "outcome", "comment"))
    assert history == [(1, "returned", "Uzupełnij opis działań PSU."), (2, "accepted", "")]
    assert report.snapshot["narratives"] == [
        {"type": "psu", "actions": "Porządkowanie zieleni miejskiej.", "effects": ""}
    ]
    response = wiktor.post(f"/sprawozdania/{report.pk}/przyjmij/")
    assert said(response) == "Sprawozdanie za 2024 zostało już przyjęte przez urząd wojewódzki. Niczego nie zmieniono."


def test_only_the_voivode_office_reviews(data: Dataset, world: Any, settings: Any) -> None:
    report = submitted(data)
    assert client_for(data.beata, settings).post(f"/sprawozdania/{report.pk}/przyjmij/").status_code == 403
    assert client_for(world.alicja, settings).post(f"/sprawozdania/{report.pk}/przyjmij/").status_code == 404
    report.refresh_from_db()
    assert report.state == "submitted"


def test_data_edited_after_submission_never_change_the_submitted_report(
    data: Dataset, world: Any, settings: Any
) -> None:
    report = submitted(data)
    frozen = report.snapshot
    wiktor = client_for(world.wiktor, settings)
    before = figures_on(wiktor.get(url(data)).content.decode())
    # Later edits: a new participant in 2024, an extra attendance, Anna's groups, Józef's exit reason.
    make_participant(data.club, "Zenobia", "Nowa", sex="F", status="active", joined_on=date(2024, 7, 1))
    session = Session.objects.filter(activity__club=data.club, cancelled=False, starts_at__year=2024).first()
    assert session is not None
    Attendance.objects.update_or_create(
        session=session,
        participant=data.people["edward"],
        defaults={"status": "present", "hours": Decimal(3), "updated_by": data.beata},
    )
    anna = data.people["anna"]
    anna.groups = ["drug_addiction"]
    anna.save(update_fields=["groups"])
    data.people["jozef"].exit_reason = "resigned"
    data.people["jozef"].save(update_fields=["exit_reason"])
    live, _figures = services.build_document(data.club, 2024, report)
    assert live["values"]["p.total.T"] == 8
    report.refresh_from_db()
    assert report.snapshot == frozen
    assert report.submissions.get().snapshot == frozen
    assert ReportCell.objects.get(report=report, key="p.total.T").value == 7
    for user in (world.wiktor, data.beata):
        page = client_for(user, settings).get(url(data)).content.decode()
        assert "Złożona wersja 1" in page
    assert figures_on(wiktor.get(url(data)).content.decode()) == before
    assert "7" in before


def test_the_voivode_office_sees_no_draft_figures_and_the_operator_no_records(world: Any, settings: Any) -> None:
    from django.utils import timezone

    year = timezone.localdate().year
    page = client_for(world.wiktor, settings).get(f"/kluby/{world.club_a.pk}/sprawozdania/{year}/").content.decode()
    assert "Klub jeszcze nie złożył tego sprawozdania." in page
    assert "Uczestnicy w roku" not in page
    operator = client_for(world.olek, settings).get(f"/kluby/{world.club_a.pk}/sprawozdania/{year}/").content.decode()
    assert "Uczestnicy w roku" in operator
    assert "/rekordy/" not in operator


def test_the_report_page_needs_the_same_queries_for_few_and_many_participants(
    data: Dataset, settings: Any, django_assert_num_queries: Any
) -> None:
    client = client_for(data.beata, settings)
    client.get(url(data))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url(data)).status_code == 200
    for index in range(15):
        make_participant(
            data.club,
            f"Osoba{index}",
            "Dodatkowa",
            sex="F",
            status="active",
            joined_on=date(2024, 4, 1),
            groups=["other"],
        )
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url(data)).status_code == 200
    assert len(few.captured_queries) <= 25, len(few.captured_queries)


def test_the_pdf_is_made_from_the_snapshot_on_first_download(world: Any, settings: Any) -> None:
    """The task renders it after the commit; if it has not run yet, the first download does."""
    report = world.report_a
    submission = report.submissions.get()
    assert not submission.pdf
    response = client_for(world.wiktor, settings).get(f"/sprawozdania/{report.pk}/wersje/1/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    text = PdfReader(BytesIO(content)).pages[0].extract_text()
    assert f"Sprawozdanie z działalności KIS Przystań za {report.year}" in text
    submission.refresh_from_db()
    assert submission.pdf
    assert AuditEvent.objects.filter(action="report.pdf_downloaded", actor_id=world.wiktor.pk).exists()
