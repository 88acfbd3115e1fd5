"""The report's figures equal figures counted by hand on a small fixed data set (Club B, 2024).

The data set is built by ``kis.lib.testing_reports.make_report_dataset``; every figure below was
counted by hand from it, person by person (see the comments).
"""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from typing import Any

import openpyxl
import pytest
from django.test import Client

from kis.clubs.models import StaffMember
from kis.lib.testing_reports import Dataset, make_report_dataset
from kis.reports import layout, services
from kis.reports.compute import compute
from kis.reports.models import AnnualReport, ParticipantGroup, ServiceCategory

# Active in 2024: Anna, Barbara, Cezary, Dariusz, Edward, Franciszka, Józef (Grzegorz joined in 2025,
# Halina left in 2023, Irena is a candidate). Women: Anna, Barbara, Franciszka.
EXPECTED: dict[str, int | Decimal] = {
    "p.total.T": 7,
    "p.total.F": 3,
    "p.total.M": 4,
    # Started in 2024: Anna, Cezary, Dariusz, Franciszka, Józef.
    "p.started.T": 5,
    "p.started.F": 2,
    "p.started.M": 3,
    # Left in 2024: Barbara (work), Cezary (completed), Dariusz (resigned), Józef (social cooperative).
    "p.left.T": 4,
    "p.left.F": 1,
    "p.left.M": 3,
    # Completed: all who left except Dariusz, who resigned.
    "p.completed.T": 3,
    "p.completed.F": 1,
    "p.completed.M": 2,
    # Social goal achieved in 2024: Anna only (Cezary's goal has an open step).
    "eff.social.T": 1,
    "eff.social.F": 1,
    # Vocational: Barbara (left for work), Józef (social cooperative), Franciszka (goal done 20.12.2024);
    # Edward's goal was achieved in 2023.
    "eff.vocational.T": 3,
    "eff.vocational.F": 2,
    "eff.vocational.M": 1,
    "eff.any.T": 4,
    "eff.any.F": 3,
    "eff.any.M": 1,
    # Employed after completing: Barbara (left for work), Cezary (follow-up: employed).
    "eff.employed.T": 2,
    "eff.employed.F": 1,
    "eff.employed.M": 1,
    # All groups: a person in each of their groups.
    "g.all.long_term_unemployed.n": 3,  # Anna, Cezary, Franciszka
    "g.all.long_term_unemployed.eff": 2,  # Anna, Franciszka
    "g.all.long_term_unemployed.emp": 1,  # Cezary
    "g.all.disability.n": 1,
    "g.all.disability.eff": 1,
    "g.all.alcohol_addiction.n": 1,
    "g.all.alcohol_addiction.eff": 1,
    "g.all.alcohol_addiction.emp": 1,
    "g.all.ex_prisoner.n": 1,
    "g.all.ex_prisoner.eff": 1,
    "g.all.mental_disorder.n": 1,
    "g.all.mental_disorder.eff": 1,
    "g.all.homeless_ipwb.n": 1,
    "g.all.homeless_ipwb.eff": 1,
    "g.all._refused.n": 1,  # Dariusz
    "g.all._unstated.n": 1,  # Edward
    # Primary group: the first listed (Anna: long-term unemployed; Franciszka: ex-prisoner).
    "g.pri.long_term_unemployed.n": 2,
    "g.pri.long_term_unemployed.eff": 1,
    "g.pri.long_term_unemployed.emp": 1,
    "g.pri.alcohol_addiction.n": 1,
    "g.pri.alcohol_addiction.eff": 1,
    "g.pri.alcohol_addiction.emp": 1,
    "g.pri.ex_prisoner.n": 1,
    "g.pri.ex_prisoner.eff": 1,
    "g.pri.homeless_ipwb.n": 1,
    "g.pri.homeless_ipwb.eff": 1,
    "g.pri._refused.n": 1,
    "g.pri._unstated.n": 1,
    # Workshops: 2 sessions of 3 h (one cancelled, one in 2023); present: Anna twice, Cezary once.
    "act.vocational_workshop.sessions": 2,
    "act.vocational_workshop.hours": Decimal("6.00"),
    "act.vocational_workshop.people": 2,
    "act.vocational_workshop.attend": 3,
    "act.vocational_workshop.phours": Decimal("9.00"),
    # Support group: one 2 h session, Barbara and Edward present.
    "act.support_group.sessions": 1,
    "act.support_group.hours": Decimal("2.00"),
    "act.support_group.people": 2,
    "act.support_group.attend": 2,
    "act.support_group.phours": Decimal("4.00"),
    # Józef's PSU placement with 2 × 4 h.
    "act.psu.placements": 1,
    "act.psu.people": 1,
    "act.psu.phours": Decimal("8.00"),
    # Consultations that took place: Anna (legal), Franciszka (psychologist); Edward's did not.
    "act.legal_counselling.consult": 1,
    "act.legal_counselling.people": 1,
    "act.psychological_support.consult": 1,
    "act.psychological_support.people": 1,
    # Staff in 2024: Maria (employment 1.0), Piotr (civil 0.25, Mar–Jun), Ola (volunteer).
    "staff.employment.n": 1,
    "staff.employment.fte": Decimal("1.00"),
    "staff.civil.n": 1,
    "staff.civil.fte": Decimal("0.25"),
    "staff.volunteer.n": 1,
    "staff.total.n": 3,
    "staff.total.fte": Decimal("1.25"),
    "staff.employed.n": 2,
    "staff.volunteers.T": 1,
    "staff.volunteers.F": 1,
    # CAS 4: who started, by primary group through the code list (Dariusz refused).
    "cas4.long_term_unemployed.T": 2,
    "cas4.long_term_unemployed.F": 1,
    "cas4.long_term_unemployed.M": 1,
    "cas4.ex_prisoners.T": 1,
    "cas4.ex_prisoners.F": 1,
    "cas4.homeless.T": 1,
    "cas4.homeless.M": 1,
    "cas4._unstated.T": 1,
    "cas4._unstated.M": 1,
    # CAS 6: Barbara employment, Cezary nothing else, Józef social cooperative.
    "cas6.employment.T": 1,
    "cas6.employment.F": 1,
    "cas6.none.T": 1,
    "cas6.none.M": 1,
    "cas6.social_cooperative.T": 1,
    "cas6.social_cooperative.M": 1,
    # CAS 7: counselling = Anna (legal); psychological = Franciszka, Barbara, Edward.
    "cas7.counselling.T": 1,
    "cas7.counselling.F": 1,
    "cas7.psychological.T": 3,
    "cas7.psychological.F": 2,
    "cas7.psychological.M": 1,
    "cas7._any.T": 4,
    "cas7._any.F": 3,
    "cas7._any.M": 1,
    # CAS 8: training = Anna, Cezary; PSU = Józef.
    "cas8.training.T": 2,
    "cas8.training.F": 1,
    "cas8.training.M": 1,
    "cas8.psu.T": 1,
    "cas8.psu.M": 1,
    "cas8._any.T": 3,
    "cas8._any.F": 1,
    "cas8._any.M": 2,
}


