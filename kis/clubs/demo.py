"""Deterministic demo data: 3 voivodeships, 4 operators of 4 types, 5 clubs, a login per persona."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from kis import audit
from kis.accounts.models import Grant, Role, StaffTitle, User
from kis.clubs.models import Club, ComputerStation, Operator, Room

DEMO_PASSWORD = "demo-kis-2026"


def _with_check_digit(base: str, weights: list[int]) -> str:
    digit = sum(int(d) * w for d, w in zip(base, weights, strict=False)) % 11
    return base + str(0 if digit == 10 else digit)


def demo_nip(base: str) -> str:
    """A valid NIP from 9 digits; a base whose checksum would be 10 moves to the next number."""
    number = int(base)
    while True:
        digits = f"{number:09d}"
        total = sum(int(d) * w for d, w in zip(digits, [6, 5, 7, 2, 3, 4, 5, 6, 7], strict=True)) % 11
        if total != 10:
            return digits + str(total)
        number += 1


def demo_regon(base: str) -> str:
    return _with_check_digit(base, [8, 9, 2, 3, 4, 5, 6, 7])


OPERATORS = [
    # key, type, name, gmina, street, postal code, city, NIP base, REGON base, KRS
    (
        "mops",
        Operator.Type.OPS,
        "Miejski Ośrodek Pomocy Społecznej w Nowym Sączu",
        "1262011",
        "ul. Śniadeckich 10",
        "33-300",
        "Nowy Sącz",
        "734101201",
        "49100120",
        "",
    ),
    (
        "razem",
        Operator.Type.NGO,
        "Stowarzyszenie „Razem” w Starym Sączu",
        "1210163",
        "ul. Batorego 4",
        "33-340",
        "Stary Sącz",
        "734101302",
        "49100230",
        "0000119136",
    ),
    (
        "wolomin",
        Operator.Type.GMINA,
        "Gmina Wołomin",
        "1434123",
        "ul. Ogrodowa 4",
        "05-200",
        "Wołomin",
        "125101403",
        "01310140",
        "",
    ),
    (
        "kuznia",
        Operator.Type.SOCIAL_COOPERATIVE,
        "Spółdzielnia Socjalna „Kuźnia”",
        "0264011",
        "ul. Świdnicka 12",
        "50-066",
        "Wrocław",
        "899101504",
        "02110150",
        "0000512345",
    ),
]

CLUBS = [
    # key, operator, name, gmina, street, postal code, city, manager, created, started, status
    (
        "przystan",
        "mops",
        "Klub Integracji Społecznej „Przystań”",
        "1262011",
        "ul. Długosza 23",
        "33-300",
        "Nowy Sącz",
        "Alicja Lis",
        date(2019, 3, 1),
        date(2019, 4, 1),
        Club.Status.ACTIVE,
    ),
    (
        "stary_sacz",
        "razem",
        "Klub Integracji Społecznej w Starym Sączu",
        "1210163",
        "Rynek 5",
        "33-340",
        "Stary Sącz",
        "Czesław Kruk",
        date(2021, 9, 1),
        date(2021, 10, 4),
        Club.Status.ACTIVE,
    ),
    (
        "limanowa",
        "razem",
        "Klub Integracji Społecznej „Ścieżka” w Limanowej",
        "1207011",
        "ul. Józefa Marka 9",
        "34-600",
        "Limanowa",
        "Ewa Żak",
        date(2023, 1, 16),
        date(2023, 2, 1),
        Club.Status.ACTIVE,
    ),
    (
        "krok",
        "wolomin",
        "Klub Integracji Społecznej „Krok dalej”",
        "1434123",
        "ul. Wileńska 32",
        "05-200",
        "Wołomin",
        "Łukasz Ćwik",
        date(2018, 5, 1),
        date(2018, 6, 1),
        Club.Status.ACTIVE,
    ),
    (
        "warsztat",
        "kuznia",
        "Klub Integracji Społecznej „Warsztat”",
        "0264011",
        "ul. Ruska 46",
        "50-079",
        "Wrocław",
        "Zofia Ąbel",
        date(2026, 10, 1),
        None,
        Club.Status.PLANNED,
    ),
]


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    scope: str


PEOPLE = [
    # email, full name, role, title, club key, operator key, voivodeship
    ("alicja@przystan.example", "Alicja Lis", Role.LEADER, "", "przystan", None, ""),
    ("bartek@przystan.example", "Bartłomiej Nowak", Role.STAFF, StaffTitle.SOCIAL_WORKER, "przystan", None, ""),
    ("dorota@przystan.example", "Dorota Wiśniewska", Role.DESK, "", "przystan", None, ""),
    ("celina@razem.example", "Celina Kruk", Role.STAFF, StaffTitle.INSTRUCTOR, "stary_sacz", None, ""),
    ("olek@mops.example", "Aleksander Mazur", Role.OPERATOR, "", None, "mops", ""),
    ("patrycja@mops.example", "Patrycja Zając", Role.PARTNER, "", "przystan", None, ""),
    ("wiktor@malopolska.example", "Wiktor Dąbrowski", Role.VOIVODE, "", None, None, "12"),
    ("anna@ministerstwo.example", "Anna Szymańska", Role.ANALYST, "", None, None, ""),
    ("irena@mops.example", "Irena Kowalczyk", Role.DPO, "", None, "mops", ""),
]


def is_loaded() -> bool:
    return Operator.objects.filter(name=OPERATORS[0][2]).exists()


@transaction.atomic
def load() -> None:
    operators: dict[str, Operator] = {}
    for key, kind, name, gmina, street, postal, city, nip_base, regon_base, krs in OPERATORS:
        operator = Operator(
            type=kind,
            name=name,
            gmina_id=gmina,
            street=street,
            postal_code=postal,
            city=city,
            nip=demo_nip(nip_base),
            regon=demo_regon(regon_base),
            krs=krs,
            email=f"biuro@{key}.example",
            phone="+48 18 000 00 00",
        )
        operator.save()
        audit.record(None, "operator.created", operator, actor_label="demo")
        operators[key] = operator
    clubs: dict[str, Club] = {}
    for key, op_key, name, gmina, street, postal, city, manager, created, started, status in CLUBS:
        club = Club(
            operator=operators[op_key],
            name=name,
            gmina_id=gmina,
            street=street,
            postal_code=postal,
            city=city,
            manager_name=manager,
            manager_title="kierownik klubu",
            created_on=created,
            started_on=started,
            status=status,
            email=f"kis@{key}.example",
        )
        club.save()
        audit.record(None, "club.created", club, actor_label="demo")
        clubs[key] = club
        main = Room.objects.create(club=club, name="Sala warsztatowa", capacity=16, step_free=True)
        Room.objects.create(club=club, name="Pokój konsultacji", capacity=3)
        for number in range(1, 4):
            ComputerStation.objects.create(club=club, label=f"Stanowisko {number}", room=main)
    for email, full_name, role, title, club_key, op_key, voivodeship in PEOPLE:  # type: ignore[assignment]
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=full_name)
        Grant.objects.create(
            user=user,
            role=role,
            title=title,
            club=clubs.get(club_key or ""),
            operator=operators.get(op_key or ""),
            voivodeship=voivodeship,
        )
    # Every club has a leader; Alicja is the Przystań one above.
    for key in ("stary_sacz", "limanowa", "krok", "warsztat"):
        club = clubs[key]
        user = User.objects.create_user(
            email=f"kierownik@{key}.example", password=DEMO_PASSWORD, full_name=club.manager_name
        )
        Grant.objects.create(user=user, role=Role.LEADER, club=club)


def logins() -> list[DemoLogin]:
    grants = (
        Grant.objects.active().filter(user__email__in=[p[0] for p in PEOPLE]).select_related("user", "club", "operator")
    )
    order = {p[0]: i for i, p in enumerate(PEOPLE)}
    return sorted(
        (DemoLogin(g.user.email, g.get_role_display(), g.scope_label) for g in grants),
        key=lambda login: order[login.email],
    )
