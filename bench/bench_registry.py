"""Server time of the register's pages with a national-scale register.

Usage (from the repository root):

    .venv/bin/python bench/bench_registry.py [--n 100] [--entries 2000]
    bash scripts/with-throwaway-pg.sh .venv/bin/python bench/bench_registry.py

Data: ``--entries`` register entries (default 2,000: about 400 clubs over ten years with the ones
struck off, spread over the 16 voivodeships, a fifth struck off) and 100 open notifications in
małopolskie. Measured in-process with the test client, like bench_pages.py (whose database set-up
and statistics it reuses). Goal: p50 ≤ 50 ms for the public list, the inbox and the officer's list,
a query count that does not grow with the register, and the open data of the whole country in
under a second.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_pages import count_queries, prepare_environment, summary, timed  # noqa: E402

GOAL_P50_MS = 50.0
GMINAS = ["0264011", "1262011", "1210163", "1434123"]


def seed(count: int) -> None:
    from kis.clubs.models import Club, Operator
    from kis.lib.testing import make_operator
    from kis.lib.text import polish_sort_key
    from kis.registry.models import RegisterEntry

    operator = make_operator("Stowarzyszenie Benchmark", "7341013036", "1262011", type=Operator.Type.NGO, krs="1")
    clubs = []
    for number in range(count):
        gmina = GMINAS[number % len(GMINAS)]
        name = f"Klub Integracji Społecznej nr {number:05d} w Łące"
        clubs.append(
            Club(
                operator=operator,
                name=name,
                name_sort=polish_sort_key(name),
                voivodeship=gmina[:2],
                gmina_id=gmina,
                street=f"ul. Długa {number}",
                postal_code="33-300",
                city="Nowy Sącz",
                manager_name="Jan Kowalski",
                manager_title="kierownik",
                created_on=date(2015, 1, 1),
                status=Club.Status.ACTIVE,
            )
        )
    Club.objects.bulk_create(clubs, batch_size=500)
    entries = []
    for number, club in enumerate(Club.objects.filter(operator=operator).order_by("pk")):
        entry = RegisterEntry(
            club=club,
            voivodeship=club.voivodeship,
            number=f"KIS/{club.voivodeship}/{number}/2016",
            entered_on=date(2016, 1, 1) + timedelta(days=number % 3000),
        )
        if number % 5 == 0:
            entry.struck_off_on, entry.strike_off_basis = date(2024, 12, 31), "voivode_finding"
        entry.set_public_columns(
            {
                "club_name": club.name,
                "club_street": club.street,
                "club_postal_code": club.postal_code,
                "club_city": club.city,
                "operator_name": operator.name,
                "operator_street": operator.street,
                "operator_postal_code": operator.postal_code,
                "operator_city": operator.city,
            }
        )
        entries.append(entry)
    RegisterEntry.objects.bulk_create(entries, batch_size=500)


def seed_notifications(count: int, user: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kis.clubs.models import Club
    from kis.lib.testing_registry import register_data
    from kis.registry import services

    club = Club.objects.filter(voivodeship="12").first()
    assert club is not None
    for number in range(count):
        services.notify_new_club(
            operator=club.operator,
            data=register_data(club, club.operator, club_name=f"KIS zgłoszony {number:03d}"),
            act=services.Attachment(
                upload=SimpleUploadedFile("akt.pdf", b"%PDF-1.4\n"), content_type="application/pdf"
            ),
            by=user,
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--entries", type=int, default=2000)
    args = parser.parse_args()
    kind, cleanup = prepare_environment()
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.test import Client

        from kis.accounts.models import Grant, Role, User
        from kis.lib.testing import make_gminas

        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        settings.MEDIA_ROOT = Path(settings.DATA_DIR) / "bench-uploads"
        call_command("migrate", verbosity=0)
        make_gminas()
        seed(args.entries)
        officer = User.objects.create_user(email="wojewoda@bench.example", password="x" * 16, full_name="Wojewoda")
        Grant.objects.create(user=officer, role=Role.VOIVODE, voivodeship="12")
        seed_notifications(100, officer)
        public, desk = Client(), Client()
        desk.force_login(officer)
        pages = [
            ("public list", public, "/rejestr/"),
            ("public, page 20", public, "/rejestr/?strona=20"),
            ("public search", public, "/rejestr/?q=lace+00123"),
            ("public, one voivodeship", public, "/rejestr/malopolskie/"),
            ("open data JSON (all)", public, "/rejestr/dane.json"),
            ("open data CSV (all)", public, "/rejestr/dane.csv"),
            ("voivode inbox", desk, "/rejestr/wojewoda/"),
            ("voivode entries", desk, "/rejestr/wojewoda/wpisy/"),
            ("voivode XLSX export", desk, "/rejestr/wojewoda/wpisy.xlsx"),
        ]
        results = {}
        for label, client, url in pages:
            n = max(5, args.n // 10) if "XLSX" in label or "open data" in label else args.n
            for _ in range(args.warmup):
                assert client.get(url).status_code == 200, url
            samples = [timed(lambda url=url, client=client: client.get(url)) for _ in range(n)]
            results[label] = (summary(samples), count_queries(lambda url=url, client=client: client.get(url)))
        print(f"\nRegister, {kind}, {args.entries} entries, 100 open notifications (ms)")
        print(f"{'page':<26} {'n':>5} {'p50':>8} {'p95':>8} {'mean':>8} {'queries':>8}")
        for label, (stats, queries) in results.items():
            print(
                f"{label:<26} {stats['n']:>5} {stats['p50_ms']:>8.2f} {stats['p95_ms']:>8.2f} "
                f"{stats['mean_ms']:>8.2f} {queries:>8}"
            )
        for label in ("public list", "voivode inbox", "voivode entries"):
            p50 = results[label][0]["p50_ms"]
            print(
                f"goal p50 ≤ {GOAL_P50_MS} ms for {label}: {'met' if p50 <= GOAL_P50_MS else 'NOT met'} ({p50:.2f} ms)"
            )
    finally:
        cleanup()


if __name__ == "__main__":
    main()
