"""The run really uses the database and broker it claims to, and CI uses the real servers."""

import os
import subprocess
import sys
import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from config.celery_app import app

IN_CI = os.environ.get("CI") == "true"


@pytest.mark.django_db
def test_ci_runs_on_postgresql():
    if not IN_CI and connection.vendor != "postgresql":
        pytest.skip("not CI and no DATABASE_URL: the local run uses SQLite")
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version_num')::int")
        (version,) = cursor.fetchone()
    assert version >= 150000


def test_ci_uses_redis_for_cache_and_broker():
    if not IN_CI and not settings.REDIS_URL:
        pytest.skip("no REDIS_URL: the local run uses the embedded broker")
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    key = f"probe-{uuid.uuid4()}"
    cache.set(key, "ok", 30)
    assert cache.get(key) == "ok"
    import redis

    assert redis.Redis.from_url(settings.REDIS_URL).get(f":1:{key}") is not None


def test_embedded_default_needs_no_server():
    """With neither variable set, settings fall back to SQLite and the file-system broker."""
    probe = (
        "from config import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL,"
        " s.CACHES['default']['BACKEND'])"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    result = subprocess.run(
        [sys.executable, "-c", probe],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    engine, broker, cache_backend = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert broker.startswith("filesystem://")
    assert cache_backend.endswith("LocMemCache")


@app.task(name="tests.infrastructure.remember")
def remember(key: str, value: str) -> None:
    cache.set(key, value, 60)


def test_a_real_worker_runs_a_task_through_the_broker():
    """A message goes through the configured broker (Redis under CI) to a worker and back."""
    key = f"worker-probe-{uuid.uuid4()}"
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        remember.delay(key, "done")
        deadline = time.monotonic() + 20
        while cache.get(key) is None and time.monotonic() < deadline:
            time.sleep(0.05)
    assert cache.get(key) == "done"
