"""Benchmark: the daily due-date pass over a million open tasks.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ict_bench_due \
        .venv/bin/python bench/due_date_pass.py --tasks 1000000 --due-share 0.01 [--fresh]

Fills (once per size) a PostgreSQL database of its own with `generate_data` (a small office)
plus N extra open tasks inserted by COPY: `--due-share` of them due on the next working day
(reminders), the same share overdue since yesterday (breach notices), the rest due months ahead.
Then runs `processes.services.due_date_pass` twice for the same day and prints the time, the
counts and the peak memory of each run; the second run shows the pass sending nothing twice.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/ict_bench_due"


def prepare(url: str, *, fresh: bool) -> None:
    name = url.rsplit("/", 1)[1]
    server = url.rsplit("/", 1)[0] + "/postgres"
    if fresh:  # quicker than deleting a million rows through the ORM
        subprocess.run(["psql", server, "-c", f'DROP DATABASE IF EXISTS "{name}"'], check=True)
    query = f"SELECT 1 FROM pg_database WHERE datname='{name}'"
    found = subprocess.run(["psql", server, "-tAc", query], capture_output=True, text=True)
    if not found.stdout.strip():
        subprocess.run(["psql", server, "-c", f'CREATE DATABASE "{name}"'], check=True)


def fill(n_tasks: int, due_share: float) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from core import thaitime
    from processes.models import Case, StepDefinition, StepKind, Task
    from reports.management.commands.generate_data import insert_rows, task_row

    call_command("migrate", verbosity=0)
    marker = Task.objects.filter(comment="bench-due", case__state="running").count()
    if marker == n_tasks:
        return
    print(f"building {n_tasks:,} open tasks ...", flush=True)
    started = time.perf_counter()
    call_command("generate_data", schools=100, cases=5000, years=1, verbosity=0)
    # Only running cases: the pass leaves the tasks of closed cases alone.
    running = Case.objects.filter(office__code="GEN1", state=Case.State.RUNNING)
    cases = list(running.select_related("version")[:5000])
    steps = {}
    for step in StepDefinition.objects.filter(kind=StepKind.TASK):
        steps.setdefault(step.version_id, step)
    cases = [case for case in cases if case.version_id in steps]
    today = timezone.localdate()
    tomorrow = thaitime.next_working_day(today)
    rng = random.Random(2569)
    rows = []
    for n in range(n_tasks):
        case = cases[n % len(cases)]
        step = steps[case.version_id]
        roll = rng.random()
        if roll < due_share:
            due = tomorrow
        elif roll < 2 * due_share:
            due = today - datetime.timedelta(days=1)
        else:
            due = today + datetime.timedelta(days=rng.randrange(60, 365))
        row = list(task_row(case, step, step.responsible, timezone.now(), due))
        row[15] = "bench-due"  # the comment column marks the benchmark's own rows
        rows.append(tuple(row))
        if len(rows) == 50_000:
            insert_rows(Task, rows)
            rows = []
    if rows:
        insert_rows(Task, rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"built in {time.perf_counter() - started:.0f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--due-share", type=float, default=0.01)
    parser.add_argument("--fresh", action="store_true", help="drop and rebuild the database")
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    prepare(url, fresh=args.fresh)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # A throw-away key: production settings refuse to start without one.
    os.environ.setdefault("DJANGO_SECRET_KEY", os.urandom(32).hex())
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
    import django

    django.setup()
    from django.utils import timezone

    from processes.models import DigestItem, Notification, Task
    from processes.services import due_date_pass

    fill(args.tasks, args.due_share)
    # Deliveries are kicked after commit; the broker is not part of what is measured.
    import processes.services as services

    services._kick_delivery = lambda: None
    Notification.objects.filter(kind="daily_digest").delete()
    DigestItem.objects.all().delete()
    Task.objects.filter(comment="bench-due").update(reminded_on=None, breach_notified_on=None)
    open_tasks = Task.objects.filter(status=Task.Status.OPEN).count()
    today = timezone.localdate()
    for attempt in ("first run", "second run"):
        started = time.perf_counter()
        counts = due_date_pass(today=today)
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{attempt}: {seconds:.1f} s over {open_tasks:,} open tasks, peak {peak:.0f} MB")
        print(f"    {counts}")


if __name__ == "__main__":
    main()