@pytest.fixture
def data(world: Any) -> Dataset:
    return make_report_dataset(world)


def nonzero(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if Decimal(str(value)) != 0}


def client_for(user: Any, settings: Any) -> Client:
    settings.REQUIRE_MFA = False
    client = Client()
    client.force_login(user)
    return client


def test_every_figure_equals_the_hand_count(data: Dataset) -> None:
    """Every non-zero figure is listed above, and every figure not listed is zero."""
    figures = compute(data.club, 2024)
    assert nonzero(figures.values) == EXPECTED


def test_the_records_behind_a_figure_are_the_people_counted(data: Dataset) -> None:
    figures = compute(data.club, 2024)
    kind, ids = figures.records["eff.employed.T"]
    assert kind == "participants"
    assert ids == {data.people["barbara"].pk, data.people["cezary"].pk}
    assert figures.records["act.vocational_workshop.sessions"][0] == "sessions"
    assert len(figures.records["act.vocational_workshop.sessions"][1]) == 2
    staff_kind, staff_ids = figures.records["staff.total.n"]
    assert staff_kind == "staff"
    assert set(StaffMember.objects.filter(pk__in=staff_ids).values_list("full_name", flat=True)) == {
        "Maria Kowalska",
        "Piotr Nowak",
        "Ola Wiśniewska",
    }


def test_people_in_several_groups_count_in_each_and_once_in_their_primary_group(data: Dataset) -> None:
    values = compute(data.club, 2024).values
    all_groups = sum(int(v) for k, v in values.items() if k.startswith("g.all.") and k.endswith(".n"))
    primary = sum(int(v) for k, v in values.items() if k.startswith("g.pri.") and k.endswith(".n"))
    assert all_groups == 10  # Anna in 2 groups, Franciszka in 3
    assert primary == values["p.total.T"] == 7


def test_the_page_states_the_counting_rules(data: Dataset, settings: Any) -> None:
    body = client_for(data.beata, settings).get(f"/kluby/{data.club.pk}/sprawozdania/2024/").content.decode()
    assert "Zasada liczenia" in body
    assert "w pierwszej wpisanej grupie" in body
    assert "Efekt reintegracji społecznej" in body


