"""The signed-in person is read with their office, by the portal's backend, and sessions from
before that backend stay signed in."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.backends import DJANGO_BACKEND, PORTAL_BACKEND, PortalBackend
from accounts.models import RoleCode
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_a_sign_in_through_the_form_is_kept_by_the_portal_backend(client, office):
    make_user(RoleCode.STAFF, office=office, username="somchai", password="pass-1234-word")
    answer = client.post(
        reverse("accounts:login"), {"username": "somchai", "password": "pass-1234-word"}
    )
    assert answer.status_code == 302
    assert client.session[BACKEND_SESSION_KEY] == PORTAL_BACKEND
    assert "somchai" in client.get(reverse("accounts:profile")).text


def test_the_person_comes_with_their_office_in_one_query(office):
    user = make_user(RoleCode.STAFF, office=office)
    with CaptureQueriesContext(connection) as queries:
        loaded = PortalBackend().get_user(user.pk)
        assert loaded.office.name_th == office.name_th
    assert len(queries) == 1


def test_an_inactive_or_missing_person_is_nobody(office):
    user = make_user(RoleCode.STAFF, office=office)
    user.is_active = False
    user.save()
    assert PortalBackend().get_user(user.pk) is None
    assert PortalBackend().get_user(user.pk + 1000) is None


def test_a_session_signed_in_before_the_portal_backend_stays_signed_in(client, office):
    user = make_user(RoleCode.STAFF, office=office)
    client.force_login(user)
    session = client.session
    session[BACKEND_SESSION_KEY] = DJANGO_BACKEND  # as Django's ModelBackend wrote it
    session.save()
    html = client.get(reverse("accounts:profile")).text
    assert user.display_name in html
    assert client.session[BACKEND_SESSION_KEY] == PORTAL_BACKEND
    assert client.session[SESSION_KEY] == str(user.pk)


def test_a_session_of_a_backend_no_longer_listed_signs_nobody_in(client, office):
    user = make_user(RoleCode.STAFF, office=office)
    client.force_login(user)
    session = client.session
    session[BACKEND_SESSION_KEY] = "somewhere.else.Backend"
    session.save()
    answer = client.get(reverse("accounts:profile"))
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse(settings.LOGIN_URL))
