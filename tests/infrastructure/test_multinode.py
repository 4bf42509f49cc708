"""Two web nodes, one PostgreSQL, one Redis, one S3-compatible store: a file uploaded through
one node downloads through the other.

The test starts moto's S3 server on a free local port and two gunicorn processes on two more,
both with the production settings module pointed at this test's PostgreSQL database (committed
rows: a transactional test), the suite's Redis and that S3 endpoint; each node has a MEDIA_ROOT
of its own that must stay empty. A school user signs in on node 1 and files a repair request
with a photo; node 2, given only the same cookies, shows the ticket and serves the photo's
bytes from the bucket. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
import requests
from django.conf import settings
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.db import connection
from django.urls import reverse

from processes.definitions import definition_import
from repairs.models import RepairTicket, TicketAttachment

ROOT = Path(__file__).resolve().parents[2]
REPAIR_FIXTURE = ROOT / "fixtures" / "processes" / "repair-ticket.json"
BUCKET = "portal-nodes"
SECRET = "multinode-test-secret-" + "x" * 40  # both nodes sign cookies with the same key

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not settings.REDIS_URL and os.environ.get("CI") != "true",
        reason="needs Redis (set REDIS_URL): sessions are shared through it",
    ),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(condition, what: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def _database_url() -> str:
    db = connection.settings_dict  # the test database, not the one in the settings file
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db.get('USER') or 'postgres'}{password}@{db.get('HOST') or '127.0.0.1'}"
        f":{db.get('PORT') or 5432}/{db['NAME']}"
    )


class Node:
    """One web node: gunicorn with the production settings, on a port of its own."""

    def __init__(self, name: str, s3_endpoint: str, media_root: Path, log: Path) -> None:
        self.name = name
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.media_root = media_root
        self.log = log
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "PORTAL_", "AWS_", "CELERY_"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            DJANGO_SECRET_KEY=SECRET,
            PORTAL_FIELD_KEY=SECRET + "-fields",
            DATABASE_URL=_database_url(),
            REDIS_URL=settings.REDIS_URL,
            PORTAL_S3_BUCKET=BUCKET,
            AWS_S3_ENDPOINT_URL=s3_endpoint,
            AWS_S3_REGION_NAME="us-east-1",
            AWS_ACCESS_KEY_ID="testing",
            AWS_SECRET_ACCESS_KEY="testing",
            MEDIA_ROOT=str(media_root),
            STATIC_MANIFEST="false",  # no collectstatic in a test
            # Notifications are delivered inside the request: no worker here, and nothing left
            # queued in the suite's Redis for another test's worker.
            CELERY_TASK_ALWAYS_EAGER="true",
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        )
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "config.wsgi"),
                *("--bind", f"127.0.0.1:{self.port}", "--workers", "1", "--timeout", "120"),
                "--no-control-socket",  # one per user by default: two nodes would share it
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log.open("ab"),
        )

    def answers(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"{self.name} exited:\n{self.log_tail()}")
        try:
            # The first request loads Django in the worker: give it time.
            return requests.get(self.url + reverse("accounts:login"), timeout=30).ok
        except requests.ConnectionError:
            return False

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]+)"', html)
    assert match, f"no {name} in the page"
    return match.group(1)


@pytest.fixture
def s3_server():
    """moto's S3 server on a free local port, with the bucket both nodes use."""
    import boto3
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=BUCKET)
    try:
        yield endpoint, client
    finally:
        server.stop()


@pytest.mark.django_db(transaction=True)
def test_a_file_uploaded_on_one_node_downloads_on_the_other(s3_server, people, tmp_path, settings):
    if connection.vendor != "postgresql":
        pytest.skip("two web processes need a database server")
    definition_import(json.loads(REPAIR_FIXTURE.read_text("utf-8")))
    # The nodes run the production settings, which know no test-speed MD5 hashes.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    teacher = people["school_user"]
    teacher.set_password("x")
    teacher.save(update_fields=["password"])
    endpoint, s3 = s3_server
    nodes = [
        Node(name, endpoint, tmp_path / f"{name}-media", tmp_path / f"{name}.log")
        for name in ("node1", "node2")
    ]
    node1, node2 = nodes
    try:
        for node in nodes:
            _wait_for(node.answers, f"{node.name} to start")

        # Node 1: sign in as the school's teacher and file a repair request with a photo.
        browser = requests.Session()
        login = node1.url + reverse("accounts:login")
        page = browser.get(login, timeout=30)
        response = browser.post(
            login,
            data={
                "csrfmiddlewaretoken": _hidden(page.text, "csrfmiddlewaretoken"),
                "username": teacher.username,
                "password": "x",
            },
            headers={"Referer": login},
            allow_redirects=False,
            timeout=30,
        )
        assert response.status_code == 302, node1.log_tail()
        photo = b"\xff\xd8\xff\xe0" + os.urandom(700 * 1024)
        form_url = node1.url + reverse("repairs:new")
        form = browser.get(form_url, timeout=30)
        assert form.status_code == 200, node1.log_tail()
        response = browser.post(
            form_url,
            data={
                "csrfmiddlewaretoken": _hidden(form.text, "csrfmiddlewaretoken"),
                "form_token": _hidden(form.text, "form_token"),
                "category": "projector",
                "asset_number_text": "7440-001-0001/65",
                "symptom": "โปรเจกเตอร์เปิดไม่ติด",
                "location": "ห้อง ป.6/1",
                "urgency": "high",
                "contact_phone": "081-234-5678",
            },
            files={"files": ("projector.jpg", photo, "image/jpeg")},
            headers={"Referer": form_url},
            allow_redirects=False,
            timeout=60,
        )
        assert response.status_code == 302, node1.log_tail()
        ticket = RepairTicket.objects.get()
        assert response.headers["Location"].endswith(ticket.get_absolute_url())

        # The photo is in the bucket, not on either node's disk.
        attachment = TicketAttachment.objects.get(ticket=ticket)
        stored = s3.get_object(Bucket=BUCKET, Key=attachment.file.name)["Body"].read()
        assert stored == photo
        assert not [p for node in nodes for p in node.media_root.rglob("*") if p.is_file()]

        # The session lives in the shared Redis (and the database) ...
        session_key = browser.cookies["sessionid"]
        assert redis.Redis.from_url(settings.REDIS_URL).exists(f":1:{KEY_PREFIX}{session_key}")

        # ... so node 2, given the same cookies and nothing else, knows the teacher.
        other = requests.Session()
        other.cookies.update(browser.cookies.get_dict())
        page = other.get(node2.url + ticket.get_absolute_url(), timeout=30, allow_redirects=False)
        assert page.status_code == 200, node2.log_tail()
        link = reverse("repairs:attachment", args=[attachment.pk])
        assert f'href="{link}"' in page.text
        download = other.get(node2.url + link, timeout=30, allow_redirects=False)
        assert download.status_code == 200, node2.log_tail()
        assert download.content == photo
        assert download.headers["Content-Disposition"].startswith("attachment;")
        assert "projector.jpg" in download.headers["Content-Disposition"]
        assert download.headers["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in download.headers["Cache-Control"]

        # Without the cookie, node 2 serves nothing.
        anonymous = requests.get(node2.url + link, timeout=30, allow_redirects=False)
        assert anonymous.status_code == 302
        assert reverse("accounts:login") in anonymous.headers["Location"]
    finally:
        for node in nodes:
            node.stop()
