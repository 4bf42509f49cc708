"""Benchmark: the main pages under load, served by gunicorn on loopback, against a bare view.

    .venv/bin/python bench/pages.py                      # 200,000 cases, 30 s per page
    .venv/bin/python bench/pages.py --cases 20000 --seconds 10 --users 10

Uses (and fills once) the PostgreSQL database named by BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/ict_bench_pages) with `manage.py generate_data`, starts
gunicorn with the bare ceiling view switched on, then drives each page with locust (installed
in .venv-bench from requirements/bench-lock.txt, so the app's own venv is untouched) for the
given time with the given number of users requesting without pause. Prints, per page, the
throughput, median and p95 latency, failures, and the ratio of its throughput to the bare view
measured in the same run on the same server. Two views of bench mode (config/urls.py) are
measured beside them without a floor: the frame alone (base.html for a signed-in person) and
the least a page served whole from a cache would cost.

Signing in is not measured: before any window opens, this script signs in every person the
pages need (through the real sign-in form, retried on a slow answer) and hands their session
cookies to locust, whose users then only request their page. On a busy machine the server gets
longer to boot, each request a timeout (counted as a failure, not an abort), and a page that
got no answer in its window is measured again with a longer window (twice at most) and, failing
that, reported as unmeasured while the other pages go on. With BENCH_RESULTS=<file> each figure
is also appended there as a JSON line (bench/run_all.sh writes RESULTS.md from them).
"""

from __future__ import annotations

import argparse
import csv
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from results import record  # bench/ is a folder of scripts, not a package

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
BENCH_VENV = ROOT / ".venv-bench"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/ict_bench_pages"
PAGES = [
    "bare",
    "frame",
    "cached",
    "my_tasks",
    "inbox",
    "tickets",
    "case",
    "round_board",
    "loans_calendar",
    "home",
]
# Measured beside the pages, without a floor: what the base template alone reaches (every
# page renders it), and what a page served whole from a per-person cache would reach at best.
REFERENCE_PAGES = {
    "frame": "the frame alone (what every page pays)",
    "cached": "a 64 KB page served whole from a cache, at best",
}
# Who opens each page (as in bench/locustfile.py): the people signed in before measuring.
ROLES = {"director": 1, "staff": 20}
OFFICE = os.environ.get("BENCH_OFFICE", "gen1")
PASSWORD = "demo1234"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ATTEMPTS = 3
COUNT_CASES = (
    "from processes.models import Case\nprint(Case.objects.filter(office__code='GEN1').count())"
)
SOME_REFERENCES = (
    "from processes.models import Case\n"
    "cases = Case.objects.filter(office__code='GEN1').order_by('?')\n"
    "print('\\n'.join(cases.values_list('reference', flat=True)[:2000]))"
)
ROUND_BOARD = (
    "from dmc_emis.models import Round\n"
    "r = Round.objects.filter(office__code='GEN1').order_by('-deadline_on').first()\n"
    "print(r.get_absolute_url() if r else '')"
)
SCHOOL_CODES = (
    "from accounts.models import School\n"
    "schools = School.objects.filter(office__code='GEN1')\n"
    "print('\\n'.join(schools.values_list('obec_code', flat=True)))"
)


def bench_venv() -> Path:
    """The load tool in a venv of its own, installed from its lock once."""
    locust = BENCH_VENV / "bin" / "locust"
    if not locust.exists():
        subprocess.run([sys.executable, "-m", "venv", str(BENCH_VENV)], check=True)
        subprocess.run(
            [
                *(str(BENCH_VENV / "bin" / "pip"), "install", "--quiet"),
                *(
                    "--disable-pip-version-check",
                    "-r",
                    str(ROOT / "requirements" / "bench-lock.txt"),
                ),
            ],
            check=True,
        )
    return locust


