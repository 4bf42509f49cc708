"""Benchmark: open a data round for 30,000 schools and import 1,000,000 student rows.

    createdb -h 127.0.0.1 -U postgres ict_wt6
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ict_wt6 \
        .venv/bin/python bench/dmc_round.py --schools 30000 --students 1000000

Use an empty database of its own: it is migrated and filled. Builds an office with N schools
(one school user each), writes a CSV export of M student rows to a temporary folder (about 1 %
with a bad check digit, a few students listed by two schools), then times, in this process:

  open    `round_open`: one case, task, audit event and notification per school
  import  `import_run`: the Celery job itself, called directly in a process of its own (as a
          worker runs it, without the office this script built in memory): streaming read,
          checks, sealing and COPY in one transaction, findings, totals

and prints the wall time and the peak resident memory (VmHWM) of each phase's process,
next to the CSV's size, so one can see that the import does not hold the file in memory.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import sys
import tempfile
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
os.environ.setdefault("STATIC_MANIFEST", "false")
# The import's own process (--import-only) reads the file the parent wrote, in the same folder.
MEDIA = Path(os.environ.get("DMC_BENCH_MEDIA") or tempfile.mkdtemp(prefix="dmc-bench-"))
os.environ["MEDIA_ROOT"] = os.environ["DMC_BENCH_MEDIA"] = str(MEDIA)


def peak_mb() -> float:
    """This program's peak resident memory. VmHWM belongs to the program's own address space;
    ru_maxrss would carry over the parent's peak across fork and exec on Linux, so the import's
    process would report the benchmark's 250 MB of schools as its own."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def with_check_digit(first12: str) -> str:
    total = sum(int(d) * (13 - i) for i, d in enumerate(first12))
    return first12 + str((11 - total % 11) % 10)


def build(n_schools: int):
    import json

    from django.db import transaction

    from accounts.models import Office, Role, School, User
    from processes.definitions import definition_import

    for code in ("dmc-round", "dmc-round-ack"):
        definition_import(
            json.loads((ROOT / "fixtures" / "processes" / f"{code}.json").read_text("utf-8"))
        )
    with transaction.atomic():
        office = Office.objects.create(code="BENCH-DMC", name_th="สพป.ทดสอบรอบข้อมูล", kind="primary")
        schools = School.objects.bulk_create(
            (
                School(
                    office=office,
                    obec_code=f"17{i:08d}",
                    smis_code=f"7{i:07d}",
                    name_th=f"โรงเรียนบ้านทดสอบ {i}",
                    district=f"อำเภอ {i % 20}",
                )
                for i in range(n_schools)
            ),
            batch_size=5000,
        )
        users = User.objects.bulk_create(
            (
                User(username=f"school-{s.obec_code}", password="!", office=office, school=s)
                for s in schools
            ),
            batch_size=5000,
        )
        school_role = Role.objects.get(code="school_user")
        User.roles.through.objects.bulk_create(
            (User.roles.through(user_id=u.pk, role_id=school_role.pk) for u in users),
            batch_size=5000,
        )
        staff = User.objects.create(username="bench-dmc-staff", password="!", office=office)
        staff.roles.add(Role.objects.get(code="staff"))
    return office, schools, staff


