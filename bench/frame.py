"""Benchmark: what the page frame costs (session, user, roles, menu, base template, middleware).

    createdb -h 127.0.0.1 -U postgres ict_bench_frame
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ict_bench_frame \
        .venv/bin/python bench/frame.py --requests 300
    # add REDIS_URL=redis://127.0.0.1:6379/14 to read sessions from Redis, as production does

Fills (once; reused while its size matches) the database named by DATABASE_URL with one office
of `manage.py generate_data` (--cases, --schools) — use a database of its own, it is migrated
and filled — then, in-process through Django's test client with the bench views switched on
(PORTAL_BENCH_MODE), signs in a staff member, the district director and a school user and
requests them in N rounds (each page once per round) after two warm-up rounds:

  bare      /bench/bare/    the same middleware, no session read, no query, no template
  frame     /bench/frame/   base.html alone for the signed-in person: what every page pays
  profile   /profile/       a real page with almost nothing of its own
  my_tasks  /processes/tasks/
  home      /

and prints each one's median and p95 time per request and its number of queries (counted on
one more request), then a cProfile of the profile page (the staff member's) by own time,
top 25. Sign-in is not measured (force_login, before any window). The frame's cost is
frame minus bare; a page's own cost is page minus frame.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from results import record  # noqa: E402  (bench/ is a folder of scripts, not a package)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# A throw-away key: production settings refuse to start without one.
os.environ.setdefault("DJANGO_SECRET_KEY", os.urandom(32).hex())
os.environ.setdefault("PORTAL_FIELD_KEY", os.urandom(32).hex())
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")
# Measured in-process without collectstatic: plain static storage.
os.environ.setdefault("STATIC_MANIFEST", "false")
# The bare and frame views exist only in bench mode (config/urls.py).
os.environ["PORTAL_BENCH_MODE"] = "true"

OFFICE = "GEN1"
PAGES = {
    "bare": "/bench/bare/",
    "frame": "/bench/frame/",
    "profile": "/profile/",
    "my_tasks": "/processes/tasks/",
    "home": "/",
}


def build(cases: int, schools: int) -> None:
    from django.core.management import call_command

    from processes.models import Case

    call_command("migrate", verbosity=0)
    if Case.objects.filter(office__code=OFFICE).count() != cases:
        print(f"generating {cases:,} cases for {schools} schools ...", flush=True)
        call_command("generate_data", cases=cases, schools=schools, office_code=OFFICE, verbosity=0)


def people() -> dict[str, object]:
    from accounts.models import RoleCode, User

    code = OFFICE.lower()
    school_user = (
        User.objects.filter(office__code=OFFICE, roles__code=RoleCode.SCHOOL_USER)
        .order_by("pk")
        .first()
    )
    return {
        "staff": User.objects.get(username=f"{code}-staff-1"),
        "director": User.objects.get(username=f"{code}-director-1"),
        "school user": school_user,
    }


def time_pages(client, requests: int) -> dict[str, tuple[float, float]]:
    """Median and p95 in ms of each page over `requests` rounds after two warm-up ones. A round
    asks every page once, so a busy moment of the machine weighs on all pages alike."""
    timings: dict[str, list[float]] = {page: [] for page in PAGES}
    for round_ in range(requests + 2):
        for page, url in PAGES.items():
            began = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - began
            assert response.status_code == 200, url
            if round_ >= 2:
                timings[page].append(elapsed)
    figures = {}
    for page, times in timings.items():
        times.sort()
        figures[page] = (statistics.median(times) * 1000, times[int(len(times) * 0.95) - 1] * 1000)
    return figures


def queries_of(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


def measure(requests: int, cases: int) -> None:
    from django.conf import settings
    from django.test import Client

    sessions = "Redis + database" if settings.REDIS_URL else "database"
    print(f"{cases:,} cases; sessions from the {sessions}; {requests} requests per page")
    print(f"{'person':12} {'page':9} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for role, user in people().items():
        client = Client()
        client.force_login(user)
        figures = time_pages(client, requests)
        medians = {page: median for page, (median, _p95) in figures.items()}
        for page, url in PAGES.items():
            median, p95 = figures[page]
            queries = queries_of(client, url)
            print(f"{role:12} {page:9} {median:10.2f} {p95:8.2f} {queries:8}", flush=True)
            record(
                f"frame (in-process), {page} as {role}: median",
                median,
                "ms",
                detail=f"p95 {p95:.1f} ms, {queries} queries; {cases:,} cases, {sessions}",
            )
        print(f"{role:12} the frame costs {medians['frame'] - medians['bare']:.2f} ms over bare")


def profile(requests: int) -> None:
    from django.test import Client

    client = Client()
    client.force_login(people()["staff"])
    url = PAGES["profile"]
    for _ in range(2):
        client.get(url)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        client.get(url)
    profiler.disable()
    print(f"\ncProfile of {url} as staff, {requests} requests, by own time (tottime):")
    pstats.Stats(profiler).strip_dirs().sort_stats("tottime").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--schools", type=int, default=50)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile")
    args = parser.parse_args()
    import django

    django.setup()
    build(args.cases, args.schools)
    measure(args.requests, args.cases)
    if not args.no_profile:
        profile(args.requests)


if __name__ == "__main__":
    main()
