"""Named personas and literal data for tests and benchmarks (style.md §5).

Club A ("Przystań", Nowy Sącz, małopolskie) and Club B (Stary Sącz, małopolskie) belong to
different operators; Club C (Wołomin, mazowieckie) is in another voivodeship.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from kis.accounts.models import Grant, Role, StaffTitle, User
from kis.clubs.models import Club, ComputerStation, Operator, Room, Territory

PASSWORD = "Test-hasło-2026!"

GMINAS = [
    # code, name, kind, powiat
    ("1262011", "Nowy Sącz", "gmina miejska", "Nowy Sącz"),
    ("1210163", "Stary Sącz", "gmina miejsko-wiejska", "nowosądecki"),
    ("1434123", "Wołomin", "gmina miejsko-wiejska", "wołomiński"),
    ("0264011", "Wrocław", "gmina miejska", "Wrocław"),
]


@dataclass
class World:
    operator_a: Operator
    operator_b: Operator
    operator_c: Operator
    club_a: Club
    club_b: Club
    club_c: Club
    room_a: Room
    station_a: ComputerStation
    alicja: User  # leader, Club A
    bartek: User  # staff (social worker), Club A
    dorota: User  # front desk, Club A
    celina: User  # staff, Club B: the outsider
    olek: User  # operator admin, operator A
    patrycja: User  # OPS social worker (partner), Club A
    wiktor: User  # voivode officer, małopolskie (clubs A and B)
    anna: User  # ministry analyst
    irena: User  # data protection officer, operator A
    zenon: User  # a user with no grant at all
    jan: Any = None  # participant of Club A referred by Patrycja, with a signed contract and a plan
    ewa: Any = None  # participant of Club A who finished, with a certificate and follow-ups
    contract_a: Any = None
    clause_a: Any = None
    consent_a: Any = None
    document_a: Any = None
    follow_up_a: Any = None
    activity_a: Any = None  # "Warsztaty kompetencji społecznych" of Club A, Jan enrolled
    session_a: Any = None  # today 10:00–13:00 in room_a, led by Bartek
    placement_a: Any = None  # Jan's socially useful work (PSU) with one hours entry
    booking_a: Any = None  # Jan's booking of station_a today
    feed_a: Any = None  # Club A's calendar feed
    appointment_a: Any = None  # Jan's legal advice with Bartek today 14:00–15:00, with a confidential note
    # Registry (kis/lib/testing_registry.py): club A and B entered in małopolskie, club C in mazowieckie.
    entry_a: Any = None  # Club A's register entry
    notification_a: Any = None  # Operator A's pending notification of a new club
    # Documents and reports (kis/lib/testing_documents.py, kis/lib/testing_reports.py)
    template_a: Any = None  # Club A's edited text block of a document template
    batch_a: Any = None  # a finished PDF batch of Club A
    report_a: Any = None  # Club A's annual report for last year (submitted)

    def personas(self) -> dict[str, User]:
        return {
            name: getattr(self, name)
            for name in ("alicja", "bartek", "dorota", "celina", "olek", "patrycja", "wiktor", "anna", "irena", "zenon")
        }


def make_gminas() -> None:
    from kis.lib.text import fold

    for code, name, kind, powiat in GMINAS:
        Territory.objects.get_or_create(
            code=code,
            defaults={
                "level": Territory.Level.GMINA,
                "name": name,
                "kind": kind,
                "voivodeship": code[:2],
                "powiat_name": powiat,
                "search_text": fold(f"{name} {powiat} {code}"),
                "valid_on": date(2025, 1, 1),
            },
        )


def make_operator(name: str, nip: str, gmina: str, **overrides: object) -> Operator:
    fields: dict[str, object] = {
        "type": Operator.Type.OPS,
        "name": name,
        "nip": nip,
        "regon": "",
        "gmina_id": gmina,
        "street": "ul. Testowa 1",
        "postal_code": "33-300",
        "city": "Nowy Sącz",
    }
    fields.update(overrides)
    operator = Operator(**fields)
    operator.save()
    return operator


def make_club(operator: Operator, name: str, gmina: str, **overrides: object) -> Club:
    fields: dict[str, object] = {
        "operator": operator,
        "name": name,
        "gmina_id": gmina,
        "street": "ul. Klubowa 2",
        "postal_code": "33-300",
        "city": "Nowy Sącz",
        "manager_name": "Alicja Lis",
        "manager_title": "kierownik",
        "created_on": date(2020, 1, 1),
        "started_on": date(2020, 2, 1),
        "status": Club.Status.ACTIVE,
    }
    fields.update(overrides)
    club = Club(**fields)
    club.save()
    return club


def make_user(email: str, full_name: str, *grants: dict[str, object]) -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, full_name=full_name)
    for grant in grants:
        Grant.objects.create(user=user, **grant)
    return user


def make_participant(club: Club, first_name: str, last_name: str, **overrides: Any) -> Any:
    from kis.participants.models import Participant

    fields: dict[str, Any] = {
        "club": club,
        "first_name": first_name,
        "last_name": last_name,
        "birth_date": date(1980, 5, 17),
        "sex": "M",
        "labour_status": "registered_unemployed",
        "referral": "ops",
        "applied_on": date(2026, 1, 5),
        "groups": ["long_term_unemployed"],
        "general_clause_confirmed": True,
        "excluded_benefits": [],
        "benefits_declared_on": date(2026, 1, 5),
        "notice_acknowledged_on": date(2026, 1, 5),
    }
    fields.update(overrides)
    participant = Participant(**fields)
    participant.save()
    return participant


def make_case_files(world: World) -> None:
    """Jan (active, referred by Patrycja) and Ewa (finished) in Club A, with their files."""
    from django.core.files.base import ContentFile

    from kis.contracts.models import ContractClause, PlanGoal, PlanStep, ReintegrationPlan, SocialContract
    from kis.participants import services
    from kis.participants.models import CaseDocument, Consent

    world.jan = make_participant(
        world.club_a,
        "Jan",
        "Nowak",
        pesel="80051712345",
        status="active",
        joined_on=date(2026, 2, 1),
        referring_partner=world.patrycja,
        case_worker=world.bartek,
    )
    world.contract_a = SocialContract.objects.create(
        participant=world.jan,
        number="12/2026",
        ops_name="MOPS Nowy Sącz",
        social_worker="Patrycja Zając",
        valid_from=date(2026, 1, 20),
        valid_to=date(2026, 12, 31),
        status="signed",
        signed_on=date(2026, 1, 20),
    )
    plan = ReintegrationPlan.objects.create(
        participant=world.jan,
        number=1,
        diagnosis="Długotrwale bezrobotny, chce pracować w ogrodnictwie.",
        next_review_on=date(2026, 6, 1),
        created_by=world.bartek,
    )
    goal = PlanGoal.objects.create(plan=plan, kind="vocational", description="Praca w zieleni miejskiej")
    PlanStep.objects.create(goal=goal, description="Kurs ogrodnika", owner="doradca zawodowy", due_on=date(2026, 5, 1))
    world.clause_a = ContractClause.objects.create(
        contract=world.contract_a,
        action="Udział w warsztatach ≥ 80 %",
        responsible="participant",
        deadline=date(2026, 6, 30),
        verification="lista obecności",
        goal=goal,
    )
    world.consent_a = Consent.objects.create(
        participant=world.jan, purpose="image", basis="consent", given_on=date(2026, 2, 1)
    )
    document = CaseDocument(
        participant=world.jan,
        kind="evidence",
        title="Zaświadczenie z PUP",
        original_name="pup.pdf",
        content_type="application/pdf",
        size=9,
        uploaded_by=world.bartek,
    )
    document.file.save("pup.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    document.save()
    world.document_a = document
    world.ewa = make_participant(
        world.club_a,
        "Ewa",
        "Wiśniewska",
        sex="F",
        birth_date=date(1975, 3, 2),
        status="active",
        joined_on=date(2025, 3, 1),
    )
    services.end_participation(
        participant=world.ewa,
        on=date(2025, 11, 28),
        reason="employed",
        employment_kind="contract",
        note="",
        by=world.alicja,
    )
    world.follow_up_a = world.ewa.follow_ups.order_by("months").first()
    make_activities(world)


def make_activities(world: World) -> None:
    """An activity with a session today, a PSU placement with hours, a station booking, a feed."""
    from datetime import datetime, time
    from decimal import Decimal

    from django.utils import timezone

    from kis.activities.models import (
        Activity,
        CalendarFeed,
        Enrolment,
        HoursEntry,
        Placement,
        Session,
        StationBooking,
    )

    today = timezone.localdate()
    world.activity_a = Activity.objects.create(
        club=world.club_a,
        name="Warsztaty kompetencji społecznych",
        type="vocational_workshop",
        staff=world.bartek,
        room=world.room_a,
        funding="gmina_own",
    )
    Enrolment.objects.create(activity=world.activity_a, participant=world.jan, enrolled_on=date(2026, 2, 1))
    world.session_a = Session.objects.create(
        activity=world.activity_a,
        room=world.room_a,
        staff=world.bartek,
        starts_at=timezone.make_aware(datetime.combine(today, time(10))),
        ends_at=timezone.make_aware(datetime.combine(today, time(13))),
    )
    world.placement_a = Placement.objects.create(
        participant=world.jan,
        kind="psu",
        organiser="Zakład Gospodarki Komunalnej w Nowym Sączu",
        agreement="PSU/3/2026 z 1.02.2026",
        gmina_id="1262011",
        starts_on=date(2026, 2, 1),
        ends_on=date(2026, 12, 31),
        planned_hours_week=Decimal(10),
    )
    HoursEntry.objects.create(
        placement=world.placement_a, day=date(2026, 2, 2), hours=Decimal(4), recorded_by=world.bartek
    )
    world.booking_a = StationBooking.objects.create(
        station=world.station_a,
        participant=world.jan,
        starts_at=timezone.make_aware(datetime.combine(today, time(14))),
        ends_at=timezone.make_aware(datetime.combine(today, time(15))),
    )
    world.feed_a = CalendarFeed.objects.create(club=world.club_a, created_by=world.alicja)
    from kis.activities.models import Appointment

    world.appointment_a = Appointment.objects.create(
        club=world.club_a,
        participant=world.jan,
        staff=world.bartek,
        kind="legal",
        starts_at=timezone.make_aware(datetime.combine(today, time(14))),
        ends_at=timezone.make_aware(datetime.combine(today, time(15))),
        note="Zaległości czynszowe: pomoc w piśmie do spółdzielni.",
    )


def make_world() -> World:
    make_gminas()
    operator_a = make_operator("MOPS w Nowym Sączu", "7341012019", "1262011")
    operator_b = make_operator(
        "Stowarzyszenie Razem", "7341013036", "1210163", type=Operator.Type.NGO, krs="0000119136"
    )
    operator_c = make_operator("Gmina Wołomin", "1251014023", "1434123", type=Operator.Type.GMINA)
    club_a = make_club(operator_a, "KIS Przystań", "1262011")
    club_b = make_club(operator_b, "KIS Stary Sącz", "1210163", city="Stary Sącz")
    club_c = make_club(operator_c, "KIS Krok dalej", "1434123", city="Wołomin")
    room_a = Room.objects.create(club=club_a, name="Sala 1", capacity=12)
    station_a = ComputerStation.objects.create(club=club_a, label="PC 1", room=room_a)
    world = World(
        operator_a=operator_a,
        operator_b=operator_b,
        operator_c=operator_c,
        club_a=club_a,
        club_b=club_b,
        club_c=club_c,
        room_a=room_a,
        station_a=station_a,
        alicja=make_user("alicja@example.pl", "Alicja Lis", {"role": Role.LEADER, "club": club_a}),
        bartek=make_user(
            "bartek@example.pl",
            "Bartek Nowak",
            {"role": Role.STAFF, "club": club_a, "title": StaffTitle.SOCIAL_WORKER},
        ),
        dorota=make_user("dorota@example.pl", "Dorota Wiśniewska", {"role": Role.DESK, "club": club_a}),
        celina=make_user("celina@example.pl", "Celina Kruk", {"role": Role.STAFF, "club": club_b}),
        olek=make_user("olek@example.pl", "Olek Mazur", {"role": Role.OPERATOR, "operator": operator_a}),
        patrycja=make_user("patrycja@example.pl", "Patrycja Zając", {"role": Role.PARTNER, "club": club_a}),
        wiktor=make_user("wiktor@example.pl", "Wiktor Dąbrowski", {"role": Role.VOIVODE, "voivodeship": "12"}),
        anna=make_user("anna@example.pl", "Anna Szymańska", {"role": Role.ANALYST}),
        irena=make_user("irena@example.pl", "Irena Kowalczyk", {"role": Role.DPO, "operator": operator_a}),
        zenon=make_user("zenon@example.pl", "Zenon Bez Roli"),
    )
    make_case_files(world)
    from kis.lib import testing_documents, testing_registry, testing_reports

    testing_registry.make_registry(world)
    testing_documents.make_documents(world)
    testing_reports.make_reports(world)
    return world
