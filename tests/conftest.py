"""Suite-wide set-up: which database and broker the run uses, and the guard that makes CI loud."""

from __future__ import annotations

import os
import uuid

import pytest
from django.conf import settings

pytest_plugins = ["tests.engine_fixtures", "tests.line_fake", "tests.s3_storage"]


def _services_required() -> bool:
    return os.environ.get("PORTAL_REQUIRE_SERVICES") == "true" or os.environ.get("CI") == "true"


def pytest_report_header(config: pytest.Config) -> list[str]:
    database = settings.DATABASES["default"]
    broker = settings.CELERY_BROKER_URL.split("@")[-1]
    lines = [
        f"ICT Office Portal: database {database['ENGINE'].rsplit('.', 1)[-1]}"
        f" ({database.get('HOST') or database['NAME']}), Celery broker {broker}"
    ]
    if database["ENGINE"].endswith("sqlite3"):
        lines.append("NOTE: running on SQLite; PostgreSQL-only tests are skipped.")
    return lines


def pytest_sessionstart(session: pytest.Session) -> None:
    """Under CI, refuse to run at all unless the real PostgreSQL and Redis answer."""
    if not _services_required():
        return
    problems = []
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        problems.append(f"CI=true but the database engine is {engine}, not PostgreSQL")
    else:
        import psycopg2

        database = settings.DATABASES["default"]
        try:
            psycopg2.connect(
                dbname="postgres",
                user=database.get("USER") or None,
                password=database.get("PASSWORD") or None,
                host=database.get("HOST") or None,
                port=database.get("PORT") or None,
                connect_timeout=5,
            ).close()
        except psycopg2.OperationalError as error:
            problems.append(f"PostgreSQL is not reachable: {error}")
    if not settings.REDIS_URL:
        problems.append("CI=true but REDIS_URL is empty")
    else:
        import redis

        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=5).ping()
        except redis.RedisError as error:
            problems.append(f"Redis is not reachable at {settings.REDIS_URL}: {error}")
    if problems:
        pytest.exit("Required services missing:\n  " + "\n  ".join(problems), returncode=3)


@pytest.fixture(autouse=True)
def _seeded_roles_in_transactional_tests(request):
    """Transactional tests flush the database afterwards, taking the migration-seeded roles with
    it; put them back (with the migration's own function) before each such test."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        return
    import importlib

    from django.apps import apps

    request.getfixturevalue("_django_db_helper")
    importlib.import_module("accounts.migrations.0002_seed_roles").seed_roles(apps, None)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploads made by a test land in its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _thai_language():
    """Every test starts in Thai, the portal's default, whatever the previous test activated."""
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """CalendarDay rows vanish by rollback, which sends no signal: start each test clean."""
    from core.thaitime import clear_calendar_cache

    clear_calendar_cache()
    yield
    clear_calendar_cache()


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings):
    """Public pages count requests per address in the cache: no test inherits another's."""
    settings.RATELIMIT_CACHE_PREFIX = f"rl:{uuid.uuid4().hex}:"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    on_postgres = "postgresql" in settings.DATABASES["default"]["ENGINE"]
    skip_postgres = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL or CI=true)")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip_postgres)
