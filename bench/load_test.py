"""Load test: 200 simulated people for 10 minutes on loopback, against PostgreSQL and Redis.

    REDIS_URL=redis://127.0.0.1:6379/5 .venv/bin/python bench/load_test.py
    REDIS_URL=redis://127.0.0.1:6379/5 .venv/bin/python bench/load_test.py --users 50 --minutes 2

School users look at and file repair requests, staff work their tasks and cases, the director
approves from the inbox (bench/locustfile.py, BENCH_PAGE=mix), with think time between clicks.
The portal runs as in production: gunicorn, a Celery worker on Redis delivering the outbox.
Afterwards it checks that nothing was lost: every repair request that got a success answer is
in the database, and the notification outbox drains to empty. Prints requests, failures,
throughput and latency per kind of request, and exits non-zero on any error or loss.
"""

from __future__ import annotations

import argparse
import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

# bench/ is a folder of scripts, not a package: import the page benchmark's helpers by path.
from pages import (
    DEFAULT_DB,
    ROOT,
    bench_env,
    bench_venv,
    ensure_database,
    free_port,
    prepare_data,
    shell,
    start_gunicorn,
)

FILED = (
    "from repairs.models import RepairTicket\n"
    "print(RepairTicket.objects.filter(symptom__contains='ทดสอบโหลด').count())"
)
OUTBOX = (
    "from processes.models import Notification as N\n"
    "print(N.objects.filter(status='pending').count(), N.objects.filter(status='failed').count())"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--schools", type=int, default=500)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    if not os.environ.get("REDIS_URL"):
        raise SystemExit("Set REDIS_URL: the load test runs the worker on Redis, as production.")

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    ensure_database(url)
    env = bench_env(url)
    references, schools = prepare_data(env, args.cases, args.schools)
    filed_before = int(shell(env, FILED).split()[-1])
    locust = bench_venv()
    out = ROOT / "var" / "bench"
    port = free_port()
    worker = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "celery"), "-A", "config", "worker", "--loglevel", "WARNING"],
        cwd=ROOT,
        env=env,
    )
    server = start_gunicorn(env, port, args.workers)
    started = time.monotonic()
    try:
        subprocess.run(
            [
                *(str(locust), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless"),
                *("-u", str(args.users), "-r", "10", "-t", f"{int(args.minutes * 60)}s"),
                *("--host", f"http://127.0.0.1:{port}", "--csv", str(out / "load")),
                *("--only-summary", "--loglevel", "WARNING"),
            ],
            env={
                **env,
                "BENCH_PAGE": "mix",
                "BENCH_REFERENCES": str(references),
                "BENCH_SCHOOLS": str(schools),
            },
            check=False,
        )
        elapsed = time.monotonic() - started
        # Let the worker drain what the last minutes queued.
        deadline = time.monotonic() + 300
        while True:
            outbox = shell(env, OUTBOX).strip().splitlines()[-1]
            pending, failed = map(int, outbox.split())
            if pending == 0 or time.monotonic() > deadline:
                break
            time.sleep(5)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)

    with open(out / "load_stats.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    filed_now = int(shell(env, FILED).split()[-1])
    print(f"\n{args.users} users for {elapsed / 60:.1f} min; gunicorn {args.workers} workers")
    print(f"{'request':<28} {'count':>7} {'fail':>5} {'req/s':>7} {'p50':>6} {'p95':>6}")
    for row in rows:
        print(
            f"{row['Name'][:28]:<28} {row['Request Count']:>7} {row['Failure Count']:>5}"
            f" {float(row['Requests/s']):>7.1f} {row['50%']:>6} {row['95%']:>6}"
        )
    by_name = {row["Name"]: row for row in rows}
    filed_ok = int(by_name.get("school: file request", {}).get("Request Count", 0)) - int(
        by_name.get("school: file request", {}).get("Failure Count", 0)
    )
    failures = int(by_name["Aggregated"]["Failure Count"])
    stored = filed_now - filed_before
    # Requests still in flight when locust stops are completed by the server but never
    # answered to locust, so the store may hold a few more than were answered; never fewer.
    lost = max(0, filed_ok - stored)
    print(f"repair requests answered {filed_ok}, stored {stored}, lost {lost}")
    print(f"notifications still pending {pending}, failed {failed}")
    if failures or lost or pending or failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
