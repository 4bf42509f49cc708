"""Sessions when Redis is configured (core.sessions): in the cache and the database, readable
by any node, and a Redis outage slows pages instead of breaking them."""

from __future__ import annotations

import socket
import uuid

import pytest
import redis
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.urls import reverse

from core.sessions import SessionStore
from tests.s3_storage import settings_probe

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the probe is closed


@pytest.fixture
def cached_sessions(settings):
    """core.sessions over a cache of their own (the local-memory stand-in for Redis)."""
    settings.SESSION_ENGINE = "core.sessions"
    settings.CACHES = {
        **settings.CACHES,
        "sessions": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"sessions-{uuid.uuid4()}",  # empty for each test, nothing to clear
        },
    }
    settings.SESSION_CACHE_ALIAS = "sessions"
    return caches["sessions"]


def cut_redis(settings) -> None:
    """From now on the session cache is a Redis that does not answer."""
    settings.CACHES = {
        **settings.CACHES,
        "sessions": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
    }


def test_with_redis_configured_sessions_use_the_cache_and_the_database():
    engine = "getattr(s, 'SESSION_ENGINE', None)"
    assert settings_probe(engine, REDIS_URL="redis://127.0.0.1:6379/9") == "core.sessions"
    assert settings_probe(engine) is None  # Django's database sessions, for one node


def test_a_session_is_in_both_and_survives_the_cache_being_emptied(cached_sessions, client, people):
    client.force_login(people["staff"])
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    assert cached_sessions.get(SessionStore.cache_key_prefix + key) is not None
    cached_sessions.clear()  # Redis restarted without its data
    assert client.get(reverse("processes:my_tasks")).status_code == 200
    assert SessionStore(key).load()["_auth_user_id"] == str(people["staff"].pk)


def test_pages_still_work_while_the_session_cache_is_unreachable(
    cached_sessions, settings, client, people
):
    client.force_login(people["staff"])
    cut_redis(settings)
    response = client.get(reverse("processes:my_tasks"))
    assert response.status_code == 200
    assert response.context["user"] == people["staff"]


def test_signing_in_works_while_the_session_cache_is_unreachable(
    cached_sessions, settings, client, people
):
    cut_redis(settings)
    response = client.post(reverse("accounts:login"), {"username": "staff", "password": "x"})
    assert response.status_code == 302
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert Session.objects.filter(session_key=key).exists()  # the new key, checked in the DB
    assert client.get(reverse("processes:my_tasks")).context["user"] == people["staff"]


def test_signing_out_while_the_cache_is_unreachable_fails_whole(
    cached_sessions, settings, client, people
):
    client.force_login(people["staff"])
    key = client.session.session_key
    cut_redis(settings)
    with pytest.raises(redis.ConnectionError):
        client.post(reverse("accounts:logout"))
    # Nothing was half done: the database keeps the session, so the stale copy in Redis is
    # never the only one left to come back once Redis does.
    assert Session.objects.filter(session_key=key).exists()
