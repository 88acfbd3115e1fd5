"""Server time of the PDF documents: a 1-page certificate, a 10-page participant file, a month of lists.

Usage (from the repository root):

    .venv/bin/python bench/bench_documents.py [--n 50] [--warmup 5]
    bash scripts/with-throwaway-pg.sh .venv/bin/python bench/bench_documents.py

Goals (quality.md, issue "Documents"): a 1-page document p95 ≤ 500 ms, a 10-page participant file
≤ 2 s, a month of attendance lists for a club in the background with progress. The two documents
are requested through the test client (the whole view: fetch, data, template, WeasyPrint, audit
row), like bench_pages.py, whose database set-up and statistics this script reuses. The batch runs
the task's function in a thread while the main thread polls its progress, as the page does.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time as clock
from datetime import datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_pages import prepare_environment, summary, timed  # noqa: E402

GOAL_ONE_PAGE_P95_MS = 500.0
GOAL_FILE_MS = 2000.0


def seed(club: Any, leader: Any) -> tuple[Any, Any, Any]:
    """20 people in 4 weekly workshops for a year; one of them with a full file; return (file person, certificate person, month)."""
    from django.utils import timezone

    from kis.activities.models import Activity, Attendance, Enrolment, HoursEntry, Placement, Session
    from kis.contracts.models import (
        ContractClause,
        PlanGoal,
        PlanReview,
        PlanStep,
        ReintegrationPlan,
        SocialContract,
    )
    from kis.lib.testing import make_participant
    from kis.participants import services

    today = timezone.localdate()
    start = today - timedelta(weeks=52)
    people = [
        make_participant(
            club,
            "Łucja",
            f"Żółkiewska {n:02d}",
            status="active",
            joined_on=start,
            street="ul. Gęślą Jaźń 1",
            postal_code="33-300",
            city="Nowy Sącz",
        )
        for n in range(20)
    ]
    for index in range(4):
        activity = Activity.objects.create(club=club, name=f"Warsztaty „Źródło” {index}", type="vocational_workshop")
        Enrolment.objects.bulk_create([Enrolment(activity=activity, participant=p, enrolled_on=start) for p in people])
        for week in range(52, -1, -1):
            day = today - timedelta(weeks=week)
            session = Session.objects.create(
                activity=activity,
                starts_at=timezone.make_aware(datetime.combine(day, time(8 + 2 * index))),
                ends_at=timezone.make_aware(datetime.combine(day, time(10 + 2 * index))),
            )
            Attendance.objects.bulk_create(
                [
                    Attendance(
                        session=session,
                        participant=p,
                        status="present" if (week + n) % 5 else "excused",
                        hours=Decimal(2) if (week + n) % 5 else Decimal(0),
                        updated_by=leader,
                    )
                    for n, p in enumerate(people)
                ]
            )
    person = people[0]
    for number in range(2):
        contract = SocialContract.objects.create(
            participant=person,
            number=f"{number + 1}/2026",
            ops_name="MOPS w Nowym Sączu",
            social_worker="Patrycja Zając",
            valid_from=start + timedelta(days=120 * number),
            valid_to=start + timedelta(days=120 * number + 119),
            status="signed",
            signed_on=start + timedelta(days=120 * number),
        )
        ContractClause.objects.bulk_create(
            [
                ContractClause(
                    contract=contract,
                    action=f"Działanie {n}: udział w warsztatach i spotkaniach z doradcą zawodowym",
                    responsible="participant",
                    deadline=start + timedelta(days=120 * number + 10 * n),
                    verification="lista obecności",
                )
                for n in range(4)
            ]
        )
    plan = ReintegrationPlan.objects.create(
        participant=person,
        number=1,
        diagnosis="Długotrwale bezrobotna; chce pracować w gastronomii. " * 6,
        created_by=leader,
        agreed_on=start,
    )
    for kind in ("social", "vocational", "vocational"):
        goal = PlanGoal.objects.create(plan=plan, kind=kind, description=f"Cel: {kind} – samodzielność")
        PlanStep.objects.bulk_create(
            [PlanStep(goal=goal, description=f"Krok {n}: ćwiczenia", owner="doradca") for n in range(4)]
        )
    PlanReview.objects.bulk_create(
        [
            PlanReview(
                plan=plan,
                reviewed_on=start + timedelta(days=60 * n),
                progress="Postępy zgodne z planem.",
                reviewed_by=leader,
            )
            for n in range(5)
        ]
    )
    placement = Placement.objects.create(
        participant=person,
        kind="psu",
        organiser="Zakład Gospodarki Komunalnej",
        gmina_id="1262011",
        starts_on=start,
        ends_on=today,
        planned_hours_week=Decimal(10),
    )
    HoursEntry.objects.bulk_create(
        [
            HoursEntry(placement=placement, day=start + timedelta(days=7 * n), hours=Decimal(4), recorded_by=leader)
            for n in range(52)
        ]
    )
    finished = people[1]
    services.end_participation(
        participant=finished, on=today, reason="completed", employment_kind="", note="", by=leader
    )
    return person, finished, (today - timedelta(days=31)).replace(day=1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=50, help="timed requests per document")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--save", type=Path, help="write the measured PDFs into this directory, to look at them")
    args = parser.parse_args()
    kind, cleanup = prepare_environment()
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.test import Client

        from kis.accounts.models import Grant, Role, User
        from kis.documents import batches
        from kis.documents.models import DocumentBatch
        from kis.lib.testing import make_club, make_gminas, make_operator
        from kis.lib.testing_documents import pdf_facts

        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        call_command("migrate", verbosity=0)
        make_gminas()
        operator = make_operator("MOPS w Nowym Sączu", "7341012019", "1262011")
        club = make_club(operator, "KIS Przystań", "1262011")
        leader = User.objects.create_user(email="alicja@bench.example", password="x" * 16, full_name="Alicja Lis")
        Grant.objects.create(user=leader, role=Role.LEADER, club=club)
        seeded_at = clock.perf_counter()
        person, finished, month = seed(club, leader)
        print(f"data: 20 people, 4 weekly workshops for a year ({clock.perf_counter() - seeded_at:.1f} s to load)")
        settings.DEBUG = False
        client = Client()
        client.force_login(leader)
        rows = {}
        for label, url in (
            ("certificate (1 page)", f"/uczestnicy/{finished.pk}/dokumenty-pdf/zaswiadczenie/"),
            ("declaration (1 page)", f"/uczestnicy/{finished.pk}/dokumenty-pdf/deklaracja/"),
            ("participant file", f"/uczestnicy/{person.pk}/dokumenty-pdf/teczka/"),
        ):

            def get(url: str = url) -> Any:
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                return response

            content = get().content
            pages = pdf_facts(content)["pages"]
            if args.save:
                args.save.mkdir(parents=True, exist_ok=True)
                (args.save / f"{label.split(' ')[0]}.pdf").write_bytes(content)
            n = args.n if "1 page" in label else max(10, args.n // 3)
            for _ in range(args.warmup):
                get()
            rows[label] = (summary([timed(get) for _ in range(n)]), pages)
        print(f"\nPDF documents, {kind} (ms)")
        print(f"{'document':<24} {'pages':>5} {'n':>4} {'p50':>8} {'p95':>8} {'mean':>8} {'max':>8}")
        for label, (stats, pages) in rows.items():
            print(
                f"{label:<24} {pages:>5} {stats['n']:>4} {stats['p50_ms']:>8.1f} {stats['p95_ms']:>8.1f} "
                f"{stats['mean_ms']:>8.1f} {stats['max_ms']:>8.1f}"
            )
        one_page = rows["certificate (1 page)"][0]["p95_ms"]
        whole = rows["participant file"][0]["p95_ms"]
        print(
            f"\ngoal 1-page p95 ≤ {GOAL_ONE_PAGE_P95_MS:.0f} ms: {'met' if one_page <= GOAL_ONE_PAGE_P95_MS else 'NOT met'} ({one_page:.1f} ms)"
        )
        print(
            f"goal participant file ({rows['participant file'][1]} pages) ≤ {GOAL_FILE_MS:.0f} ms: "
            f"{'met' if whole <= GOAL_FILE_MS else 'NOT met'} (p95 {whole:.1f} ms)"
        )

        batch, _created = batches.start(club=club, kind=DocumentBatch.Kind.ATTENDANCE_MONTH, period=month, by=leader)
        progress: list[tuple[float, int, int]] = []
        started = clock.perf_counter()
        worker = threading.Thread(target=batches.run, args=(batch.pk,))
        worker.start()
        while worker.is_alive():
            row = DocumentBatch.objects.filter(pk=batch.pk).values_list("done", "total").get()
            if not progress or progress[-1][1:] != row:
                progress.append((clock.perf_counter() - started, *row))
            clock.sleep(0.2)
        worker.join()
        elapsed = clock.perf_counter() - started
        batch.refresh_from_db()
        print(
            f"\nbatch: attendance lists of {month:%m.%Y}, {batch.total} PDFs, {batch.size / 1024:.0f} KB ZIP, "
            f"status {batch.status}, {elapsed:.1f} s ({1000 * elapsed / max(batch.total, 1):.0f} ms per PDF)"
        )
        print("progress seen by polling (s: done/total): " + ", ".join(f"{t:.1f}: {d}/{n}" for t, d, n in progress))
    finally:
        cleanup()


if __name__ == "__main__":
    main()
