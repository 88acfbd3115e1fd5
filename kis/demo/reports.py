"""Demo annual reports: a staff register per club, last year's reports in every state, this year's drafts.

Last year (relative to the day the demo is loaded): Przystań accepted, Stary Sącz returned with
comments, Krok dalej (mazowieckie) submitted and awaiting review, Limanowa never submitted (late
once the deadline has passed). This year: drafts with narratives for Przystań and Stary Sącz.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from kis.accounts.models import Grant, Role, User
from kis.clubs.models import Club, StaffMember
from kis.reports import services
from kis.reports.models import AnnualReport, FundingKind

NARRATIVES = {
    "vocational_workshop": {
        "actions": "Cotygodniowe warsztaty kompetencji społecznych i zawodowych: autoprezentacja, "
        "pisanie CV, rozmowa kwalifikacyjna.",
        "effects": "Uczestnicy przygotowali dokumenty aplikacyjne; część podjęła staż lub pracę.",
    },
    "psu": {
        "actions": "Prace społecznie użyteczne przy utrzymaniu zieleni miejskiej i w bibliotece.",
        "effects": "Systematyczność, nawyk pracy, pierwsze referencje od pracodawców.",
    },
    "support_group": {
        "actions": "Grupa wsparcia dla osób wychodzących z uzależnienia, raz w tygodniu.",
        "effects": "Utrzymanie abstynencji i odbudowa kontaktów rodzinnych.",
    },
}
GRANTS = {
    "gmina_own": ("120000.00", "118450.00", "1550.00"),
    "gmina_alcohol": ("35000.00", "35000.00", "0.00"),
    "labour_fund": ("18400.00", "17980.00", "420.00"),
}


def is_loaded() -> bool:
    return StaffMember.objects.exists() or AnnualReport.objects.exists()


def _leader(club: Club) -> User | None:
    grant = Grant.objects.active().filter(club=club, role=Role.LEADER).select_related("user").order_by("pk").first()
    return grant.user if grant else None


def _staff(club: Club) -> None:
    team = (
        Grant.objects.active()
        .filter(club=club, role__in=[Role.LEADER, Role.STAFF])
        .select_related("user")
        .order_by("pk")
    )
    for index, grant in enumerate(team):
        StaffMember(
            club=club,
            full_name=grant.user.full_name,
            sex="F" if grant.user.full_name.split(" ")[0].endswith("a") else "M",
            position="kierownik klubu" if grant.role == Role.LEADER else "pracownik socjalny",
            basis=StaffMember.Basis.EMPLOYMENT,
            fte=Decimal("1.00") if index == 0 else Decimal("0.50"),
            started_on=club.started_on or club.created_on,
            user=grant.user,
        ).save()
    StaffMember(
        club=club,
        full_name="Renata Gajewska",
        sex="F",
        position="psycholog",
        basis=StaffMember.Basis.CIVIL,
        fte=Decimal("0.25"),
        started_on=club.started_on or club.created_on,
    ).save()
    StaffMember(
        club=club,
        full_name="Kacper Wolny",
        sex="M",
        position="wolontariusz",
        basis=StaffMember.Basis.VOLUNTEER,
        fte=Decimal(0),
        started_on=date(2024, 9, 1),
    ).save()


def _fill(report: AnnualReport, by: User) -> None:
    funding = {kind.code for kind in FundingKind.objects.filter(code__in=list(GRANTS))}
    services.save_texts(
        report=report,
        expected_version=report.version,
        fields={
            "narratives": NARRATIVES,
            "staff_note": "Kadra bez zmian w ciągu roku.",
            "effects_note": "Efekty według indywidualnych planów reintegracji i monitoringu po zakończeniu.",
            "grants_note": "Niewykorzystane środki zwrócono w terminie.",
        },
        grants={
            code: {"received": Decimal(r), "spent": Decimal(s), "returned": Decimal(t)}
            for code, (r, s, t) in GRANTS.items()
            if code in funding
        },
        by=by,
    )


def _submitted(club: Club, year: int, by: User) -> AnnualReport:
    report = services.get_or_start(club=club, year=year, by=by)
    _fill(report, by)
    services.mark_checked(report=report, by=by)
    services.submit(report=report, by=by)
    return AnnualReport.objects.get(pk=report.pk)


@transaction.atomic
def load(today: date | None = None) -> None:
    """Load the demo annual reports (idempotent: called when ``is_loaded()`` is false)."""
    today = today or timezone.localdate()
    year = today.year - 1
    clubs = {club.email.split("@")[1].split(".")[0]: club for club in Club.objects.filter(email__endswith=".example")}
    for active in clubs.values():
        if active.status == Club.Status.ACTIVE:
            _staff(active)
    officer = User.objects.filter(grants__role=Role.VOIVODE, grants__voivodeship="12").first()
    for key, outcome in (("przystan", "accepted"), ("stary_sacz", "returned"), ("krok", "submitted")):
        found = clubs.get(key)
        leader = _leader(found) if found else None
        if found is None or leader is None:
            continue
        report = _submitted(found, year, leader)
        if outcome == "accepted" and officer is not None:
            services.accept(report=report, by=officer)
        elif outcome == "returned" and officer is not None:
            services.return_for_correction(
                report=report,
                comment="Proszę uzupełnić opis działań w ramach prac społecznie użytecznych "
                "i rozliczenie dotacji z Funduszu Pracy.",
                by=officer,
            )
    # This year's drafts, begun a month ago.
    for key in ("przystan", "stary_sacz"):
        found = clubs.get(key)
        leader = _leader(found) if found else None
        if found is None or leader is None:
            continue
        report = services.get_or_start(club=found, year=today.year, by=leader)
        services.save_texts(
            report=report,
            expected_version=report.version,
            fields={"narratives": {"vocational_workshop": NARRATIVES["vocational_workshop"]}},
            grants={},
            by=leader,
        )
        AnnualReport.objects.filter(pk=report.pk).update(created_at=timezone.now() - timedelta(days=30))
