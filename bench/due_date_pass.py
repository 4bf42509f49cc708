"""Benchmark: the daily due-date pass over a million open tasks.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ict_bench_due \
        .venv/bin/python bench/due_date_pass.py --tasks 1000000 --due-share 0.01 [--fresh]

Fills (once per size) a PostgreSQL template database, `<name>_template`, with `generate_data`
(a small office) plus N extra open tasks inserted by COPY: `--due-share` of them due on the next
working day (reminders), the same share overdue since yesterday (breach notices), the rest due
months ahead. Every run then starts from a fresh copy of that template (`CREATE DATABASE <name>
TEMPLATE <name>_template`, a file copy), so the pass finds the same state each time however
often the script is run: what an earlier run stamped, completed or notified is gone. It runs
`processes.services.due_date_pass` twice for the same day and prints the time, the counts and
the peak memory of each run; the second run shows the pass sending nothing twice.
`--fresh` rebuilds the template too. With BENCH_RESULTS=<file> the figures are also appended
there (see bench/results.py).
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
import zoneinfo
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from results import record  # noqa: E402  (bench/ is a folder of scripts, not a package)

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/ict_bench_due"


def _psql(server: str, sql: str) -> str:
    return subprocess.run(
        ["psql", server, "-v", "ON_ERROR_STOP=1", "-tAc", sql],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def prepare_template(url: str, *, fresh: bool, label: str) -> tuple[str, bool]:
    """The template database's URL, and whether it must be filled.

    The template is labelled (a database comment) with what it holds: the size, the share and
    the day the due dates were counted from. A template of another size or of another day (its
    "tomorrow" is no longer tomorrow) is dropped and built again, as with `fresh`.
    """
    name = url.rsplit("/", 1)[1]
    server = url.rsplit("/", 1)[0] + "/postgres"
    template = f"{name}_template"
    query = (
        "SELECT coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database"
        f" WHERE datname='{template}'"
    )
    found = _psql(server, query)
    if fresh or found != label:  # dropping is quicker than deleting a million rows
        _psql(server, f'DROP DATABASE IF EXISTS "{template}"')
        _psql(server, f'CREATE DATABASE "{template}"')
    return f"{url.rsplit('/', 1)[0]}/{template}", fresh or found != label


def label_template(url: str, label: str) -> None:
    name = url.rsplit("/", 1)[1]
    server = url.rsplit("/", 1)[0] + "/postgres"
    _psql(server, f"COMMENT ON DATABASE \"{name}_template\" IS '{label}'")


def copy_from_template(url: str) -> None:
    """The measured database, a fresh copy of the template: the state of every run alike."""
    name = url.rsplit("/", 1)[1]
    server = url.rsplit("/", 1)[0] + "/postgres"
    _psql(server, f'DROP DATABASE IF EXISTS "{name}"')
    _psql(server, f'CREATE DATABASE "{name}" TEMPLATE "{name}_template"')


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


def _django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Throw-away keys: production settings refuse to start without them.
    os.environ.setdefault("DJANGO_SECRET_KEY", os.urandom(32).hex())
    os.environ.setdefault("PORTAL_FIELD_KEY", os.urandom(32).hex())
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
    import django

    django.setup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--due-share", type=float, default=0.01)
    parser.add_argument("--fresh", action="store_true", help="drop and rebuild the template")
    parser.add_argument("--fill-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    if args.fill_only:  # the child process below: fills the template database at `url`
        _django(url)
        fill(args.tasks, args.due_share)
        return
    # The day as the portal counts it (settings.TIME_ZONE), without starting Django here.
    day = datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Bangkok")).date()
    label = f"bench-due {args.tasks} {args.due_share} {day.isoformat()}"
    template, empty = prepare_template(url, fresh=args.fresh, label=label)
    if empty:
        # Filled in a process of its own: a template must have no open connection when copied.
        subprocess.run(
            [
                *(sys.executable, __file__, "--fill-only"),
                *("--tasks", str(args.tasks), "--due-share", str(args.due_share)),
            ],
            env={**os.environ, "BENCH_DATABASE_URL": template},
            check=True,
        )
        label_template(url, label)
    copy_from_template(url)
    _django(url)
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)  # a template built by older code gets the new schema

    import processes.services as services
    from processes.models import Task
    from processes.services import due_date_pass

    # Deliveries are kicked after commit; the broker is not part of what is measured.
    services._kick_delivery = lambda: None
    open_tasks = Task.objects.filter(status=Task.Status.OPEN).count()
    today = timezone.localdate()
    size = f"{open_tasks:,} open tasks, {args.due_share:.0%} due soon and as many overdue"
    for attempt in ("first run", "second run"):
        started = time.perf_counter()
        counts = due_date_pass(today=today)
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{attempt}: {seconds:.1f} s over {open_tasks:,} open tasks, peak {peak:.0f} MB")
        print(f"    {counts}")
        detail = f"{size}; {counts}; peak RSS {peak:.0f} MB"
        record(f"daily due-date pass, {attempt}", seconds, "s", floor=5.0, detail=detail)


if __name__ == "__main__":
    main()
