"""Drill-down from a number to the records it counts (club staff only), the staff register, code lists."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from kis.audit.models import AuditEvent
from kis.clubs.models import StaffMember
from kis.lib.testing_reports import Dataset, make_report_dataset
from kis.reports.compute import compute
from kis.reports.models import ServiceCategory


@pytest.fixture
def data(world: Any) -> Dataset:
    return make_report_dataset(world)


def client_for(user: Any, settings: Any) -> Client:
    settings.REQUIRE_MFA = False
    client = Client()
    client.force_login(user)
    return client


def records(data: Dataset, key: str) -> str:
    return f"/kluby/{data.club.pk}/sprawozdania/2024/rekordy/{key}/"


def test_each_number_links_to_its_records_for_the_clubs_staff(data: Dataset, world: Any, settings: Any) -> None:
    page = client_for(world.celina, settings).get(f"/kluby/{data.club.pk}/sprawozdania/2024/").content.decode()
    assert f'<a href="{records(data, "eff.employed.T")}">2</a>' in page
    assert f'<a href="{records(data, "g.all.long_term_unemployed.n")}">3</a>' in page
    assert f'<a href="{records(data, "staff.total.n")}">3</a>' in page


def test_the_records_of_a_number_are_listed_and_the_reading_is_audited(
    data: Dataset, world: Any, settings: Any
) -> None:
    response = client_for(world.celina, settings).get(records(data, "eff.employed.T"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Wójcik Barbara" in body and "Mazur Cezary" in body
    assert "Zielińska" not in body
    assert "Policzono 2 rekordy" in body
    event = AuditEvent.objects.filter(action="report.records_viewed").get()
    assert (event.actor_id, event.details["key"], event.details["count"]) == (world.celina.pk, "eff.employed.T", 2)
    sessions = (
        client_for(world.celina, settings).get(records(data, "act.vocational_workshop.sessions")).content.decode()
    )
    assert sessions.count("Warsztaty kompetencji · ") == 2
    staff = client_for(world.celina, settings).get(records(data, "staff.volunteers.T")).content.decode()
    assert "Ola Wiśniewska" in staff and "Jan Lis" not in staff


def test_an_unknown_key_is_not_found(data: Dataset, world: Any, settings: Any) -> None:
    assert client_for(world.celina, settings).get(records(data, "p.everyone")).status_code == 404


def test_the_voivode_office_and_the_operator_see_numbers_only(world: Any, settings: Any) -> None:
    year = world.report_a.year
    url = f"/kluby/{world.club_a.pk}/sprawozdania/{year}/rekordy/p.total.T/"
    assert client_for(world.wiktor, settings).get(url).status_code == 403
    assert client_for(world.olek, settings).get(url).status_code == 403
    assert client_for(world.celina, settings).get(url).status_code == 404
    page = client_for(world.wiktor, settings).get(f"/kluby/{world.club_a.pk}/sprawozdania/{year}/").content.decode()
    assert "/rekordy/" not in page
    assert "Wiśniewska" not in page  # Ewa, the participant counted


def test_a_submitted_report_shows_numbers_without_links(world: Any, settings: Any) -> None:
    year = world.report_a.year
    page = client_for(world.alicja, settings).get(f"/kluby/{world.club_a.pk}/sprawozdania/{year}/").content.decode()
    assert "Złożona wersja 1" in page
    assert "/rekordy/" not in page


# --------------------------------------------------------------------------- the staff register


def test_the_leader_adds_a_staff_member_and_the_report_counts_them(data: Dataset, world: Any, settings: Any) -> None:
    response = client_for(data.beata, settings).post(
        f"/kluby/{data.club.pk}/kadra/",
        {
            "full_name": "Łucja Ćwiek",
            "sex": "F",
            "position": "psycholog",
            "basis": "civil",
            "fte": "0,5",
            "started_on": "01.02.2024",
            "ended_on": "",
            "user": "",
        },
    )
    assert response.status_code == 302
    member = StaffMember.objects.get(full_name="Łucja Ćwiek")
    assert (member.fte, member.club) == (Decimal("0.50"), data.club)
    values = compute(data.club, 2024).values
    assert (values["staff.civil.n"], values["staff.total.fte"]) == (2, Decimal("1.75"))
    assert AuditEvent.objects.filter(action="staff_member.created", target_id=str(member.pk)).exists()


def test_staff_register_input_errors_are_shown_and_nothing_is_saved(data: Dataset, settings: Any) -> None:
    response = client_for(data.beata, settings).post(
        f"/kluby/{data.club.pk}/kadra/",
        {
            "full_name": "Wolontariusz Zły",
            "sex": "M",
            "position": "wolontariusz",
            "basis": "volunteer",
            "fte": "0,5",
            "started_on": "01.06.2024",
            "ended_on": "01.05.2024",
        },
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.has_error("fte", code="volunteer_fte")
    assert form.has_error("ended_on", code="ends_before_start")
    assert not StaffMember.objects.filter(full_name="Wolontariusz Zły").exists()


def test_staff_read_the_register_but_only_the_leader_keeps_it(data: Dataset, world: Any, settings: Any) -> None:
    celina = client_for(world.celina, settings)
    page = celina.get(f"/kluby/{data.club.pk}/kadra/").content.decode()
    assert "Maria Kowalska" in page and 'name="full_name"' not in page
    member = StaffMember.objects.get(full_name="Maria Kowalska")
    assert celina.get(f"/kluby/{data.club.pk}/kadra/{member.pk}/").status_code == 403
    assert celina.post(f"/kluby/{data.club.pk}/kadra/", {"full_name": "X"}).status_code == 403
    assert client_for(world.alicja, settings).get(f"/kluby/{data.club.pk}/kadra/{member.pk}/").status_code == 404


def test_the_staff_register_needs_the_same_queries_for_more_people(
    world: Any, settings: Any, django_assert_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.alicja, settings)
    client.get(f"/kluby/{world.club_a.pk}/kadra/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/kluby/{world.club_a.pk}/kadra/")
    for index in range(10):
        StaffMember(
            club=world.club_a,
            full_name=f"Osoba {index}",
            sex="F",
            position="instruktor",
            basis="civil",
            fte=Decimal("0.1"),
            started_on="2024-01-01",
        ).save()
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(f"/kluby/{world.club_a.pk}/kadra/")


# --------------------------------------------------------------------------- code lists


def test_the_analyst_edits_a_code_list(world: Any, settings: Any) -> None:
    category = ServiceCategory.objects.get(kind="social", code="digital")
    response = client_for(world.anna, settings).post(
        f"/sprawozdania/slowniki/kategorie-uslug/{category.pk}/",
        {
            "kind": "social",
            "code": "digital",
            "label": "włączenie cyfrowe",
            "position": "4",
            "is_active": "on",
            "activity_types": ["computer_access", "integration_event"],
        },
    )
    assert response.status_code == 302
    category.refresh_from_db()
    assert (category.label, category.activity_types) == ("włączenie cyfrowe", ["computer_access", "integration_event"])
    assert AuditEvent.objects.filter(action="report.code_list_changed").exists()


def test_a_code_used_twice_is_refused(world: Any, settings: Any) -> None:
    response = client_for(world.anna, settings).post(
        "/sprawozdania/slowniki/grupy/nowy/", {"code": "alcohol", "label": "Inna", "position": "10", "is_active": "on"}
    )
    assert response.status_code == 400
    assert "Ten kod jest już na liście." in response.content.decode()


def test_the_voivode_reads_code_lists_but_does_not_edit_them(world: Any, settings: Any) -> None:
    wiktor = client_for(world.wiktor, settings)
    page = wiktor.get("/sprawozdania/slowniki/").content.decode()
    assert "osoby uzależnione od alkoholu" in page
    assert "/sprawozdania/slowniki/grupy/nowy/" not in page
    assert wiktor.get("/sprawozdania/slowniki/grupy/nowy/").status_code == 403
