"""The public register and its open data: no login, Polish search, struck-off entries, public data only."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

from django.test import Client

from kis.lib.testing import make_club, make_gminas
from kis.lib.testing_registry import make_entry
from kis.registry import services
from kis.registry.models import RegisterEntry


def strike_off_c(world: Any) -> RegisterEntry:
    entry = RegisterEntry.objects.get(club=world.club_c)
    return services.strike_off(
        entry=entry, on=date(2025, 6, 30), basis="voivode_finding", reason="Nie działa.", by=world.wiktor
    )


def test_the_register_opens_without_login_with_the_public_columns(world: Any) -> None:
    strike_off_c(world)
    response = Client().get("/rejestr/")
    body = response.content.decode()
    assert response.status_code == 200
    for heading in (
        "Lp.",
        "Nazwa klubu",
        "Adres klubu",
        "Podmiot prowadzący (nazwa, adres)",
        "Data wpisu",
        "Numer wpisu",
        "Data wykreślenia",
    ):
        assert heading in body
    assert "KIS Przystań" in body
    assert "KIS/12/1/2020" in body
    assert "20.01.2020" in body
    assert "KIS Krok dalej" in body  # struck off, still listed and marked
    assert "(wykreślony)" in body
    assert "30.06.2025" in body
    assert "KIS Nowy Początek" not in body  # notified, not entered
    assert "Alicja Lis" not in body  # the manager is not public


def test_search_folds_polish_letters(world: Any) -> None:
    make_gminas()
    lodz = make_club(
        world.operator_c, "Klub Integracji Społecznej w Łodzi", "1434123", city="Łódź", street="ul. Piotrkowska 1"
    )
    make_entry(lodz, "14/KIS/9/2021", date(2021, 3, 1))
    client = Client()
    found = client.get("/rejestr/?q=lodz").context["page"].object_list
    assert [e.club_name for e in found] == ["Klub Integracji Społecznej w Łodzi"]
    assert [e.club_name for e in client.get("/rejestr/?q=ŁÓDŹ").context["page"].object_list] == [
        "Klub Integracji Społecznej w Łodzi"
    ]
    by_operator = client.get("/rejestr/?q=razem").context["page"].object_list
    assert [e.club_name for e in by_operator] == ["KIS Stary Sącz"]


def test_the_list_is_in_polish_alphabetical_order(world: Any) -> None:
    for number, name in enumerate(["Łąka", "Lipa", "Źródło", "Żuraw", "Zorza", "Ścieżka", "Sowa"], start=10):
        club = make_club(world.operator_a, f"KIS {name}", "1262011")
        make_entry(club, f"KIS/12/{number}/2021", date(2021, 1, number))
    names = [e.club_name for e in Client().get("/rejestr/malopolskie/").context["page"].object_list]
    ours = [n for n in names if n.split()[1] in {"Łąka", "Lipa", "Źródło", "Żuraw", "Zorza", "Ścieżka", "Sowa"}]
    assert ours == ["KIS Lipa", "KIS Łąka", "KIS Sowa", "KIS Ścieżka", "KIS Zorza", "KIS Źródło", "KIS Żuraw"]


def test_the_voivodeship_filter_by_path_and_by_code(world: Any) -> None:
    client = Client()
    by_path = {e.club_name for e in client.get("/rejestr/malopolskie/").context["page"].object_list}
    by_code = {e.club_name for e in client.get("/rejestr/?woj=12").context["page"].object_list}
    assert by_path == by_code == {"KIS Przystań", "KIS Stary Sącz"}
    assert {e.club_name for e in client.get("/rejestr/mazowieckie/").context["page"].object_list} == {"KIS Krok dalej"}
    assert client.get("/rejestr/mazowsze/").status_code == 404


def test_the_csv_has_public_data_only(world: Any) -> None:
    strike_off_c(world)
    response = Client().get("/rejestr/dane.csv")
    text = response.content.decode("utf-8")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert list(rows[0]) == [
        "wojewodztwo_kod",
        "wojewodztwo",
        "numer_wpisu",
        "data_wpisu",
        "nazwa_klubu",
        "adres_klubu",
        "miejscowosc",
        "podmiot_prowadzacy",
        "adres_podmiotu",
        "data_wykreslenia",
        "status",
    ]
    by_number = {row["numer_wpisu"]: row for row in rows}
    assert by_number["14/KIS/1/2020"]["status"] == "wykreslony"
    assert by_number["14/KIS/1/2020"]["data_wykreslenia"] == "2025-06-30"
    assert by_number["KIS/12/1/2020"]["wojewodztwo"] == "małopolskie"
    for private in ("Alicja Lis", "Halina Wróbel", "@example.pl", "7341012019", "Nie działa."):
        assert private not in text


def test_the_json_has_public_data_only_and_filters_by_voivodeship(world: Any) -> None:
    response = Client().get("/rejestr/dane.json?woj=12")
    body = json.loads(response.content)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert body["wojewodztwo_kod"] == "12"
    assert body["liczba"] == 2
    assert {row["nazwa_klubu"] for row in body["wpisy"]} == {"KIS Przystań", "KIS Stary Sącz"}
    assert set(body["wpisy"][0]) == set(body["pola"])
    text = response.content.decode()
    for private in ("Alicja Lis", "manager", "@example.pl", "club_email"):
        assert private not in text
    bad = Client().get("/rejestr/dane.json?woj=99")
    assert bad.status_code == 400
    assert "blad" in json.loads(bad.content)
    assert Client().get("/rejestr/dane.csv?woj=abc").status_code == 400


def test_open_data_is_safe_in_a_spreadsheet(world: Any) -> None:
    RegisterEntry.objects.filter(pk=world.entry_a.pk).update(club_name="=1+2")
    text = Client().get("/rejestr/dane.csv").content.decode()
    assert "'=1+2" in text


def test_the_public_list_needs_few_queries_whatever_its_length(world: Any, django_assert_max_num_queries: Any) -> None:
    for number in range(60):
        club = make_club(world.operator_a, f"KIS numer {number:02d}", "1262011")
        make_entry(club, f"KIS/12/{100 + number}/2021", date(2021, 2, 1))
    client = Client()
    with django_assert_max_num_queries(5):
        first = client.get("/rejestr/")
    with django_assert_max_num_queries(5):
        second = client.get("/rejestr/?strona=2")
    assert len(first.context["page"].object_list) == 50
    assert second.context["page"].start_index() == 51
    assert "strona 2 z 2" in second.content.decode()
