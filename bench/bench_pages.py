"""Server time of the key pages, measured in-process with Django's test client.

Usage (from the repository root):

    .venv/bin/python bench/bench_pages.py [--n 200] [--warmup 20]
    bash scripts/with-throwaway-pg.sh .venv/bin/python bench/bench_pages.py   # on PostgreSQL

On SQLite (the default) the script migrates a temporary database file. With ``KIS_DB=postgres``
in the environment it creates its own database ``kis_bench_<pid>`` next to ``PGDATABASE`` on the
server that the PG* variables point at, and drops it at the end.

What it measures (see bench/README.md): the time from handing a request to Django until the
response object is back, in this process, without network, TLS or a WSGI server. Warm-up
requests are excluded. Query counts come from one extra request per page under
``CaptureQueriesContext``, outside the timed runs.

Each run writes bench/results/pages-<db>-<UTC time>.json with the environment and the figures,
and prints the change of p50 against the previous run of the same database kind.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"

LEADER = "alicja@przystan.example"
TOTP_USER = "bartek@przystan.example"  # gets a TOTP authenticator for the second-factor flow
PERSONAS = [
    ("leader", "alicja@przystan.example"),
    ("staff", "bartek@przystan.example"),
    ("desk", "dorota@przystan.example"),
    ("operator", "olek@mops.example"),
    ("partner", "patrycja@mops.example"),
    ("voivode", "wiktor@malopolska.example"),
    ("analyst", "anna@ministerstwo.example"),
    ("dpo", "irena@mops.example"),
]
GOAL_P50_MS = 50.0
_TOTP_SECRETS: dict[str, str] = {}  # email -> secret, for users the benchmark gave a TOTP device


# --------------------------------------------------------------------------- set-up


def prepare_environment() -> tuple[str, Callable[[], None]]:
    """Point the settings at a fresh database; return its kind and a clean-up function."""
    os.environ["KIS_DEBUG"] = "1"
    os.environ["KIS_REQUIRE_MFA"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kis.settings")
    sys.path.insert(0, str(ROOT))
    if os.environ.get("KIS_DB") == "postgres":
        import psycopg

        name = f"kis_bench_{os.getpid()}"
        admin_db = os.environ.get("PGDATABASE") or "postgres"
        with psycopg.connect(dbname=admin_db, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["PGDATABASE"] = name

        def drop() -> None:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(dbname=admin_db, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return "postgresql", drop
    os.environ["KIS_DB"] = "sqlite"
    tmp = tempfile.mkdtemp(prefix="kis-bench-")
    os.environ["KIS_SQLITE_PATH"] = str(Path(tmp) / "bench.sqlite3")

    def remove() -> None:
        from django.db import connections

        connections.close_all()
        for path in Path(tmp).iterdir():
            path.unlink()
        Path(tmp).rmdir()

    return "sqlite", remove


def load_data() -> None:
    from django.core.management import call_command

    from kis.clubs import demo

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("load_teryt", verbosity=0)
    demo.load()
    try:  # the demo's participants (20 per active club), as `kis demo` loads them
        from kis.demo import participants as demo_participants
    except ImportError:
        return
    demo_participants.load()


# --------------------------------------------------------------------------- measuring


def summary(samples_s: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in samples_s)

    def pct(p: float) -> float:  # nearest rank
        return ms[max(0, min(len(ms) - 1, round(p / 100 * len(ms) + 0.5) - 1))]

    return {
        "n": len(ms),
        "p50_ms": round(statistics.median(ms), 2),
        "p95_ms": round(pct(95), 2),
        "mean_ms": round(statistics.fmean(ms), 2),
        "min_ms": round(ms[0], 2),
        "max_ms": round(ms[-1], 2),
    }


def count_queries(action: Callable[[], Any]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        action()
    return len(ctx.captured_queries)


def timed(action: Callable[[], Any]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def expect(response: Any, status: int, what: str) -> Any:
    if response.status_code != status:
        raise SystemExit(f"{what}: expected HTTP {status}, got {response.status_code} {response.get('Location', '')}")
    return response


def client() -> Any:
    from django.test import Client

    return Client()


def login_client(email: str) -> Any:
    """A client logged in through the real login form (cache cleared first: rate limits)."""
    from django.core.cache import cache

    from kis.clubs.demo import DEMO_PASSWORD

    cache.clear()
    c = client()
    response = expect(c.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD}), 302, f"login {email}")
    if response["Location"].startswith("/accounts/2fa/authenticate/"):
        expect(c.post("/accounts/2fa/authenticate/", {"code": totp_code(_TOTP_SECRETS[email])}), 302, f"TOTP {email}")
    return c


def totp_code(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def bench_login_flow(n: int, warmup: int) -> dict[str, Any]:
    """(a) POST /accounts/login/ then GET /, a fresh client (no session) each time."""
    from django.core.cache import cache

    from kis.clubs.demo import DEMO_PASSWORD

    post_s: list[float] = []
    get_s: list[float] = []
    flow_s: list[float] = []
    for i in range(warmup + n):
        cache.clear()  # allauth counts logins per IP and per account in the cache
        c = client()
        t0 = time.perf_counter()
        r1 = c.post("/accounts/login/", {"login": LEADER, "password": DEMO_PASSWORD})
        t1 = time.perf_counter()
        r2 = c.get("/")
        t2 = time.perf_counter()
        expect(r1, 302, "login POST")
        expect(r2, 200, "dashboard after login")
        if i >= warmup:
            post_s.append(t1 - t0)
            get_s.append(t2 - t1)
            flow_s.append(t2 - t0)
    cache.clear()
    c = client()
    q_post = count_queries(lambda: c.post("/accounts/login/", {"login": LEADER, "password": DEMO_PASSWORD}))
    q_get = count_queries(lambda: c.get("/"))
    return {
        "login_flow": {**summary(flow_s), "queries": q_post + q_get},
        "login_post": {**summary(post_s), "queries": q_post},
        "dashboard_after_login": {**summary(get_s), "queries": q_get},
    }


def bench_argon2(n: int, warmup: int) -> dict[str, Any]:
    """The cost of checking one password with the configured (first) hasher, alone."""
    from django.contrib.auth.hashers import check_password, get_hasher

    from kis.accounts.models import User
    from kis.clubs.demo import DEMO_PASSWORD

    encoded = User.objects.get(email=LEADER).password
    samples = []
    for i in range(warmup + n):
        dt = timed(lambda: check_password(DEMO_PASSWORD, encoded))
        if i >= warmup:
            samples.append(dt)
    hasher = get_hasher()
    params = {k: getattr(hasher, k) for k in ("time_cost", "memory_cost", "parallelism") if hasattr(hasher, k)}
    return {"password_check": {**summary(samples), "queries": 0, "hasher": hasher.algorithm, **params}}


def bench_login_flow_fast_hasher(n: int, warmup: int) -> dict[str, Any]:
    """The same flow with a deliberately cheap hasher: what the login costs apart from hashing."""
    from django.conf import settings
    from django.contrib.auth.hashers import get_hashers, get_hashers_by_algorithm
    from django.core.cache import cache

    from kis.accounts.models import User
    from kis.clubs.demo import DEMO_PASSWORD

    saved = settings.PASSWORD_HASHERS
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    get_hashers.cache_clear()
    get_hashers_by_algorithm.cache_clear()
    user = User.objects.get(email=LEADER)
    old_hash = user.password
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    try:
        flow_s, post_s = [], []
        for i in range(warmup + n):
            cache.clear()
            c = client()
            t0 = time.perf_counter()
            r1 = c.post("/accounts/login/", {"login": LEADER, "password": DEMO_PASSWORD})
            t1 = time.perf_counter()
            r2 = c.get("/")
            t2 = time.perf_counter()
            expect(r1, 302, "login POST (fast hasher)")
            expect(r2, 200, "dashboard (fast hasher)")
            if i >= warmup:
                post_s.append(t1 - t0)
                flow_s.append(t2 - t0)
    finally:
        User.objects.filter(pk=user.pk).update(password=old_hash)
        settings.PASSWORD_HASHERS = saved
        get_hashers.cache_clear()
        get_hashers_by_algorithm.cache_clear()
    return {
        "login_flow_md5": {**summary(flow_s), "queries": None},
        "login_post_md5": {**summary(post_s), "queries": None},
    }


def bench_login_totp(n: int, warmup: int) -> dict[str, Any]:
    """Login with the second factor, as in production: password, TOTP code, dashboard."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.core.cache import cache

    from kis.accounts.models import User
    from kis.clubs.demo import DEMO_PASSWORD

    user = User.objects.get(email=TOTP_USER)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    _TOTP_SECRETS[TOTP_USER] = secret
    flow_s, code_s = [], []
    for i in range(warmup + n):
        cache.clear()  # rate limits, and allauth's record of codes already used
        c = client()
        code = totp_code(secret)
        t0 = time.perf_counter()
        r1 = c.post("/accounts/login/", {"login": TOTP_USER, "password": DEMO_PASSWORD})
        t1 = time.perf_counter()
        r2 = c.post("/accounts/2fa/authenticate/", {"code": code})
        t2 = time.perf_counter()
        r3 = c.get("/")
        t3 = time.perf_counter()
        expect(r1, 302, "login POST (TOTP user)")
        if r2.status_code == 200:  # the code rolled over between computing and posting it
            continue
        expect(r2, 302, "TOTP POST")
        expect(r3, 200, "dashboard after TOTP")
        if i >= warmup:
            flow_s.append(t3 - t0)
            code_s.append(t2 - t1)
    return {
        "login_totp_flow": {**summary(flow_s), "queries": None},
        "totp_post": {**summary(code_s), "queries": None},
    }


