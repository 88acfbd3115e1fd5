"""Server time of the annual report: a club's report, a voivodeship's and the country's totals.

Usage (from the repository root):

    .venv/bin/python bench/bench_reports.py [--n 200] [--clubs 400]
    bash scripts/with-throwaway-pg.sh .venv/bin/python bench/bench_reports.py

Goals (issue #6): a club's annual report p95 ≤ 100 ms and a voivodeship's regional totals
p95 ≤ 300 ms on demo data. The data are those of ``kis demo`` (5 clubs, 20 participants per
active club, a year of weekly sessions with attendance, PSU hours, register entries, last year's
reports in every state). ``--clubs N`` adds N synthetic clubs in małopolskie, each with a
submitted report whose rollup cells copy a real one, to show how the regional totals scale.
Measured in-process with the test client, like bench_pages.py (whose set-up and statistics it reuses).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_pages import count_queries, environment, prepare_environment, summary, timed  # noqa: E402

GOALS_P95_MS = {"club report (draft, live)": 100.0, "voivodeship totals": 300.0}
RESULTS = Path(__file__).resolve().parent / "results"


def load_demo() -> None:
    from django.core.management import call_command

    from kis.clubs import demo
    from kis.demo import activities, participants, registry, reports

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("load_teryt", verbosity=0)
    demo.load()
    participants.load()
    activities.load()
    registry.load()
    reports.load()


def add_clubs(count: int, template_report: Any) -> None:
    """``count`` synthetic clubs in małopolskie, each with a submitted report copying ``template_report``'s cells."""
    from datetime import date

    from kis.clubs.models import Club
    from kis.lib.text import polish_sort_key
    from kis.reports.models import AnnualReport, ReportCell

    base = template_report.club
    clubs = Club.objects.bulk_create(
        [
            Club(
                operator_id=base.operator_id,
                name=f"KIS syntetyczny {n:03d}",
                name_sort=polish_sort_key(f"KIS syntetyczny {n:03d}"),
                gmina_id=base.gmina_id,
                voivodeship=base.voivodeship,
                street="ul. Próbna 1",
                postal_code="33-300",
                city="Nowy Sącz",
                manager_name="Osoba Testowa",
                manager_title="kierownik",
                created_on=date(2020, 1, 1),
                started_on=date(2020, 2, 1),
                status=Club.Status.ACTIVE,
            )
            for n in range(count)
        ]
    )
    reports = AnnualReport.objects.bulk_create(
        [
            AnnualReport(
                club=club,
                year=template_report.year,
                state=AnnualReport.State.SUBMITTED,
                submission_count=1,
                snapshot=template_report.snapshot,
                submitted_at=template_report.submitted_at,
            )
            for club in clubs
        ]
    )
    cells = list(ReportCell.objects.filter(report=template_report).values_list("key", "value"))
    ReportCell.objects.bulk_create(
        [
            ReportCell(
                report=report, club=report.club, year=report.year, voivodeship=base.voivodeship, key=key, value=value
            )
            for report in reports
            for key, value in cells
        ],
        batch_size=2000,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--clubs", type=int, default=400, help="synthetic clubs for the scaled totals (0: none)")
    args = parser.parse_args()
    kind, cleanup = prepare_environment()
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.test import Client
        from django.utils import timezone

        from kis.accounts.models import User
        from kis.clubs.models import Club
        from kis.reports.compute import compute
        from kis.reports.models import AnnualReport, ReportCell, ReportSubmission
        from kis.reports.services import ensure_pdf

        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        print(f"setting up {kind} database with the demo data …", flush=True)
        load_demo()
        settings.DEBUG = False
        today = timezone.localdate()
        club = Club.objects.get(email="kis@przystan.example")
        alicja = User.objects.get(email="alicja@przystan.example")
        wiktor = User.objects.get(email="wiktor@malopolska.example")
        anna = User.objects.get(email="anna@ministerstwo.example")
        submitted = AnnualReport.objects.get(club=club, year=today.year - 1)
        cases: list[tuple[str, User, str]] = [
            ("club report (draft, live)", alicja, f"/kluby/{club.pk}/sprawozdania/{today.year}/"),
            ("club report (submitted)", alicja, f"/kluby/{club.pk}/sprawozdania/{today.year - 1}/"),
            ("club report XLSX", alicja, f"/kluby/{club.pk}/sprawozdania/{today.year}/xlsx/"),
            ("voivodeship totals", wiktor, f"/wojewoda/sprawozdania/{today.year - 1}/"),
            ("national totals", anna, f"/sprawozdania/kraj/{today.year - 1}/"),
        ]
        results: dict[str, Any] = {}

        def measure(label: str, user: User, url: str) -> None:
            client = Client()
            client.force_login(user)
            for _ in range(args.warmup):
                assert client.get(url).status_code == 200, (label, url)
            samples = [timed(lambda: client.get(url)) for _ in range(args.n)]
            results[label] = {**summary(samples), "queries": count_queries(lambda: client.get(url)), "url": url}

        for label, user, url in cases:
            measure(label, user, url)
        samples = [timed(lambda: compute(club, today.year)) for _ in range(args.n)]
        results["compute() alone"] = {**summary(samples), "queries": count_queries(lambda: compute(club, today.year))}
        submission = (
            ReportSubmission.objects.filter(report=submitted).select_related("report__club", "submitted_by").get()
        )

        def render() -> None:
            submission.pdf = ""
            ensure_pdf(submission)

        render()
        samples = [timed(render) for _ in range(max(5, args.n // 10))]
        results["snapshot PDF"] = {**summary(samples), "queries": None}
        if args.clubs:
            add_clubs(args.clubs, submitted)
            cells = ReportCell.objects.filter(year=today.year - 1).count()
            measure(f"voivodeship totals, +{args.clubs} clubs", wiktor, f"/wojewoda/sprawozdania/{today.year - 1}/")
            measure(f"national totals, +{args.clubs} clubs", anna, f"/sprawozdania/kraj/{today.year - 1}/")
            results[f"voivodeship totals, +{args.clubs} clubs"]["cells"] = cells
        print(f"\nAnnual reports, {kind}, {args.n} requests each (ms)")
        print(f"{'case':<34} {'p50':>8} {'p95':>8} {'mean':>8} {'queries':>8}")
        for label, stats in results.items():
            queries = "" if stats["queries"] is None else stats["queries"]
            print(f"{label:<34} {stats['p50_ms']:>8.2f} {stats['p95_ms']:>8.2f} {stats['mean_ms']:>8.2f} {queries:>8}")
        for label, goal in GOALS_P95_MS.items():
            p95 = results[label]["p95_ms"]
            print(f"goal p95 ≤ {goal:.0f} ms, {label}: {'met' if p95 <= goal else 'NOT met'} ({p95:.2f} ms)")
        RESULTS.mkdir(exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        out = RESULTS / f"reports-{kind}-{stamp}.json"
        out.write_text(json.dumps({"environment": environment(kind), "args": vars(args), "results": results}, indent=2))
        print(f"\nwritten {out.relative_to(RESULTS.parent.parent)}")
    finally:
        cleanup()


if __name__ == "__main__":
    main()
