"""Demo participants: about 20 per club with a year of believable history.

Deterministic: a seeded random generator per club; dates are relative to the day the demo is
loaded, so due lists (contracts ending, reviews, follow-ups) always have something in them.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from kis.accounts.models import Grant, Role, User
from kis.clubs.models import Club
from kis.contracts.models import ContractClause, PlanGoal, PlanReview, PlanStep, ReintegrationPlan, SocialContract
from kis.participants import services
from kis.participants.models import CaseNote, Consent, FollowUp, Participant, add_months

WOMEN = [
    "Anna",
    "Maria",
    "Katarzyna",
    "Małgorzata",
    "Agnieszka",
    "Barbara",
    "Ewa",
    "Krystyna",
    "Elżbieta",
    "Zofia",
    "Joanna",
    "Beata",
    "Grażyna",
    "Jadwiga",
    "Łucja",
    "Urszula",
]
MEN = [
    "Jan",
    "Andrzej",
    "Piotr",
    "Krzysztof",
    "Stanisław",
    "Tomasz",
    "Paweł",
    "Józef",
    "Marcin",
    "Marek",
    "Łukasz",
    "Grzegorz",
    "Zbigniew",
    "Jerzy",
    "Ryszard",
    "Dariusz",
]
SURNAMES = [
    ("Nowak", "Nowak"),
    ("Kowalski", "Kowalska"),
    ("Wiśniewski", "Wiśniewska"),
    ("Wójcik", "Wójcik"),
    ("Kowalczyk", "Kowalczyk"),
    ("Kamiński", "Kamińska"),
    ("Lewandowski", "Lewandowska"),
    ("Zieliński", "Zielińska"),
    ("Szymański", "Szymańska"),
    ("Woźniak", "Woźniak"),
    ("Dąbrowski", "Dąbrowska"),
    ("Kozłowski", "Kozłowska"),
    ("Jankowski", "Jankowska"),
    ("Mazur", "Mazur"),
    ("Kwiatkowski", "Kwiatkowska"),
    ("Krawczyk", "Krawczyk"),
    ("Piotrowski", "Piotrowska"),
    ("Grabowski", "Grabowska"),
    ("Ślusarczyk", "Ślusarczyk"),
    ("Żak", "Żak"),
    ("Łuczak", "Łuczak"),
    ("Ćwiek", "Ćwiek"),
]
GROUP_WEIGHTS = [
    ("long_term_unemployed", 10),
    ("alcohol_addiction", 3),
    ("disability", 3),
    ("mental_disorder", 2),
    ("ex_prisoner", 2),
    ("homeless_ipwb", 2),
    ("drug_addiction", 1),
    ("refugee_ipi", 1),
]
GOALS = {
    "vocational": [
        ("Podjęcie pracy w handlu", "Kurs kasjera-sprzedawcy", "doradca zawodowy"),
        ("Praca w zieleni miejskiej", "Kurs ogrodnika", "instruktor"),
        ("Zatrudnienie w spółdzielni socjalnej", "Staż w spółdzielni „Kuźnia”", "kierownik klubu"),
        ("Prawo jazdy kat. B", "Zapis na kurs", "uczestnik"),
    ],
    "social": [
        ("Utrzymanie abstynencji", "Udział w grupie wsparcia AA", "uczestnik"),
        ("Uregulowanie zadłużenia czynszowego", "Porada prawna", "radca prawny"),
        ("Odbudowa kontaktu z rodziną", "Konsultacje z psychologiem", "psycholog"),
        ("Samodzielne załatwianie spraw urzędowych", "Warsztaty kompetencji społecznych", "pracownik socjalny"),
    ],
}
CLAUSES = [
    ("Udział w warsztatach kompetencji społecznych (≥ 80 % obecności)", "participant", "lista obecności"),
    ("Rejestracja w powiatowym urzędzie pracy", "participant", "zaświadczenie z PUP"),
    ("Spotkanie z doradcą zawodowym", "club", "notatka doradcy"),
    ("Wizyta w środowisku", "social_worker", "wywiad środowiskowy"),
]


def _pesel(born: date, serial: int, female: bool) -> str:
    month = born.month + {19: 0, 20: 20}[born.year // 100]
    serial = serial - serial % 2 + (0 if female else 1)
    base = f"{born.year % 100:02d}{month:02d}{born.day:02d}{serial:04d}"
    check = (10 - sum(int(d) * w for d, w in zip(base, [1, 3, 7, 9, 1, 3, 7, 9, 1, 3], strict=True)) % 10) % 10
    return base + str(check)


def _team(club: Club) -> list[User]:
    ids = Grant.objects.active().filter(club=club, role__in=[Role.LEADER, Role.STAFF]).values("user_id")
    return list(User.objects.filter(pk__in=ids).order_by("pk"))


def is_loaded() -> bool:
    return Participant.objects.exists()


@transaction.atomic
def load(today: date | None = None, per_club: int = 20) -> None:
    today = today or timezone.localdate()
    for club in Club.objects.order_by("pk"):
        if club.status != Club.Status.ACTIVE:
            continue
        _load_club(club, today, per_club)


def _load_club(club: Club, today: date, per_club: int) -> None:
    rng = random.Random(f"kis-demo-{club.pk}")
    team = _team(club)
    leader = team[0]
    partner = User.objects.filter(grants__club=club, grants__role=Role.PARTNER).first()
    used: set[tuple[str, str]] = set()
    for index in range(per_club):
        female = rng.random() < 0.45
        first = rng.choice(WOMEN if female else MEN)
        surname = rng.choice(SURNAMES)[1 if female else 0]
        if (first, surname) in used:
            surname = rng.choice(SURNAMES)[1 if female else 0]
        used.add((first, surname))
        born = date(rng.randint(1962, 2002), rng.randint(1, 12), rng.randint(1, 28))
        groups = sorted(
            {
                rng.choices([g for g, _w in GROUP_WEIGHTS], [w for _g, w in GROUP_WEIGHTS])[0]
                for _pick in range(rng.choice([1, 1, 2]))
            }
        )
        applied = today - timedelta(days=rng.randint(20, 360))
        # 2 candidates, 4 who finished, the rest active.
        fate = "candidate" if index < 2 else "exited" if index < 6 else "active"
        worker = rng.choice(team)
        participant = Participant(
            club=club,
            first_name=first,
            last_name=surname,
            pesel=_pesel(born, 1000 + index * 7, female),
            birth_date=born,
            sex="F" if female else "M",
            street=f"ul. {rng.choice(['Lipowa', 'Polna', 'Krótka', 'Szkolna', 'Łąkowa'])} {rng.randint(1, 60)}",
            postal_code=club.postal_code,
            city=club.city,
            gmina=club.gmina,
            phone=f"+48 600 {rng.randint(100, 999)} {rng.randint(100, 999)}",
            education=rng.choice(["isced1", "isced2", "isced2", "isced3", "isced3", "isced4"]),
            labour_status=rng.choice(
                ["registered_unemployed", "registered_unemployed", "unregistered_unemployed", "inactive"]
            ),
            referral=rng.choice(["ops", "ops", "ops", "own", "pup"]),
            referred_by="MOPS, pracownik socjalny" if partner else "",
            referring_partner=partner if partner and index % 3 == 0 else None,
            groups=groups,
            general_clause_confirmed=True,
            excluded_benefits=["incapacity_pension"] if "disability" in groups and rng.random() < 0.5 else [],
            benefits_declared_on=applied,
            notice_acknowledged_on=applied,
            applied_on=applied,
            case_worker=worker,
            health_notes="Terapia w poradni leczenia uzależnień." if "alcohol_addiction" in groups else None,
        )
        participant.save()
        Consent.objects.bulk_create(
            [
                Consent(participant=participant, purpose="participation", basis="statute", given_on=applied),
                Consent(participant=participant, purpose="special_categories", basis="statute", given_on=applied),
            ]
        )
        if rng.random() < 0.6:
            Consent.objects.create(participant=participant, purpose="image", basis="consent", given_on=applied)
        if fate == "candidate":
            continue
        joined = applied + timedelta(days=rng.randint(3, 14))
        if fate == "exited":
            joined = min(joined, today - timedelta(days=200))
        length = rng.choice([90, 180, 240]) if fate == "exited" else 365
        contract = SocialContract.objects.create(
            participant=participant,
            number=f"{index + 1}/{joined.year}",
            ops_name=f"MOPS {club.city}",
            social_worker=partner.full_name if partner else "Halina Sowa",
            variant="B",
            signed_on=joined - timedelta(days=2),
            valid_from=joined - timedelta(days=2),
            valid_to=joined + timedelta(days=length),
            status="signed",
        )
        if fate == "active" and index % 5 == 1:
            # A few contracts end within the month: they show up in the due lists.
            contract.valid_to = today + timedelta(days=rng.randint(3, 25))
            contract.save(update_fields=["valid_to"])
        plan = ReintegrationPlan.objects.create(
            participant=participant,
            number=1,
            diagnosis="Diagnoza wstępna: motywacja do zmiany, potrzeba wsparcia w powrocie na rynek pracy.",
            agreed_on=joined,
            agreement_witness=worker.full_name,
            created_by=worker,
            next_review_on=joined + timedelta(days=90),
        )
        for kind in ("vocational", "social"):
            goal_text, step_text, owner = rng.choice(GOALS[kind])
            goal = PlanGoal.objects.create(plan=plan, kind=kind, description=goal_text)
            PlanStep.objects.create(
                goal=goal,
                description=step_text,
                owner=owner,
                due_on=joined + timedelta(days=60),
                done_on=joined + timedelta(days=55) if rng.random() < 0.5 else None,
            )
        for action, responsible, verification in rng.sample(CLAUSES, 3):
            deadline = joined + timedelta(days=rng.randint(20, 120))
            ContractClause.objects.create(
                contract=contract,
                action=action,
                responsible=responsible,
                verification=verification,
                deadline=deadline,
                done_on=deadline - timedelta(days=3) if deadline < today and rng.random() < 0.7 else None,
            )
        participant.status, participant.joined_on = Participant.Status.ACTIVE, joined
        participant.save(update_fields=["status", "joined_on"])
        if joined + timedelta(days=90) < today:
            PlanReview.objects.create(
                plan=plan,
                reviewed_on=joined + timedelta(days=90),
                progress="Regularny udział w zajęciach, realizuje kroki planu.",
                reviewed_by=worker,
            )
            plan.next_review_on = joined + timedelta(days=rng.choice([150, 180, 400]))
            plan.save(update_fields=["next_review_on"])
        CaseNote.objects.create(
            participant=participant,
            author=worker,
            created_at=timezone.now() - timedelta(days=rng.randint(1, 60)),
            text="Rozmowa indywidualna: omówiono postępy i plan na kolejny miesiąc.",
        )
        if fate == "exited":
            left = min(joined + timedelta(days=length), today - timedelta(days=rng.randint(35, 120)))
            reason = rng.choice(["employed", "employed", "completed", "to_social_cooperative", "resigned"])
            contract.close(
                status="completed_positively" if reason != "resigned" else "completed_negatively",
                on=left,
                note="Ocena realizacji kontraktu.",
                by=leader,
            )
            services.end_participation(
                participant=participant,
                on=left,
                reason=reason,
                employment_kind="contract" if reason == "employed" else "",
                note="",
                by=leader,
            )
            for follow_up in FollowUp.objects.filter(participant=participant, due_on__lt=today - timedelta(days=10)):
                services.record_follow_up(
                    follow_up=follow_up,
                    outcome=rng.choice(["employed", "employed", "not_employed", "unknown"]),
                    source=rng.choice(["participant", "employer", "pup"]),
                    on=add_months(follow_up.due_on, 0),
                    by=worker,
                )