def bench_get(c: Any, path: str, n: int, warmup: int, status: int = 200) -> dict[str, Any]:
    samples = []
    for i in range(warmup + n):
        start = time.perf_counter()
        response = c.get(path)
        elapsed = time.perf_counter() - start
        expect(response, status, path)
        if i >= warmup:
            samples.append(elapsed)
    return {**summary(samples), "queries": count_queries(lambda: c.get(path))}


# --------------------------------------------------------------------------- reporting


def git_sha() -> str:
    try:
        sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True)
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True, check=True)
        return sha.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def environment(db: str) -> dict[str, Any]:
    import sqlite3

    import allauth
    import django
    from django.conf import settings
    from django.db import connection

    env: dict[str, Any] = {
        "cpu_model": cpu_model(),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "allauth": allauth.__version__,
        "sqlite": sqlite3.sqlite_version,
        "database": db,
        "git_sha": git_sha(),
        "platform": platform.platform(),
        "password_hasher": settings.PASSWORD_HASHERS[0].rsplit(".", 1)[-1],
        "settings_debug_during_timing": settings.DEBUG,
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
    }
    if db == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            env["postgresql"] = cursor.fetchone()[0]
    return env


def print_table(results: dict[str, dict[str, Any]]) -> None:
    head = f"{'measurement':<34} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8} {'queries':>8}"
    print(head)
    print("-" * len(head))
    for name, r in results.items():
        queries = "" if r.get("queries") is None else str(r["queries"])
        print(f"{name:<34} {r['p50_ms']:>8.2f} {r['p95_ms']:>8.2f} {r['mean_ms']:>8.2f} {queries:>8}")


