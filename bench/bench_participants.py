"""Server time of the participant list of one club with 10 and with 1,000 participants.

Usage (from the repository root):

    .venv/bin/python bench/bench_participants.py [--n 200]
    bash scripts/with-throwaway-pg.sh .venv/bin/python bench/bench_participants.py

Goal (issue "Participants and their case files"): p50 ≤ 30 ms with 1,000 participants, and the
same number of queries (≤ 10) for 10 and 1,000 rows. Measured in-process with the test client,
like bench_pages.py (whose database set-up and statistics it reuses).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_pages import count_queries, prepare_environment, summary, timed  # noqa: E402

GOAL_P50_MS = 30.0


def seed(club: Any, count: int, start: int) -> None:
    from kis.participants.models import Participant

    rows = []
    for number in range(start, start + count):
        participant = Participant(
            club=club,
            first_name=f"Imię{number:04d}",
            last_name=f"Nazwisko{number:04d}",
            birth_date=date(1980, 1, 1) + timedelta(days=number),
            sex="F" if number % 2 else "M",
            labour_status="registered_unemployed",
            referral="ops",
            applied_on=date(2026, 1, 1),
            status="active",
            joined_on=date(2026, 1, 10),
            groups=["long_term_unemployed"],
        )
        # bulk_create skips save(): fill the derived columns the way save() does.
        from kis.lib.text import fold, polish_sort_key

        participant.name_search = fold(f"{participant.first_name} {participant.last_name}")
        participant.name_sort = polish_sort_key(f"{participant.last_name} {participant.first_name}")
        rows.append(participant)
    Participant.objects.bulk_create(rows, batch_size=500)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200, help="timed requests per case")
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args()
    kind, cleanup = prepare_environment()
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.test import Client

        from kis.accounts.models import Grant, Role, User
        from kis.clubs.models import Club
        from kis.lib.testing import make_club, make_gminas, make_operator

        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        call_command("migrate", verbosity=0)
        make_gminas()
        operator = make_operator("MOPS Bench", "7341012019", "1262011")
        leader = User.objects.create_user(email="lider@bench.example", password="x" * 16, full_name="Lider Bench")
        results = {}
        for size in (10, 1000):
            club: Club = make_club(operator, f"KIS {size}", "1262011")
            Grant.objects.create(user=leader, role=Role.LEADER, club=club)
            seed(club, size, start=size * 10)
            client = Client()
            client.force_login(leader)
            for label, url in (
                ("list", f"/kluby/{club.pk}/uczestnicy/"),
                ("search", f"/kluby/{club.pk}/uczestnicy/?q=nazwisko00"),
                ("filter active", f"/kluby/{club.pk}/uczestnicy/?status=active"),
            ):
                for _ in range(args.warmup):
                    assert client.get(url).status_code == 200
                samples = [timed(lambda url=url, client=client: client.get(url)) for _ in range(args.n)]
                results[(size, label)] = (
                    summary(samples),
                    count_queries(lambda url=url, client=client: client.get(url)),
                )
        print(f"\nParticipant list, {kind}, {args.n} requests each (ms)")
        print(f"{'rows':>6} {'page':<14} {'p50':>7} {'p95':>7} {'mean':>7} {'queries':>8}")
        for (size, label), (stats, queries) in results.items():
            print(
                f"{size:>6} {label:<14} {stats['p50_ms']:>7.2f} {stats['p95_ms']:>7.2f} {stats['mean_ms']:>7.2f} {queries:>8}"
            )
        big = results[(1000, "list")][0]["p50_ms"]
        same = all(
            results[(10, label)][1] == results[(1000, label)][1] for label in ("list", "search", "filter active")
        )
        print(
            f"\ngoal p50 ≤ {GOAL_P50_MS} ms with 1,000 rows: {'met' if big <= GOAL_P50_MS else 'NOT met'} ({big:.2f} ms)"
        )
        print(f"same query count for 10 and 1,000 rows: {'yes' if same else 'NO'}")
    finally:
        cleanup()


if __name__ == "__main__":
    main()
