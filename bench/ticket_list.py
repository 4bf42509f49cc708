"""Benchmark: the repair desk's ticket list at a large size.

    createdb -h 127.0.0.1 -U postgres ict_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ict_bench \
        .venv/bin/python bench/ticket_list.py --tickets 100000 --requests 200

Builds (once; reused while the count matches) an office with 500 schools and N tickets in the
database named by DATABASE_URL — use a database of its own, it is migrated and filled — then
serves the list in-process through Django's test client, as staff, with the filters a desk
uses, and prints the median and p95 latency and the single-client throughput of each. (That the
number of queries does not depend on N is asserted by tests/repairs/test_tickets.py.)
"""

from __future__ import annotations

import argparse
import os
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
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")
# Measured in-process without collectstatic: plain static storage.
os.environ.setdefault("STATIC_MANIFEST", "false")


def build(n_tickets: int) -> None:
    import json
    import random

    from django.db import transaction

    from accounts.models import Office, Role, School, User
    from processes.definitions import definition_import
    from processes.models import Case
    from repairs.models import Category, Priority, RepairTicket

    if RepairTicket.objects.count() == n_tickets:
        return
    print(f"building {n_tickets} tickets ...", flush=True)
    started = time.perf_counter()
    rng = random.Random(2569)
    with transaction.atomic():
        RepairTicket.objects.all().delete()
        Case.objects.all().delete()
        office, _ = Office.objects.get_or_create(
            code="BENCH", defaults={"name_th": "สพป.ทดสอบสมรรถนะ", "kind": Office.Kind.PRIMARY}
        )
        if not office.schools.exists():
            School.objects.bulk_create(
                School(
                    office=office,
                    obec_code=f"19{i:08d}",
                    smis_code=f"9{i:07d}",
                    name_th=f"โรงเรียนบ้านทดสอบ {i}",
                    district="เมือง",
                )
                for i in range(500)
            )
        staff, created = User.objects.get_or_create(
            username="bench-staff", defaults={"office": office}
        )
        if created:
            staff.roles.add(Role.objects.get(code="staff"))
        path = ROOT / "fixtures" / "processes" / "repair-ticket.json"
        version = definition_import(json.loads(path.read_text("utf-8")))
        schools = list(office.schools.all())
        batch = 5000
        for start in range(0, n_tickets, batch):
            size = min(batch, n_tickets - start)
            cases = Case.objects.bulk_create(
                Case(
                    office=office,
                    version=version,
                    reference=f"RP-2570-{start + i + 1:06d}",
                    title="อุปกรณ์ชำรุด",
                    fiscal_year=2570,
                    requester=staff,
                    school=schools[(start + i) % len(schools)],
                )
                for i in range(size)
            )
            RepairTicket.objects.bulk_create(
                RepairTicket(
                    office=office,
                    school=case.school,
                    case=case,
                    reference=case.reference,
                    requester=staff,
                    category=rng.choice(Category.values),
                    symptom=f"อาการเสียหมายเลข {start + i}",
                    location="ห้องคอมพิวเตอร์",
                    urgency=rng.choice(Priority.values),
                    priority=rng.choice(Priority.values),
                    contact_phone="0800000000",
                    status=rng.choice(RepairTicket.Status.values),
                )
                for i, case in enumerate(cases)
            )
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")  # planner statistics for the freshly loaded rows
    print(f"built in {time.perf_counter() - started:.1f} s", flush=True)


def measure(requests: int, tickets: int) -> None:
    from django.test import Client

    from accounts.models import School, User

    client = Client()
    client.force_login(User.objects.get(username="bench-staff"))
    school = School.objects.filter(office__code="BENCH").order_by("pk")[250]
    cases = {
        "list": "/repairs/",
        "open": "/repairs/?status=open",
        "school": f"/repairs/?school={school.pk}",
        "search": "/repairs/?q=12345",
        "page 100": "/repairs/?page=100",
    }
    print(f"{'page':10} {'median ms':>10} {'p95 ms':>8} {'req/s':>7}")
    for name, url in cases.items():
        assert client.get(url).status_code == 200  # warm up
        timings = []
        for _ in range(requests):
            began = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - began)
            assert response.status_code == 200
        timings.sort()
        median = statistics.median(timings) * 1000
        p95 = timings[int(len(timings) * 0.95) - 1] * 1000
        rate = len(timings) / sum(timings)
        print(f"{name:10} {median:10.1f} {p95:8.1f} {rate:7.1f}", flush=True)
        record(
            f"ticket list (in-process), {name}: median",
            median,
            "ms",
            detail=f"p95 {p95:.0f} ms, {rate:.1f} req/s one client; {tickets:,} tickets",
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    build(args.tickets)
    measure(args.requests, args.tickets)


if __name__ == "__main__":
    main()
