"""The views bench/pages.py measures the pages against exist only in bench mode, and they do
what their figures claim: bare answers without a session, the frame renders base.html for a
signed-in person, the cached page reads who asks and serves a body of the asked size."""

from __future__ import annotations

import importlib

import pytest
from django.urls import clear_url_caches

import config.urls
from accounts.models import RoleCode
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def bench_mode(settings):
    settings.BENCH_MODE = True
    importlib.reload(config.urls)
    clear_url_caches()
    yield
    settings.BENCH_MODE = False
    importlib.reload(config.urls)
    clear_url_caches()


def test_without_bench_mode_there_are_no_bench_views(client):
    assert client.get("/bench/bare/").status_code == 404
    assert client.get("/bench/cached/").status_code == 404


def test_bare_answers_anyone(bench_mode, client):
    response = client.get("/bench/bare/")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_frame_and_cached_page_are_for_signed_in_people(bench_mode, client):
    for url in ("/bench/frame/", "/bench/cached/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login/" in response["Location"]


def test_frame_is_the_base_template_of_the_person(bench_mode, client):
    user = make_user(RoleCode.STAFF, first_name="สมศรี", last_name="ใจดี")
    client.force_login(user)
    response = client.get("/bench/frame/")
    assert response.status_code == 200
    assert 'id="portal-menu"' in response.content.decode()
    assert user.display_name in response.content.decode()


def test_cached_page_serves_the_asked_size_within_bounds(bench_mode, client):
    client.force_login(make_user(RoleCode.STAFF))
    assert len(client.get("/bench/cached/?bytes=5000").content) == 5000
    # Served again from the cache, the same body.
    assert len(client.get("/bench/cached/?bytes=5000").content) == 5000
    assert len(client.get("/bench/cached/").content) == 64_000
    assert len(client.get("/bench/cached/?bytes=junk").content) == 64_000
    assert len(client.get("/bench/cached/?bytes=99999999").content) == 1_000_000