def write_export(path: Path, schools, n_students: int) -> None:
    rng = random.Random(2569)
    grades = ["ป.1", "ป.2", "ป.3", "ป.4", "ป.5", "ป.6"]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["รหัสโรงเรียน", "เลขประจำตัวประชาชน", "ชื่อ", "นามสกุล", "ชั้น", "เพศ", "วันเกิด"])
        for n in range(n_students):
            school = schools[n % len(schools)]
            grade = rng.randrange(6)
            national_id = with_check_digit(f"1{n:011d}")
            if n % 100 == 7:  # a mistyped last digit
                national_id = national_id[:12] + str((int(national_id[12]) + 1) % 10)
            if n % 1000 == 11:  # the same student listed by the neighbouring school too
                national_id = with_check_digit(f"1{n - 1:011d}")
            birth_year = 2026 - 7 - grade + 543
            writer.writerow(
                [
                    school.obec_code,
                    national_id,
                    f"นักเรียน{n}",
                    "ทดสอบ",
                    grades[grade],
                    "ช" if n % 2 else "ญ",
                    f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{birth_year}",
                ]
            )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--schools", type=int, default=30_000)
    parser.add_argument("--students", type=int, default=1_000_000)
    parser.add_argument("--import-only", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.import_only:  # the child process below: one import, then its figures as JSON
        import json

        import django

        django.setup()
        from dmc_emis.services import import_run

        began = time.perf_counter()
        outcome = import_run(import_id=args.import_only)
        print(
            json.dumps(
                {"outcome": outcome, "seconds": time.perf_counter() - began, "peak": peak_mb()}
            )
        )
        return
    import datetime

    import django
    from django.core.management import call_command

    django.setup()
    from django.conf import settings
    from django.db import connection

    from dmc_emis.models import DataImport, Finding, Round, StudentRecord
    from dmc_emis.services import round_open

    print(f"database: {connection.vendor} {settings.DATABASES['default']['NAME']}", flush=True)
    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    office, schools, staff = build(args.schools)
    print(
        f"built {args.schools} schools and users in {time.perf_counter() - began:.1f} s", flush=True
    )
    export = MEDIA / "dmc_imports" / "bench.csv"
    export.parent.mkdir(parents=True)
    began = time.perf_counter()
    write_export(export, schools, args.students)
    size_mb = export.stat().st_size / 1024 / 1024
    print(
        f"wrote {args.students} rows ({size_mb:.0f} MB) in {time.perf_counter() - began:.1f} s",
        flush=True,
    )
    del schools
    baseline = peak_mb()
    print(f"peak RSS before the measured phases: {baseline:.0f} MB", flush=True)

    data_round = Round.objects.create(
        office=office,
        kind="dmc_term1",
        academic_year=2569,
        title="ข้อมูลนักเรียน DMC ภาคเรียนที่ 1 ปีการศึกษา 2569",
        opens_on=datetime.date(2026, 5, 11),
        deadline_on=datetime.date(2026, 6, 10),
    )
    began = time.perf_counter()
    opened = round_open(round_=data_round, user=staff)
    opening = time.perf_counter() - began
    print(f"open:   {opened} schools in {opening:.1f} s; peak RSS {peak_mb():.0f} MB", flush=True)
    record(f"DMC round opened for {args.schools:,} schools", opening, "s", floor=10.0)

    data_import = DataImport.objects.create(
        round=data_round,
        file="dmc_imports/bench.csv",
        original_name="bench.csv",
        file_format="csv",
        file_size=export.stat().st_size,
        uploaded_by=staff,
    )
    import json
    import subprocess

    child = subprocess.run(
        [sys.executable, __file__, "--import-only", str(data_import.pk)],
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    outcome, elapsed, import_peak = figures["outcome"], figures["seconds"], figures["peak"]
    data_import.refresh_from_db()
    rate = data_import.rows_read / elapsed if elapsed else 0.0
    rows = f"{data_import.rows_read:,} rows ({size_mb:.0f} MB CSV), outcome {outcome}"
    record("DMC import throughput", rate, "rows/s", floor=100_000, higher=True, detail=rows)
    record(
        "DMC import, peak RSS of the process",
        import_peak,
        "MB",
        floor=256,
        detail=f"{rows}; the import's own process, as a worker runs it",
    )
    print(
        f"import: {outcome}, {data_import.rows_read} rows in {elapsed:.1f} s"
        f" ({data_import.rows_read / elapsed:,.0f} rows/s); peak RSS {import_peak:.0f} MB"
        f" (file {size_mb:.0f} MB)",
        flush=True,
    )
    print(
        f"        {StudentRecord.objects.filter(round=data_round, is_current=True).count()}"
        " students stored,"
        f" {Finding.objects.filter(entry__round=data_round).count()} findings",
        flush=True,
    )


if __name__ == "__main__":
    main()
