"""Placements, monthly hours cards against the PSU caps, the PSU settlement and its XLSX, attendance rates."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from io import BytesIO
from typing import Any

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import NON_FIELD_ERRORS
from django.test import Client
from django.utils import timezone

from kis.activities.models import Activity, Attendance, HoursEntry, Placement, Session
from kis.audit.models import AuditEvent
from kis.lib.testing import make_participant


def client_for(user: Any, settings: Any) -> Client:
    settings.REQUIRE_MFA = False
    client = Client()
    client.force_login(user)
    return client


def card_url(placement: Placement, month: str) -> str:
    return f"/uczestnicy/{placement.participant_id}/godziny/{placement.pk}/{month}/"


def hours(placement: Placement) -> dict[date, Decimal]:
    return dict(HoursEntry.objects.filter(placement=placement).values_list("day", "hours"))


# --------------------------------------------------------------------------- placements


def test_staff_add_a_placement(world: Any, settings: Any) -> None:
    bartek = client_for(world.bartek, settings)
    response = bartek.post(
        f"/uczestnicy/{world.jan.pk}/godziny/",
        {
            "kind": "public_works",
            "organiser": "Urząd Miasta Nowego Sącza",
            "agreement": "RP/7/2026 z 2.03.2026",
            "gmina": "Nowy Sącz – 1262011",
            "starts_on": "02.03.2026",
            "ends_on": "31.08.2026",
            "planned_hours_week": "40",
        },
    )
    assert response.status_code == 302
    placement = Placement.objects.get(participant=world.jan, kind="public_works")
    assert (placement.gmina_id, placement.starts_on, placement.planned_hours_week) == (
        "1262011",
        date(2026, 3, 2),
        Decimal(40),
    )
    assert AuditEvent.objects.filter(action="placement.created", target_id=str(placement.pk)).exists()


def test_a_placement_is_refused_when_it_ends_first_lacks_a_gmina_or_plans_past_the_cap(
    world: Any, settings: Any
) -> None:
    bartek = client_for(world.bartek, settings)
    response = bartek.post(
        f"/uczestnicy/{world.jan.pk}/godziny/",
        {
            "kind": "psu",
            "organiser": "Schronisko dla zwierząt",
            "starts_on": "2026-03-02",
            "ends_on": "2026-03-01",
            "planned_hours_week": "12",
        },
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.has_error("ends_on", code="ends_before_start")
    assert form.has_error("gmina", code="required")
    assert form.has_error("planned_hours_week", code="over_cap")
    assert Placement.objects.filter(participant=world.jan).count() == 1


# --------------------------------------------------------------------------- hours cards and caps


def test_the_card_shows_the_caps_and_rate_with_their_source_and_confidence(world: Any, settings: Any) -> None:
    response = client_for(world.bartek, settings).get(card_url(world.placement_a, "2026-02"))
    assert response.status_code == 200
    card = response.context["card"]
    assert (card.weeks[1].monday, card.weeks[1].all_hours, card.weeks[1].cap) == (
        date(2026, 2, 2),
        Decimal(4),
        Decimal(10),
    )
    assert (card.all_hours, card.month_cap, card.rate) == (Decimal(4), Decimal(40), Decimal("12.20"))
    page = response.content.decode()
    assert "URPSZ (Dz.U. 2025 poz. 620)" in page
    assert "[U] niepewne – do potwierdzenia" in page


def test_ten_hours_a_week_warns_near_the_cap_and_refuses_past_it(world: Any, settings: Any) -> None:
    """From the seeded rules: 10 h a week; 8 h or more warns, more than 10 h is refused."""
    bartek = client_for(world.bartek, settings)
    url = card_url(world.placement_a, "2026-02")
    response = bartek.post(url, {"day-2": "4", "day-3": "4.5"}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert warnings == ["Tydzień 02.02.2026–08.02.2026: 8,5 h z 10 h, blisko limitu."]
    assert hours(world.placement_a) == {date(2026, 2, 2): Decimal(4), date(2026, 2, 3): Decimal("4.5")}

    response = bartek.post(url, {"day-2": "4", "day-3": "4.5", "day-5": "2"})
    assert response.status_code == 400
    assert response.context["form"].has_error(NON_FIELD_ERRORS, code="over_cap")
    assert date(2026, 2, 5) not in hours(world.placement_a)


def test_forty_hours_a_month_is_refused_past_the_cap_and_nothing_is_saved(world: Any, settings: Any) -> None:
    """10 h in each of four weeks plus 1 h on Sunday 1.02: the month has 41 h, no week is over."""
    bartek = client_for(world.bartek, settings)
    data = {"day-1": "1", "day-2": "4", "day-3": "6", "day-9": "10", "day-16": "10", "day-23": "10"}
    response = bartek.post(card_url(world.placement_a, "2026-02"), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert form.has_error(NON_FIELD_ERRORS, code="over_cap")
    assert [e for e in form.non_field_errors() if e.startswith("Miesiąc")] == ["Miesiąc: 41 h, ponad limit 40 h."]
    assert hours(world.placement_a) == {date(2026, 2, 2): Decimal(4)}


def test_caps_count_every_psu_placement_of_the_person(world: Any, settings: Any) -> None:
    second = Placement.objects.create(
        participant=world.jan,
        kind="psu",
        organiser="Biblioteka Miejska",
        gmina_id="1262011",
        starts_on=date(2026, 2, 1),
        ends_on=date(2026, 6, 30),
        planned_hours_week=Decimal(3),
    )
    response = client_for(world.bartek, settings).post(card_url(second, "2026-02"), {"day-4": "7"})
    assert response.status_code == 400  # 4 h elsewhere on Monday + 7 h = 11 h in the week
    assert not HoursEntry.objects.filter(placement=second).exists()


def test_the_leader_overrides_the_cap_with_a_reason(world: Any, settings: Any) -> None:
    alicja = client_for(world.alicja, settings)
    url = card_url(world.placement_a, "2026-02")
    response = alicja.post(url, {"day-2": "4", "day-3": "7", "override": "on", "override_reason": ""})
    assert response.status_code == 400
    assert response.context["form"].has_error("override_reason", code="reason_required")
    assert date(2026, 2, 3) not in hours(world.placement_a)

    reason = "Sprzątanie po wichurze, zgoda MOPS z 3.02.2026"
    response = alicja.post(url, {"day-2": "4", "day-3": "7", "override": "on", "override_reason": reason})
    assert response.status_code == 302
    entry = HoursEntry.objects.get(placement=world.placement_a, day=date(2026, 2, 3))
    assert (entry.hours, entry.over_cap_reason, entry.recorded_by) == (Decimal(7), reason, world.alicja)
    event = AuditEvent.objects.get(action="hours.cap_overridden")
    assert event.details["reason"] == reason
    assert event.details["periods"] == [["week", "2026-02-02", "11.00", "10"]]


def test_staff_cannot_override_the_cap(world: Any, settings: Any) -> None:
    bartek = client_for(world.bartek, settings)
    response = bartek.post(
        card_url(world.placement_a, "2026-02"),
        {"day-2": "4", "day-3": "7", "override": "on", "override_reason": "Pilne prace"},
    )
    assert response.status_code == 400
    assert "override" not in response.context["form"].fields
    assert date(2026, 2, 3) not in hours(world.placement_a)
    assert not AuditEvent.objects.filter(action="hours.cap_overridden").exists()


def test_negative_hours_are_refused_and_an_emptied_day_is_deleted(world: Any, settings: Any) -> None:
    bartek = client_for(world.bartek, settings)
    url = card_url(world.placement_a, "2026-02")
    response = bartek.post(url, {"day-2": "-2"})
    assert response.status_code == 400
    assert response.context["form"].has_error("day-2", code="negative")
    assert hours(world.placement_a) == {date(2026, 2, 2): Decimal(4)}
    assert bartek.post(url, {"day-2": ""}).status_code == 302
    assert hours(world.placement_a) == {}
    assert AuditEvent.objects.filter(action="hours.deleted").exists()


def test_days_outside_the_placement_are_not_editable(world: Any, settings: Any) -> None:
    response = client_for(world.bartek, settings).post(card_url(world.placement_a, "2026-01"), {"day-30": "3"})
    assert response.status_code == 302
    assert hours(world.placement_a) == {date(2026, 2, 2): Decimal(4)}


@pytest.fixture
def placement_2024(world: Any) -> Placement:
    placement = Placement.objects.create(
        participant=world.jan,
        kind="psu",
        organiser="Zakład Gospodarki Komunalnej w Nowym Sączu",
        gmina_id="1262011",
        starts_on=date(2024, 5, 1),
        ends_on=date(2024, 6, 30),
        planned_hours_week=Decimal(10),
    )
    HoursEntry.objects.create(placement=placement, day=date(2024, 5, 20), hours=Decimal(5), recorded_by=world.bartek)
    HoursEntry.objects.create(placement=placement, day=date(2024, 6, 3), hours=Decimal(5), recorded_by=world.bartek)
    return placement


def test_the_rate_in_force_on_the_day(world: Any, placement_2024: Placement, settings: Any) -> None:
    """10.90 zł from 1.06.2023 to 31.05.2024, then 12.20 zł."""
    bartek = client_for(world.bartek, settings)
    assert bartek.get(card_url(placement_2024, "2024-05")).context["card"].rate == Decimal("10.90")
    assert bartek.get(card_url(placement_2024, "2024-06")).context["card"].rate == Decimal("12.20")
    may = bartek.get(f"/kluby/{world.club_a.pk}/rozliczenie-psu/2024-05/").context["total"]
    june = bartek.get(f"/kluby/{world.club_a.pk}/rozliczenie-psu/2024-06/").context["total"]
    assert (may.amount, may.refund, june.amount, june.refund) == (
        Decimal("54.50"),
        Decimal("32.70"),
        Decimal("61.00"),
        Decimal("36.60"),
    )


# --------------------------------------------------------------------------- settlement


@pytest.fixture
def february(world: Any) -> Placement:
    """Jan: 4 h (world) + 6 h in Nowy Sącz; Anna: 8 h in Stary Sącz, with an organiser name that looks like a formula."""
    HoursEntry.objects.create(
        placement=world.placement_a, day=date(2026, 2, 10), hours=Decimal(6), recorded_by=world.bartek
    )
    anna = make_participant(world.club_a, "Anna", "Zielińska", status="active", joined_on=date(2026, 2, 1))
    placement = Placement.objects.create(
        participant=anna,
        kind="psu",
        organiser='=HYPERLINK("http://zly.example","klik")',
        gmina_id="1210163",
        starts_on=date(2026, 2, 1),
        ends_on=date(2026, 4, 30),
        planned_hours_week=Decimal(8),
    )
    HoursEntry.objects.create(placement=placement, day=date(2026, 2, 11), hours=Decimal(8), recorded_by=world.bartek)
    return placement


def test_the_settlement_sums_per_gmina(world: Any, february: Placement, settings: Any) -> None:
    response = client_for(world.alicja, settings).get(f"/kluby/{world.club_a.pk}/rozliczenie-psu/2026-02/")
    assert response.status_code == 200
    groups = {g.gmina.pk: g for g in response.context["groups"]}
    assert (groups["1262011"].hours, groups["1262011"].amount, groups["1262011"].refund) == (
        Decimal(10),
        Decimal("122.00"),
        Decimal("73.20"),
    )
    assert (groups["1210163"].amount, groups["1210163"].gmina_part) == (Decimal("97.60"), Decimal("39.04"))
    total = response.context["total"]
    assert (total.hours, total.amount, total.refund, total.gmina_part) == (
        Decimal(18),
        Decimal("219.60"),
        Decimal("131.76"),
        Decimal("87.84"),
    )
    assert not AuditEvent.objects.filter(action="settlement.exported").exists()


def test_the_settlement_downloads_as_a_safe_xlsx(world: Any, february: Placement, settings: Any) -> None:
    response = client_for(world.bartek, settings).get(f"/kluby/{world.club_a.pk}/rozliczenie-psu/2026-02/?format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "rozliczenie-psu" in response["Content-Disposition"]
    book = openpyxl.load_workbook(BytesIO(response.content))
    lines, per_gmina = book.worksheets
    rows = list(lines.iter_rows(values_only=True))
    assert rows[0] == (
        "Uczestnik",
        "Skierowanie",
        "Gmina",
        "Godziny",
        "Stawka godzinowa (zł)",
        "Kwota (zł)",
        "Refundacja z Funduszu Pracy (zł)",
        "Część gminy (zł)",
    )
    assert rows[1][:4] == ("Jan Nowak", "Zakład Gospodarki Komunalnej w Nowym Sączu", "Nowy Sącz", 10)
    assert rows[2][1] == '\'=HYPERLINK("http://zly.example","klik")'
    assert lines.cell(row=3, column=2).data_type == "s"
    assert rows[-1] == ("Razem", None, None, 18, None, 219.6, 131.76, 87.84)
    gminas = list(per_gmina.iter_rows(values_only=True))
    assert gminas[1:] == [
        ("Nowy Sącz", "1262011", 10, 122, 73.2, 48.8),
        ("Stary Sącz", "1210163", 8, 97.6, 58.56, 39.04),
        ("Razem", None, 18, 219.6, 131.76, 87.84),
    ]
    event = AuditEvent.objects.get(action="settlement.exported")
    assert (event.club_id, event.details["month"], event.details["rows"]) == (world.club_a.pk, "2026-02", 2)


def test_the_desk_and_outsiders_do_not_reach_hours_or_settlements(world: Any, settings: Any) -> None:
    dorota, celina = client_for(world.dorota, settings), client_for(world.celina, settings)
    for url in (
        f"/uczestnicy/{world.jan.pk}/godziny/",
        card_url(world.placement_a, "2026-02"),
        f"/uczestnicy/{world.jan.pk}/obecnosc/",
        f"/kluby/{world.club_a.pk}/rozliczenie-psu/2026-02/",
        f"/kluby/{world.club_a.pk}/rozliczenie-psu/2026-02/?format=xlsx",
    ):
        assert dorota.get(url).status_code == 403, url
        assert celina.get(url).status_code == 404, url
    assert celina.post(card_url(world.placement_a, "2026-02"), {"day-3": "2"}).status_code == 404
    assert hours(world.placement_a) == {date(2026, 2, 2): Decimal(4)}
    assert not AuditEvent.objects.filter(action="settlement.exported").exists()


def test_another_participants_placement_is_404(world: Any, february: Placement, settings: Any) -> None:
    response = client_for(world.bartek, settings).get(f"/uczestnicy/{world.jan.pk}/godziny/{february.pk}/2026-02/")
    assert response.status_code == 404


# --------------------------------------------------------------------------- attendance rates


def test_attendance_rates_per_activity_with_their_band(world: Any, settings: Any) -> None:
    marks = ["present", "present", "present", "present", "unexcused"]
    for number, status in enumerate(marks, start=2):
        session = Session.objects.create(
            activity=world.activity_a,
            starts_at=timezone.make_aware(datetime.combine(date(2026, 2, number), time(10))),
            ends_at=timezone.make_aware(datetime.combine(date(2026, 2, number), time(12))),
        )
        Attendance.objects.create(
            session=session, participant=world.jan, status=status, hours=Decimal(2), updated_by=world.bartek
        )
    group = Activity.objects.create(club=world.club_a, name="Grupa wsparcia", type="support_group")
    world.jan.enrolments.create(activity=group, enrolled_on=date(2026, 2, 1))
    response = client_for(world.bartek, settings).get(f"/uczestnicy/{world.jan.pk}/obecnosc/")
    assert response.status_code == 200
    rates = {r.name: (r.present, r.total, r.percent, r.band) for r in response.context["rates"]}
    assert rates == {
        "Grupa wsparcia": (0, 0, None, "none"),
        "Warsztaty kompetencji społecznych": (4, 5, 80, "good"),
    }
    page = response.content.decode()
    assert "80 % (4/5)" in page
    assert "✔ spełnia próg 80 %" in page
    assert "– nie sprawdzono jeszcze obecności" in page
