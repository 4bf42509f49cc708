"""Benchmark: the yearly report (and the export pack) of a busy fiscal year.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a database of its own> \
        .venv/bin/python bench/yearly_report.py --cases 5000

Without DATABASE_URL it uses var/bench-yearly.sqlite3. Builds (once; reused while the count
matches) an office with 200 schools and N cases of fiscal year 2568 spread over the process
catalogue, each with its steps run (started, due, finished, decided; some late, some
returned), plus N/2 repair tickets; then builds the yearly report PDF and the export pack ZIP
the way the Celery job does, and prints for each the seconds, the peak Python memory
(tracemalloc) the process's peak resident memory (with --trace-memory also the peak of Python
allocations), and the output size.
"""

from __future__ import annotations

import argparse
import datetime
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from results import record  # noqa: E402  (bench/ is a folder of scripts, not a package)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# A throw-away key: production settings refuse to start without one.
os.environ.setdefault("DJANGO_SECRET_KEY", os.urandom(32).hex())
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-yearly.sqlite3'}")

FISCAL_YEAR = 2568


def build(n_cases: int) -> None:
    import random

    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Office, Role, School, User
    from core.thaitime import fiscal_year_bounds
    from processes.models import Case, DefinitionVersion, Outcome, StepKind, Task
    from processes.timing import due_on_for
    from repairs.models import Category, Priority, RepairTicket

    office = Office.objects.filter(code="BENCHFY").first()
    if office and Case.objects.filter(office=office).count() == n_cases:
        return
    print(f"building {n_cases} cases ...", flush=True)
    started = time.perf_counter()
    call_command("load_catalogue", verbosity=0)
    rng = random.Random(2568)
    zone = timezone.get_default_timezone()
    first_day, _last_day = fiscal_year_bounds(FISCAL_YEAR)
    with transaction.atomic():
        if office:
            RepairTicket.objects.filter(office=office).delete()
            Task.objects.filter(case__office=office).delete()
            Case.objects.filter(office=office).delete()
        office, _ = Office.objects.get_or_create(
            code="BENCHFY", defaults={"name_th": "สพป.ทดสอบรายงานประจำปี", "kind": "primary"}
        )
        if not office.schools.exists():
            School.objects.bulk_create(
                School(
                    office=office,
                    obec_code=f"18{i:08d}",
                    smis_code=f"8{i:07d}",
                    name_th=f"โรงเรียนบ้านรายงาน {i}",
                    district="เมือง",
                )
                for i in range(200)
            )
        schools = list(office.schools.all())
        people = []
        for code in ("staff", "group_head", "director"):
            user, created = User.objects.get_or_create(
                username=f"bench-{code}",
                defaults={"office": office, "first_name": code, "last_name": "ทดสอบ"},
            )
            if created:
                user.roles.add(Role.objects.get(code=code))
            people.append(user)
        versions = list(
            DefinitionVersion.objects.filter(status="published").prefetch_related("steps")
        )
        steps_of = {v.pk: list(v.steps.order_by("position")) for v in versions}
        cases = []
        for i in range(n_cases):
            version = rng.choice(versions)
            day = first_day + datetime.timedelta(days=rng.randrange(0, 360))
            moment = datetime.datetime.combine(day, datetime.time(9, rng.randrange(60)), zone)
            state = rng.choices(["completed", "rejected", "running"], [80, 5, 15])[0]
            cases.append(
                Case(
                    office=office,
                    version=version,
                    reference=f"BF-{FISCAL_YEAR}-{i:06d}",
                    title=f"เรื่องทดสอบที่ {i} {version.definition.title_th}"[:500],
                    fiscal_year=FISCAL_YEAR,
                    requester=people[0],
                    school=rng.choice(schools) if rng.random() < 0.6 else None,
                    state=state,
                    started_at=moment,
                    closed_at=moment + datetime.timedelta(days=20) if state != "running" else None,
                )
            )
        Case.objects.bulk_create(cases, batch_size=1000)
        tasks = []
        for case in Case.objects.filter(office=office).only("pk", "version_id", "started_at"):
            moment = case.started_at
            for step in steps_of[case.version_id]:
                if step.kind in (StepKind.END, StepKind.NOTIFY):
                    continue
                due = due_on_for(step, start=timezone.localtime(moment, zone).date(), case_data={})
                took = datetime.timedelta(days=rng.choice([0, 1, 1, 2, 3, 5, 9]), hours=2)
                finished = moment + took
                approval = step.kind == StepKind.APPROVAL
                outcome = (
                    rng.choices([Outcome.APPROVE, Outcome.RETURN, Outcome.REJECT], [85, 10, 5])[0]
                    if approval
                    else (step.options[0]["value"] if step.options else Outcome.DONE)
                )
                tasks.append(
                    Task(
                        case=case,
                        step=step,
                        role=step.chain[0],
                        status=Task.Status.DONE,
                        started_at=moment,
                        due_on=due,
                        finished_at=finished,
                        finished_by=people[2] if approval else people[0],
                        outcome=outcome,
                        comment="ตรวจแล้ว" if approval else "",
                        data={},
                    )
                )
                moment = finished
        Task.objects.bulk_create(tasks, batch_size=2000)
        # Every case of the repair process drives one ticket, as in the portal.
        repair_cases = Case.objects.filter(
            office=office, version__definition__code="repair-ticket"
        ).only("pk", "started_at", "school_id")
        tickets = [
            RepairTicket(
                office=office,
                school_id=case.school_id or schools[0].pk,
                case=case,
                reference=f"BR-{FISCAL_YEAR}-{i:06d}",
                requester=people[0],
                category=rng.choice(Category.values),
                symptom="เปิดไม่ติด",
                location="ห้องคอมพิวเตอร์",
                priority=rng.choice(Priority.values),
                contact_phone="0800000000",
                status="closed",
                satisfaction=rng.choice([3, 4, 5, 5]),
            )
            for i, case in enumerate(repair_cases)
        ]
        RepairTicket.objects.bulk_create(tickets, batch_size=1000)
        for ticket in RepairTicket.objects.filter(office=office).select_related("case"):
            RepairTicket.objects.filter(pk=ticket.pk).update(
                created_at=ticket.case.started_at,
                closed_at=ticket.case.started_at + datetime.timedelta(days=3),
            )
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics, as a live database has
    print(
        f"built {n_cases} cases, {len(tasks)} tasks in {time.perf_counter() - started:.1f}s",
        flush=True,
    )


