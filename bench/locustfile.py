"""Locust users for bench/pages.py and bench/load_test.py (run by them, not by hand).

BENCH_PAGE picks one page for the page benchmark (every user requests it without pause);
BENCH_PAGE=mix is the load test: school users filing and following repair requests, staff
working their tasks, the director approving, with think time between clicks.
"""

from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path

from locust import HttpUser, between, constant, task

PAGE = os.environ.get("BENCH_PAGE", "bare")
OFFICE = os.environ.get("BENCH_OFFICE", "gen1")
REFERENCES = [
    line.strip()
    for line in Path(os.environ.get("BENCH_REFERENCES", "/dev/null")).read_text().splitlines()
    if line.strip()
]
SCHOOLS = [
    line.strip()
    for line in Path(os.environ.get("BENCH_SCHOOLS", "/dev/null")).read_text().splitlines()
    if line.strip()
]
PASSWORD = "demo1234"
# Signed in by bench/pages.py before measuring: role -> list of session cookies.
SESSIONS = (
    json.loads(Path(os.environ["BENCH_SESSIONS"]).read_text())
    if os.environ.get("BENCH_SESSIONS")
    else {}
)
# A request slower than this is a failure, not a hang: a busy machine does not stop the run.
TIMEOUT = float(os.environ.get("BENCH_TIMEOUT", "30"))
PAGES = {
    "bare": ("", "/bench/bare/"),
    "frame": ("staff", "/bench/frame/"),
    "cached": ("staff", "/bench/cached/?bytes=64000"),
    "my_tasks": ("staff", "/processes/tasks/"),
    "inbox": ("director", "/processes/inbox/"),
    "tickets": ("staff", "/repairs/"),
    "case": ("staff", None),
    "round_board": ("staff", None),
    "loans_calendar": ("staff", "/loans/calendar/"),
    "home": ("staff", "/"),
}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def log_in(user: HttpUser, username: str) -> None:
    page = user.client.get("/login/", name="login form")
    token = CSRF.search(page.text).group(1)
    response = user.client.post(
        "/login/",
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{user.host}/login/"},
        name="login",
        allow_redirects=False,
    )
    if response.status_code != 302:
        raise RuntimeError(f"{username} could not sign in ({response.status_code})")


def staff_name(role: str) -> str:
    number = random.randint(1, 20) if role == "staff" else 1
    return f"{OFFICE}-{role}-{number}"


_ready = {"users": 0}


class PageUser(HttpUser):
    """One page, as fast as the server answers: throughput and latency of that page.

    Signing in (a deliberately slow password hash) is not what is measured: bench/pages.py
    signs everyone in before the window and passes their session cookies (BENCH_SESSIONS);
    without them (run by hand) the users sign in here and the statistics start afresh once
    the last one has.
    """

    wait_time = constant(0)

    def on_start(self) -> None:
        role, self.path = PAGES[PAGE]
        if role and SESSIONS.get(role):
            for name, value in random.choice(SESSIONS[role]).items():
                self.client.cookies.set(name, value)
        elif role:
            log_in(self, staff_name(role))
        _ready["users"] += 1
        if _ready["users"] == self.environment.runner.target_user_count:
            self.environment.stats.reset_all()

    @task
    def page(self) -> None:
        if PAGE == "case":
            path = f"/processes/cases/{random.choice(REFERENCES)}/"
        elif PAGE == "round_board":
            path = os.environ["BENCH_ROUND_BOARD"]
        else:
            path = self.path
        with self.client.get(
            path, name=PAGE, timeout=TIMEOUT, allow_redirects=False, catch_response=True
        ) as response:
            # A redirect (to the sign-in form) would measure the wrong page.
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")


class SchoolUser(HttpUser):
    """A teacher: looks at the school's requests, opens one, now and then files a new one."""

    weight = 6
    wait_time = between(2, 8)

    def on_start(self) -> None:
        self.obec = random.choice(SCHOOLS)
        log_in(self, f"{OFFICE}-{self.obec}-school_user")

    @task(5)
    def my_requests(self) -> None:
        self.client.get("/repairs/", name="school: repair list")

    @task(2)
    def home(self) -> None:
        self.client.get("/", name="school: home")

    @task(1)
    def file_request(self) -> None:
        form = self.client.get("/repairs/new/", name="school: request form")
        token = CSRF.search(form.text).group(1)
        with self.client.post(
            "/repairs/new/",
            {
                "csrfmiddlewaretoken": token,
                "category": "computer",
                "symptom": "เครื่องคอมพิวเตอร์เปิดไม่ติด (ทดสอบโหลด)",
                "location": "ห้องคอมพิวเตอร์",
                "asset_number_text": "7440-001-0001/66",
                "urgency": "normal",
                "contact_phone": "0800000000",
            },
            headers={"Referer": f"{self.host}/repairs/new/"},
            name="school: file request",
            catch_response=True,
        ) as response:
            # Filed means redirected to the new ticket; the form shown again is a failure.
            if "/repairs/tickets/" not in response.url:
                response.failure("the request was not filed")


class StaffUser(HttpUser):
    """An ICT officer: my tasks, a case, the desk."""

    weight = 3
    wait_time = between(2, 6)

    def on_start(self) -> None:
        log_in(self, staff_name("staff"))

    @task(4)
    def my_tasks(self) -> None:
        self.client.get("/processes/tasks/", name="staff: my tasks")

    @task(3)
    def case(self) -> None:
        self.client.get(f"/processes/cases/{random.choice(REFERENCES)}/", name="staff: case")

    @task(2)
    def desk(self) -> None:
        self.client.get("/repairs/?status=open", name="staff: repair desk")


class DirectorUser(HttpUser):
    """The director: the approvals inbox, approving what waits there."""

    weight = 1
    wait_time = between(3, 10)

    def on_start(self) -> None:
        log_in(self, staff_name("director"))

    @task(3)
    def inbox(self) -> None:
        self.client.get("/processes/inbox/", name="director: inbox")

    @task(1)
    def approve_one(self) -> None:
        inbox = self.client.get("/processes/inbox/", name="director: inbox")
        match = re.search(r'action="(/processes/tasks/(\d+)/decide/)[^"]*"', inbox.text)
        token = CSRF.search(inbox.text)
        if not match or not token:
            return
        self.client.post(
            match.group(1),
            {"csrfmiddlewaretoken": token.group(1), "outcome": "approve", "comment": ""},
            headers={"Referer": f"{self.host}/processes/inbox/"},
            name="director: approve",
        )


if PAGE != "mix":
    # The page benchmark runs PageUser only; locust picks user classes from module globals.
    del SchoolUser, StaffUser, DirectorUser
else:
    del PageUser