def compare_with_previous(db: str, results: dict[str, dict[str, Any]], current: Path) -> None:
    previous = sorted(p for p in RESULTS.glob(f"pages-{db}-*.json") if p != current)
    if not previous:
        return
    old = json.loads(previous[-1].read_text())["results"]
    print(f"\np50 against {previous[-1].name}:")
    for name, r in results.items():
        if name in old and old[name]["p50_ms"]:
            change = (r["p50_ms"] - old[name]["p50_ms"]) / old[name]["p50_ms"] * 100
            flag = "  <-- worse by more than 20 %" if change > 20 else ""
            print(f"  {name:<34} {old[name]['p50_ms']:>8.2f} -> {r['p50_ms']:>8.2f} ({change:+.0f} %){flag}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=200, help="timed requests per measurement (default 200)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests first (default 20)")
    parser.add_argument("--no-json", action="store_true", help="do not write bench/results/*.json")
    args = parser.parse_args()

    load_at_start = [round(x, 2) for x in os.getloadavg()]
    if load_at_start[0] > 0.5 * (os.cpu_count() or 1):
        print(f"warning: load average {load_at_start} — other work on this machine will skew the figures")
    db, cleanup = prepare_environment()
    import django

    django.setup()
    try:
        from django.conf import settings

        print(f"setting up {db} database with the demo data …", flush=True)
        load_data()
        # KIS_DEBUG=1 is needed to start without production secrets; with DEBUG on, Django also
        # records every query in memory. Turn that off for the timings, as in production.
        settings.DEBUG = False
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

        from kis.clubs.models import Club

        przystan = Club.objects.get(name__contains="Przystań")
        results: dict[str, dict[str, Any]] = {}
        n, warmup = args.n, args.warmup
        gc.collect()
        print("(a) login → dashboard", flush=True)
        results.update(bench_login_flow(n, warmup))
        results.update(bench_argon2(n, warmup))
        results.update(bench_login_flow_fast_hasher(n, warmup))
        print("(a') login → second factor → dashboard", flush=True)
        results.update(bench_login_totp(max(20, n // 4), min(warmup, 5)))
        print("(b) staff list", flush=True)
        results["staff_list_leader"] = bench_get(login_client(LEADER), f"/kluby/{przystan.pk}/pracownicy/", n, warmup)
        print("(c) dashboards", flush=True)
        for role, email in PERSONAS:
            results[f"dashboard_{role}"] = bench_get(login_client(email), "/", n, warmup)
        results["club_detail_leader"] = bench_get(login_client(LEADER), f"/kluby/{przystan.pk}/", n, warmup)
        results["audit_trail_dpo"] = bench_get(login_client("irena@mops.example"), "/audyt/", n, warmup)

        env = environment(db)
        env["load_average_at_start"] = load_at_start
        print()
        print(
            f"{db}: {env['cpu_model']} ×{env['cpu_count']}, Python {env['python']}, Django {env['django']}, "
            f"{'PostgreSQL ' + env['postgresql'] if db == 'postgresql' else 'SQLite ' + env['sqlite']}, "
            f"n={n}, warm-up {warmup}, load average {load_at_start[0]} → {env['load_average_at_end'][0]}"
        )
        print_table(results)
        for name in ("login_flow", "staff_list_leader"):
            verdict = "meets" if results[name]["p50_ms"] <= GOAL_P50_MS else "MISSES"
            print(f"goal p50 ≤ {GOAL_P50_MS:.0f} ms: {name} {verdict} it ({results[name]['p50_ms']:.1f} ms)")
        if not args.no_json:
            RESULTS.mkdir(parents=True, exist_ok=True)
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            out = RESULTS / f"pages-{db}-{stamp}.json"
            payload = {"when": stamp, "n": n, "warmup": warmup, "environment": env, "results": results}
            out.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
            print(f"\nwrote {out.relative_to(ROOT)}")
            compare_with_previous(db, results, out)
    finally:
        cleanup()


if __name__ == "__main__":
    main()