def measure(label: str, work, *, trace: bool, floor: float | None = None) -> None:
    """Seconds and peak resident memory; with `trace`, also tracemalloc's peak of Python
    allocations (tracemalloc slows the work several times over, so the seconds of a traced
    run are not the real ones)."""
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    size = work()
    seconds = time.perf_counter() - started
    traced = ""
    if trace:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        traced = f", peak Python allocations {peak / 2**20:.1f} MiB (traced run)"
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{label}: {seconds:.2f} s, peak RSS {rss:.0f} MiB{traced}, output {size / 1024:.0f} KiB",
        flush=True,
    )
    detail = f"peak RSS {rss:.0f} MiB{traced}, output {size / 1024:.0f} KiB"
    record(label, seconds, "s", floor=floor, detail=detail)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument(
        "--trace-memory", action="store_true", help="also measure Python allocations"
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import translation

    call_command("migrate", verbosity=0)
    build(args.cases)

    from accounts.models import Office
    from reports.services import build_export_pack, build_yearly_report

    office = Office.objects.get(code="BENCHFY")
    translation.activate("th")
    measure(
        f"yearly report PDF, {args.cases} cases",
        lambda: len(build_yearly_report(office, FISCAL_YEAR)),
        trace=args.trace_memory,
        floor=10.0,
    )
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "pack.zip"
        measure(
            f"export pack ZIP, {args.cases} cases",
            lambda: build_export_pack(office, FISCAL_YEAR, target) or target.stat().st_size,
            trace=args.trace_memory,
        )


if __name__ == "__main__":
    main()
