"""Server time of the attendance register: render and save a session's sheet for 20 participants.

Usage (from the repository root):

    .venv/bin/python bench/bench_attendance.py [--n 200]
    bash scripts/with-throwaway-pg.sh .venv/bin/python bench/bench_attendance.py

Goal (issue "Activities, schedule, attendance and hours"): the sheet for 20 participants renders
and saves with p50 ≤ 50 ms, and the number of queries does not grow with the number of
participants or of sessions. Measured in-process with the test client, like bench_pages.py
(whose database set-up and statistics it reuses). The club has a year of weekly sessions
(52 per activity, 4 activities) with attendance, so history is in the tables.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_pages import count_queries, prepare_environment, summary, timed  # noqa: E402

GOAL_P50_MS = 50.0


def seed(club: Any, size: int, weeks: int, by: Any) -> Any:
    """``size`` people enrolled in 4 workshops with ``weeks`` weekly sessions each, all marked; return today's session."""
    from django.utils import timezone

    from kis.activities.models import Activity, Attendance, Enrolment, Session
    from kis.lib.testing import make_participant

    people = [make_participant(club, "Osoba", f"Ławecka {n:03d}", status="active") for n in range(size)]
    today = timezone.localdate()
    session_today = None
    for index in range(4):
        activity = Activity.objects.create(club=club, name=f"Warsztaty {index}", type="vocational_workshop")
        Enrolment.objects.bulk_create(
            [Enrolment(activity=activity, participant=p, enrolled_on=today - timedelta(days=400)) for p in people]
        )
        for week in range(weeks, -1, -1):
            day = today - timedelta(weeks=week)
            session = Session.objects.create(
                activity=activity,
                starts_at=timezone.make_aware(datetime.combine(day, time(8 + 2 * index))),
                ends_at=timezone.make_aware(datetime.combine(day, time(10 + 2 * index))),
            )
            if week == 0:
                session_today = session_today or session
                continue
            Attendance.objects.bulk_create(
                [Attendance(session=session, participant=p, status="present", hours=2, updated_by=by) for p in people]
            )
    return session_today


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
        from kis.lib.testing import make_club, make_gminas, make_operator

        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        call_command("migrate", verbosity=0)
        make_gminas()
        operator = make_operator("MOPS Bench", "7341012019", "1262011")
        desk = User.objects.create_user(email="recepcja@bench.example", password="x" * 16, full_name="Recepcja")
        results = {}
        for size, weeks in ((5, 4), (20, 52), (60, 52)):
            club = make_club(operator, f"KIS {size} osób", "1262011")
            Grant.objects.create(user=desk, role=Role.DESK, club=club)
            session = seed(club, size, weeks, desk)
            people = [a.participant_id for a in session.activity.enrolments.all()]
            url = f"/spotkania/{session.pk}/obecnosc/"
            client = Client()
            client.force_login(desk)
            flip = {"n": 0}

            def save(url: str = url, people: list[int] = people, client: Client = client, flip: Any = flip) -> Any:
                # Alternate the marks so every save writes every row.
                flip["n"] += 1
                status = "present" if flip["n"] % 2 else "excused"
                response = client.post(url, {f"status-{pk}": status for pk in people})
                assert response.status_code == 302, response.status_code
                return response

            def render(url: str = url, client: Client = client) -> Any:
                response = client.get(url)
                assert response.status_code == 200
                return response

            for label, call in (("render", render), ("save all", save)):
                for _ in range(args.warmup):
                    call()
                samples = [timed(call) for _ in range(args.n)]
                results[(size, weeks, label)] = (summary(samples), count_queries(call))
        print(f"\nAttendance register, {kind}, {args.n} requests each (ms)")
        print(f"{'people':>6} {'weeks':>6} {'case':<10} {'p50':>7} {'p95':>7} {'mean':>7} {'queries':>8}")
        for (size, weeks, label), (stats, queries) in results.items():
            print(
                f"{size:>6} {weeks:>6} {label:<10} {stats['p50_ms']:>7.2f} {stats['p95_ms']:>7.2f} "
                f"{stats['mean_ms']:>7.2f} {queries:>8}"
            )
        twenty = [results[(20, 52, label)][0]["p50_ms"] for label in ("render", "save all")]
        met = all(p50 <= GOAL_P50_MS for p50 in twenty)
        same = all(
            len({results[(s, w, label)][1] for s, w in ((5, 4), (20, 52), (60, 52))}) == 1
            for label in ("render", "save all")
        )
        print(
            f"\ngoal p50 ≤ {GOAL_P50_MS} ms for 20 people: {'met' if met else 'NOT met'} ({twenty[0]:.2f} / {twenty[1]:.2f} ms)"
        )
        print(f"same query count for 5, 20 and 60 people and 4 or 52 weeks of history: {'yes' if same else 'NO'}")
    finally:
        cleanup()


if __name__ == "__main__":
    main()
