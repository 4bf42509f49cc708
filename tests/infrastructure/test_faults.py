"""Faults: Redis stops while people work, and a Celery worker is killed in the middle of a task.

Both use a Redis server of their own (started from the machine's `redis-server` on a free port),
so stopping it never disturbs the shared one.
"""

from __future__ import annotations

import datetime
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import psycopg2
import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from config.celery_app import app
from processes.models import Notification, Task, TaskNotice
from processes.services import case_start
from processes.tasks import deliver_notifications_task, due_date_pass_task

ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = shutil.which("redis-server")

pytestmark = pytest.mark.skipif(
    REDIS_SERVER is None and os.environ.get("CI") != "true",
    reason="needs the redis-server binary",
)


class RedisServer:
    """A throw-away Redis that keeps nothing on disk, on a port of its own."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> RedisServer:
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                *("--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: _accepts(self.port), "redis to start")
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def _accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        return True
    except OSError:
        return False


def wait_for(condition, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


@contextmanager
def broker(url: str):
    """Point this process's Celery app at `url`, and back afterwards."""
    # Settings are read under the CELERY_ namespace, which wins over the plain key.
    before = app.conf.CELERY_BROKER_URL
    app.conf.CELERY_BROKER_URL = url
    _drop_connections()
    assert app.conf.broker_url == url
    try:
        yield
    finally:
        app.conf.CELERY_BROKER_URL = before
        _drop_connections()


def _drop_connections() -> None:
    """The producer pools keep connections to the previous broker; start them afresh."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.mark.django_db(transaction=True)
def test_pages_work_while_redis_is_down_and_notifications_follow(client, people, plan_definition):
    for person in people.values():
        person.email = f"{person.username}@example.go.th"
        person.save(update_fields=["email"])
    redis = RedisServer().start()
    try:
        with broker(redis.url):
            case = case_start(definition=plan_definition, requester=people["staff"], title="แผน")
            draft = case.tasks.get()
            redis.stop()  # queued messages vanish with it; the outbox rows do not

            client.force_login(people["staff"])
            started = time.monotonic()
            response = client.post(
                reverse("processes:decide", args=[draft.pk]),
                {"outcome": "done", "summary": "ร่างแผน"},
            )
            assert response.status_code == 302
            assert time.monotonic() - started < 8, "a dead broker must not hang the page"
            assert client.get(reverse("processes:my_tasks")).status_code == 200
            assert client.get(case.get_absolute_url()).status_code == 200
            waiting = Notification.objects.filter(status=Notification.Status.PENDING)
            assert waiting.count() >= 2  # the draft's holders and then the group head

            redis.start()
            mail.outbox.clear()
            with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
                deliver_notifications_task.delay()  # what beat does every minute
                wait_for(lambda: not waiting.exists(), "the outbox to drain")
        sent = Notification.objects.filter(status=Notification.Status.SENT)
        assert sent.count() == Notification.objects.count()
        assert set(sent.values_list("attempts", flat=True)) == {1}
        assert len(mail.outbox) == sent.count()
    finally:
        redis.stop()


def _database_url() -> str:
    db = connection.settings_dict  # the test database, not the one in the settings file
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    user = db.get("USER") or "postgres"
    return f"postgres://{user}@{host}:{port}/{db['NAME']}"


def _worker(redis_url: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_SETTINGS")}
    env.update(
        DATABASE_URL=_database_url(),
        REDIS_URL=redis_url,
        CELERY_VISIBILITY_TIMEOUT="2",
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY") or os.urandom(32).hex(),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    return subprocess.Popen(
        [
            *(sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo"),
            *("--loglevel", "INFO", "--without-gossip", "--without-mingle"),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(os.environ.get("FAULT_WORKER_LOG", os.devnull), "ab"),
    )


def _a_pass_waits_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE \"processes_task\"%%'"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_task_finishes_on_retry_without_duplicates(people, plan_definition):
    if connection.vendor != "postgresql":
        pytest.skip("a worker in another process needs a database server")
    for number in range(400):
        case_start(definition=plan_definition, requester=people["staff"], title=f"แผน {number}")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    overdue = Task.objects.filter(status=Task.Status.OPEN)
    overdue.update(due_on=yesterday)
    total = overdue.count()
    breaches = TaskNotice.objects.filter(stage=TaskNotice.Stage.OVERDUE)

    # The pass is one transaction: it is killed while it waits for a row the test holds.
    locker = psycopg2.connect(**connection.get_connection_params())
    with locker.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM processes_task WHERE id = %s FOR UPDATE", [overdue.last().pk]
        )

    redis = RedisServer().start()
    first = _worker(redis.url)
    second = None
    try:
        with broker(redis.url):
            due_date_pass_task.delay()
        wait_for(_a_pass_waits_for_a_lock, "the pass to reach the held row")
        first.send_signal(signal.SIGKILL)  # no warm shutdown, no acknowledgement
        first.wait(timeout=10)
        locker.rollback()
        # All or nothing: the killed pass left no stamp, no notice, no digest.
        assert not overdue.filter(breach_notified_on__isnull=False).exists()
        assert not breaches.exists()

        second = _worker(redis.url)  # takes the unacknowledged message again
        digests = Notification.objects.filter(kind="daily_digest")
        wait_for(
            lambda: (
                not overdue.filter(breach_notified_on__isnull=True).exists() and digests.exists()
            ),
            "the retried pass to finish (stamps, notices and digests commit together)",
            timeout=120,
        )
    finally:
        locker.close()
        for worker in (first, second):
            if worker and worker.poll() is None:
                worker.kill()
                worker.wait(timeout=10)
        redis.stop()
    noticed = list(breaches.values_list("task_id", flat=True))
    assert len(noticed) == len(set(noticed)) == total  # one notice per task, none twice
    assert set(noticed) == set(overdue.values_list("pk", flat=True))
    assert overdue.filter(breach_notified_on__isnull=False).count() == total
    # Everyone who holds the work got one digest for the day, counting every task.
    assert set(digests.values_list("recipient", flat=True)) == {
        people["staff"].pk,
        people["staff2"].pk,
    }
    for digest in digests:
        assert f"เกินกำหนด {total} " in digest.subject or f"{total} overdue" in digest.subject