def test_grants_entered_are_in_the_document_and_variable_1(data: Dataset, settings: Any) -> None:
    client = client_for(data.beata, settings)
    fields = {"version": "0", "staff_note": "", "effects_note": "", "grants_note": "Dotacja rozliczona."}
    for code in ("eu_esf", "gmina_own", "gmina_alcohol", "state_budget", "labour_fund", "other"):
        fields.update({f"received_{code}": "0", f"spent_{code}": "0", f"returned_{code}": "0"})
    fields.update({"received_gmina_own": "50 000,00", "spent_gmina_own": "48000", "returned_gmina_own": "2 000"})
    fields.update({"received_eu_esf": "100000", "spent_eu_esf": "100000,00"})
    response = client.post(f"/kluby/{data.club.pk}/sprawozdania/2024/edycja/", fields)
    assert response.status_code == 302
    report = AnnualReport.objects.get(club=data.club, year=2024)
    document, _figures = services.build_document(data.club, 2024, report)
    grants = {k: Decimal(v) for k, v in document["values"].items() if k.startswith("grant.") and Decimal(v)}
    assert grants == {
        "grant.gmina_own.received": Decimal("50000.00"),
        "grant.gmina_own.spent": Decimal("48000.00"),
        "grant.gmina_own.returned": Decimal("2000.00"),
        "grant.eu_esf.received": Decimal("100000.00"),
        "grant.eu_esf.spent": Decimal("100000.00"),
        "grant.total.received": Decimal("150000.00"),
        "grant.total.spent": Decimal("148000.00"),
        "grant.total.returned": Decimal("2000.00"),
    }
    cas1 = next(s for s in layout.build(document) if s.id == "cas1")
    assert [(row.label, row.cells[0].text) for row in cas1.rows if row.cells[0].value] == [
        ("środki Unii Europejskiej (EFS+)", "100\xa0000,00"),
        ("dotacja z dochodów własnych gminy", "48\xa0000,00"),
        ("Razem", "148\xa0000,00"),
    ]


def test_the_xlsx_holds_the_cas_variables(data: Dataset, settings: Any) -> None:
    response = client_for(data.beata, settings).get(f"/kluby/{data.club.pk}/sprawozdania/2024/xlsx/")
    assert response.status_code == 200
    book = openpyxl.load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["Art. 18a ust. 6", "MRiPS CAS 01", "Działania i efekty"]
    rows = [tuple(row) for row in book["MRiPS CAS 01"].iter_rows(values_only=True)]
    assert rows[0] == ("Zmienna", "Kategoria", "Podział", "Wartość")
    cas4 = {(r[1], r[2]): r[3] for r in rows if str(r[0]).startswith("4.")}
    assert cas4[("osoby długotrwale bezrobotne", "Razem")] == 2
    assert cas4[("osoby długotrwale bezrobotne", "Kobiety")] == 1
    assert cas4[("Razem", "Razem")] == 5
    cas6 = {(r[1], r[2]): r[3] for r in rows if str(r[0]).startswith("6.")}
    assert cas6[("spółdzielnia socjalna (założenie lub przystąpienie)", "Mężczyźni")] == 1
    cas8 = {(r[1], r[2]): r[3] for r in rows if str(r[0]).startswith("8.")}
    assert cas8[("Osoby objęte którąkolwiek kategorią", "Razem")] == 3
    identification = {r[1]: r[3] for r in rows if str(r[0]).startswith("9.")}
    assert identification["Klub"] == "KIS Stary Sącz"
    assert identification["Rok"] == 2024


def test_editing_a_code_list_changes_the_live_figures_but_not_a_submitted_report(data: Dataset) -> None:
    report = services.get_or_start(club=data.club, year=2024, by=data.beata)
    services.mark_checked(report=report, by=data.beata)
    services.submit(report=report, by=data.beata)
    frozen = dict(AnnualReport.objects.get(pk=report.pk).snapshot["values"])
    # Workshops now count as "job search" instead of "training"; long-term unemployed get a new label.
    ServiceCategory.objects.filter(code="training").update(activity_types=[])
    ServiceCategory.objects.filter(code="job_search").update(activity_types=["vocational_workshop"])
    ParticipantGroup.objects.filter(code="long_term_unemployed").update(label="bezrobotni długotrwale (nowa nazwa)")
    live = compute(data.club, 2024).values
    assert (live["cas8.training.T"], live["cas8.job_search.T"]) == (0, 2)
    report.refresh_from_db()
    assert report.snapshot["values"] == frozen
    assert (frozen["cas8.training.T"], frozen.get("cas8.job_search.T", 0)) == (2, 0)
    assert report.snapshot["labels"]["group"]["long_term_unemployed"] == "osoby długotrwale bezrobotne"