def ensure_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    exists = subprocess.run(
        [
            "psql",
            url.rsplit("/", 1)[0] + "/postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname='{name}'",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(
            ["psql", url.rsplit("/", 1)[0] + "/postgres", "-c", f'CREATE DATABASE "{name}"'],
            check=True,
        )


def manage(env: dict, *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [str(PYTHON), "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=capture,
        text=True,
    )
    return result.stdout if capture else ""


def shell(env: dict, code: str) -> str:
    """What `code` prints, and nothing else: without --no-imports Django's shell first prints
    how many objects it imported, and that line ended up among the references and the school
    codes (a case page asked for it answered 404, a teacher with it could not sign in)."""
    return manage(env, "shell", "--no-imports", "-c", code, capture=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_locust(
    locust: Path, env: dict, host: str, page: str, users: int, seconds: int, out: Path
) -> dict | None:
    """One page's window; on no answer at all (a machine too busy), again with a longer
    window, and None after ATTEMPTS windows rather than aborting the other pages."""
    prefix = out / page
    for attempt in range(1, ATTEMPTS + 1):
        window = seconds * attempt
        try:
            subprocess.run(
                [
                    *(str(locust), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless"),
                    *("-u", str(users), "-r", str(users), "-t", f"{window}s", "--host", host),
                    *("--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"),
                    "--stop-timeout",
                    "10",
                ],
                env={**env, "BENCH_PAGE": page},
                check=False,
                stdout=None if os.environ.get("BENCH_VERBOSE") else subprocess.DEVNULL,
                timeout=window + 120,
            )
            with open(f"{prefix}_stats.csv", newline="") as handle:
                rows = {row["Name"]: row for row in csv.DictReader(handle)}
        except (subprocess.TimeoutExpired, OSError) as error:
            print(f"  {page}: attempt {attempt} failed ({error})", flush=True)
            continue
        row = rows.get(page)
        if row is not None and int(row["Request Count"]) > int(row["Failure Count"]):
            return {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]),
                "p50": float(row["50%"]),
                "p95": float(row["95%"]),
                "seconds": window,
            }
        print(f"  {page}: no answer in {window} s (attempt {attempt})", flush=True)
    return None


def wait_until_serving(url: str, *, workers: int, limit: float = 300) -> None:
    """Until every worker has booted: a few quick answers in a row. On a busy machine answers
    may never be quick; any answer at all within the limit is then enough to go on."""
    deadline = time.monotonic() + limit
    quick = 0
    answered = False
    while quick < workers * 3:
        if time.monotonic() > deadline:
            if answered:
                print(f"  {url} answers, but slowly: measuring anyway", flush=True)
                return
            raise SystemExit(f"{url} does not answer")
        started = time.monotonic()
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                ok = response.status == 200
        except OSError:
            ok = False
            time.sleep(0.5)
        answered = answered or ok
        quick = quick + 1 if ok and time.monotonic() - started < 0.5 else 0


def _request(port: int, method: str, path: str, **kwargs) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request(method, path, **kwargs)
    return connection.getresponse()


def _cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    pairs = (header.split(";", 1)[0] for header in response.headers.get_all("Set-Cookie") or [])
    return dict(pair.split("=", 1) for pair in pairs if "=" in pair)


def sign_in(port: int, username: str) -> dict[str, str]:
    """The session cookies of one person, through the sign-in form, retried when slow."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            form = _request(port, "GET", "/login/")
            cookies = _cookies(form)
            token = CSRF.search(form.read().decode()).group(1)
            body = urllib.parse.urlencode(
                {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
            )
            cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookie,
                "Referer": f"http://127.0.0.1:{port}/login/",
            }
            answer = _request(port, "POST", "/login/", body=body, headers=headers)
            answer.read()
            if answer.status == 302:
                return {**cookies, **_cookies(answer)}
            raise SystemExit(f"{username} could not sign in ({answer.status})")
        except (OSError, AttributeError) as error:
            print(f"  sign-in of {username}: attempt {attempt} failed ({error})", flush=True)
            time.sleep(2 * attempt)
    raise SystemExit(f"{username} could not sign in after {ATTEMPTS} attempts")


def sign_in_everyone(port: int, out: Path) -> Path:
    """Everyone the pages need, signed in once before any window: role -> list of cookies."""
    sessions = {
        role: [sign_in(port, f"{OFFICE}-{role}-{n}") for n in range(1, count + 1)]
        for role, count in ROLES.items()
    }
    path = out / "sessions.json"
    path.write_text(json.dumps(sessions))
    return path


def bench_env(url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or os.urandom(32).hex(),
        # Run on its own (not from bench/run_all.sh) it still needs one; any will do for a
        # run, as long as every process of the run shares it.
        "PORTAL_FIELD_KEY": os.environ.get("PORTAL_FIELD_KEY") or os.urandom(32).hex(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PORTAL_BENCH_MODE": "true",
        "STATIC_MANIFEST": "false",
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }


def prepare_data(
    env: dict, cases: int, schools: int, *, regenerate: bool = False
) -> tuple[Path, Path]:
    """Migrate, generate the office if its size differs, and list references and schools."""
    manage(env, "migrate", "--verbosity", "0")
    count = shell(env, COUNT_CASES).strip().splitlines()[-1]
    if regenerate or int(count) != cases:
        manage(env, "generate_data", "--cases", str(cases), "--schools", str(schools))
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    references = out / "references.txt"
    references.write_text(shell(env, SOME_REFERENCES))
    school_codes = out / "schools.txt"
    school_codes.write_text(shell(env, SCHOOL_CODES))
    return references, school_codes


def start_gunicorn(env: dict, port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            *(str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi"),
            *("--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning"),
        ],
        cwd=ROOT,
        env=env,
    )
    wait_until_serving(f"http://127.0.0.1:{port}/bench/bare/", workers=workers)
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--schools", type=int, default=500)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--regenerate", action="store_true", help="generate the data again")
    parser.add_argument("--timeout", type=float, default=30, help="seconds per request at most")
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    ensure_database(url)
    env = bench_env(url)
    references, schools = prepare_data(env, args.cases, args.schools, regenerate=args.regenerate)
    out = ROOT / "var" / "bench"
    locust = bench_venv()
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    server = start_gunicorn(env, port, args.workers)
    try:
        sessions = sign_in_everyone(port, out)
        locust_env = {
            **env,
            "BENCH_REFERENCES": str(references),
            "BENCH_SCHOOLS": str(schools),
            "BENCH_SESSIONS": str(sessions),
            "BENCH_TIMEOUT": str(args.timeout),
        }
        board = shell(env, ROUND_BOARD).strip().splitlines()[-1]
        locust_env["BENCH_ROUND_BOARD"] = board
        pages = [p for p in args.pages.split(",") if p != "round_board" or board]
        results: dict[str, dict] = {}
        unmeasured: list[str] = []
        for page in pages:
            measured = run_locust(locust, locust_env, host, page, args.users, args.seconds, out)
            if measured is None:
                print(f"  {page}: NOT measured (no answer in {ATTEMPTS} windows)", flush=True)
                unmeasured.append(page)
                continue
            results[page] = measured
            print(f"  measured {page}", flush=True)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    ceiling = results.get("bare", {}).get("rps") or 0
    print(
        f"\n{args.cases:,} cases, {args.schools} schools; gunicorn {args.workers} workers on "
        f"loopback; locust {args.users} users without pause, {args.seconds} s per page; "
        f"{os.cpu_count()} CPUs"
    )
    print(f"{'page':<12} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'fail':>6} {'of bare':>8}")
    for page, r in results.items():
        ratio = f"{r['rps'] / ceiling:.0%}" if ceiling else "-"
        figures = f"{r['rps']:>8.1f} {r['p50']:>8.0f} {r['p95']:>8.0f} {r['failures']:>6}"
        print(f"{page:<12} {figures} {ratio:>8}")
    for page in unmeasured:
        print(f"{page:<12} not measured")
    size = f"{args.cases:,} cases, {args.users} users, {args.seconds} s"
    for page, r in results.items():
        detail = f"{r['rps']:.1f} req/s, p95 {r['p95']:.0f} ms, {r['failures']} failed; {size}"
        if page == "bare":
            record("pages: bare view (the ceiling)", r["rps"], "req/s", detail=detail)
            continue
        ratio = r["rps"] / ceiling if ceiling else None
        if page in REFERENCE_PAGES:
            # No floor of their own: they show how far a page built one way or another can go.
            record(f"pages: {REFERENCE_PAGES[page]}", ratio, "of bare", detail=detail)
        else:
            record(f"pages: {page}", ratio, "of bare", floor=0.40, higher=True, detail=detail)
    for page in unmeasured:
        record(f"pages: {page}", None, "of bare", floor=0.40, higher=True, detail="no answer")


if __name__ == "__main__":
    main()
