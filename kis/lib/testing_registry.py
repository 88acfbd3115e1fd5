"""Test world: register entries and notifications (owned by the registry app's work).

Clubs A and B are entered in the register of małopolskie, club C in that of mazowieckie.
Operator A (Olek) has notified a new club, „KIS Nowy Początek” in Nowy Sącz, still awaiting entry.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import SimpleUploadedFile

if TYPE_CHECKING:
    from kis.clubs.models import Club, Operator
    from kis.lib.testing import World

PDF = b"%PDF-1.4\n% founding act\n"


def register_data(club: Club, operator: Operator, **overrides: Any) -> dict[str, Any]:
    """The 2012 form's data for a club as it stands."""
    data: dict[str, Any] = {
        "operator_name": operator.name,
        "operator_krs": operator.krs,
        "operator_street": operator.street,
        "operator_postal_code": operator.postal_code,
        "operator_city": operator.city,
        "operator_phone": operator.phone or "18 443 00 00",
        "operator_fax": "",
        "operator_email": operator.email,
        "club_name": club.name,
        "club_street": club.street,
        "club_postal_code": club.postal_code,
        "club_city": club.city,
        "club_gmina": club.gmina_id,
        "created_on": club.created_on.isoformat(),
        "started_on": club.started_on.isoformat() if club.started_on else "",
        "manager_name": club.manager_name,
        "club_phone": club.phone,
        "club_email": club.email,
        "operator_type": operator.type,
    }
    data.update(overrides)
    return data


def make_entry(club: Club, number: str, entered_on: date) -> Any:
    from kis.registry.models import RegisterEntry, RegisterEvent

    data = register_data(club, club.operator)
    entry = RegisterEntry(club=club, voivodeship=club.voivodeship, number=number, entered_on=entered_on, data=data)
    entry.set_public_columns(data)
    entry.save()
    RegisterEvent.objects.create(
        club=club,
        entry=entry,
        kind=RegisterEvent.Kind.ENTERED,
        on=entered_on,
        by_label="test",
        details={"number": number},
    )
    return entry


def founding_act(name: str = "uchwala.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def make_registry(world: World) -> None:
    """Fill the world's registry fields (see World)."""
    from kis.registry import services

    world.entry_a = make_entry(world.club_a, "KIS/12/1/2020", date(2020, 1, 20))
    make_entry(world.club_b, "KIS/12/2/2020", date(2020, 1, 27))
    make_entry(world.club_c, "14/KIS/1/2020", date(2020, 2, 3))
    data = register_data(
        world.club_a,
        world.operator_a,
        club_name="KIS Nowy Początek",
        club_street="ul. Lwowska 11",
        club_city="Nowy Sącz",
        created_on="2026-01-02",
        started_on="2026-03-01",
        manager_name="Halina Wróbel",
        club_phone="18 444 11 22",
        club_email="nowy.poczatek@example.pl",
    )
    world.notification_a = services.notify_new_club(
        operator=world.operator_a,
        data=data,
        act=services.Attachment(
            upload=founding_act(),
            content_type="application/pdf",
            kind="ops_order",
            number="Zarządzenie 4/2026",
            on=date(2026, 1, 2),
        ),
        note="",
        by=world.olek,
    )
