"""Test world: the staff register of Club A and Club A's annual report for last year (submitted)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

if TYPE_CHECKING:
    from kis.lib.testing import World


def make_reports(world: World) -> None:
    """Three people in Club A's staff register; ``world.report_a``: last year's report, submitted."""
    from kis.clubs.models import StaffMember
    from kis.reports import services

    year = timezone.localdate().year - 1
    StaffMember.objects.bulk_create(
        [
            StaffMember(
                club=world.club_a,
                full_name="Alicja Lis",
                name_sort="",
                sex="F",
                position="kierownik klubu",
                basis=StaffMember.Basis.EMPLOYMENT,
                fte=Decimal("1.00"),
                started_on=date(2020, 2, 1),
                user=world.alicja,
            ),
            StaffMember(
                club=world.club_a,
                full_name="Bartek Nowak",
                name_sort="",
                sex="M",
                position="pracownik socjalny",
                basis=StaffMember.Basis.EMPLOYMENT,
                fte=Decimal("0.50"),
                started_on=date(2021, 9, 1),
                user=world.bartek,
            ),
            StaffMember(
                club=world.club_a,
                full_name="Zofia Kwiatkowska",
                name_sort="",
                sex="F",
                position="wolontariuszka",
                basis=StaffMember.Basis.VOLUNTEER,
                fte=Decimal(0),
                started_on=date(2024, 5, 1),
            ),
        ]
    )
    for member in StaffMember.objects.filter(club=world.club_a):
        member.save(update_fields=["name_sort"])
    report = services.get_or_start(club=world.club_a, year=year, by=world.alicja)
    services.mark_checked(report=report, by=world.alicja)
    services.submit(report=report, by=world.alicja)
    world.report_a = report
