"""Sign-in throttling, security headers and the deployment check under production settings."""

from __future__ import annotations

import datetime
import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.test import Client
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def sign_in(client, username, password, address="10.0.0.1"):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def admin_sign_in(client, username, password, address="10.0.0.1"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_a_guesser_is_paused_but_the_real_user_elsewhere_gets_in(client, people, settings):
    """Five wrong passwords from one address pause that name at that address, with the right
    password too; the same person at another address is not locked out (no denial of service
    on a known username)."""
    settings.AXES_FAILURE_LIMIT = 5
    for _ in range(4):
        assert sign_in(client, "director", "wrong", address="198.51.100.9").status_code == 200
    response = sign_in(client, "director", "wrong", address="198.51.100.9")
    assert response.status_code == 429
    assert "กรุณารอ 15 นาที" in response.content.decode()
    response = sign_in(client, "director", "x", address="198.51.100.9")
    assert response.status_code == 429
    assert not signed_in(client)
    # The director at the office computer still signs in.
    assert sign_in(client, "director", "x", address="10.0.0.1").status_code == 302
    assert signed_in(client)


def test_names_are_counted_whatever_their_case_or_spaces(client, people, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for name in ("Director", " director", "DIRECTOR "):
        sign_in(client, name, "wrong", address="198.51.100.9")
    assert sign_in(client, "director", "x", address="198.51.100.9").status_code == 429


def test_the_admin_sign_in_is_throttled_by_the_same_counter(client, people, settings):
    """The issue's attack: forty wrong passwords on /admin/login/ then the right one."""
    settings.AXES_FAILURE_LIMIT = 5
    people["director"].is_staff = True
    people["director"].save()
    for _ in range(3):
        admin_sign_in(client, "director", "wrong", address="198.51.100.9")
    for _ in range(2):
        sign_in(client, "director", "wrong", address="198.51.100.9")
    response = admin_sign_in(client, "director", "x", address="198.51.100.9")
    assert response.status_code == 429
    assert not signed_in(client)


def test_one_address_guessing_many_names_is_paused(client, people, settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 8
    for index in range(7):
        sign_in(client, f"name{index}", "wrong", address="198.51.100.9")
    # Seven failures over seven names: each pair is far below 5, the address below 8.
    assert sign_in(client, "staff", "x", address="198.51.100.9").status_code == 302
    client.logout()
    sign_in(client, "name7", "wrong", address="198.51.100.9")
    assert sign_in(client, "staff", "x", address="198.51.100.9").status_code == 429
    assert sign_in(client, "staff", "x", address="198.51.100.8").status_code == 302


def test_the_pause_lifts_after_the_window(client, people, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        sign_in(client, "staff", "wrong")
    assert sign_in(client, "staff", "x").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert sign_in(client, "staff", "x").status_code == 302


def test_every_pause_is_logged_and_kept(client, people, settings, caplog):
    settings.AXES_FAILURE_LIMIT = 2
    with caplog.at_level(logging.WARNING, logger="axes"):
        for _ in range(2):
            sign_in(client, "staff", "wrong", address="198.51.100.9")
    assert any("Locking out" in record.getMessage() for record in caplog.records)
    failure_log = AccessFailureLog.objects.filter(username="staff", ip_address="198.51.100.9")
    assert failure_log.filter(locked_out=True).exists()


def test_the_office_admin_lifts_a_pause_from_the_portal(client, people, settings, admin_user):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        sign_in(client, "staff", "wrong")
    assert sign_in(client, "staff", "x").status_code == 429

    admin = Client()
    admin.force_login(admin_user)
    home = admin.get(reverse("portal:home"))
    changelist = reverse("admin:axes_accessattempt_changelist")
    assert changelist in home.content.decode()
    listing = admin.get(changelist)
    assert listing.status_code == 200 and "staff" in listing.content.decode()
    attempt = AccessAttempt.objects.get(username="staff")
    response = admin.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert sign_in(client, "staff", "x").status_code == 302


def test_other_roles_cannot_open_the_pauses(client, people):
    client.force_login(people["director"])
    response = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert response.status_code == 302  # the admin sends non-staff to its sign-in
    client.force_login(people["school_user"])
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 302


def test_behind_a_proxy_the_forwarded_client_counts(client, people, settings):
    settings.USE_X_FORWARDED_FOR = True
    client.post(
        reverse("accounts:login"),
        {"username": "a", "password": "wrong"},
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}


def test_pages_carry_the_security_headers(client):
    response = client.get(reverse("accounts:login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_hsts_is_sent_over_tls_when_configured(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get(reverse("accounts:login"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_check_deploy_is_clean_under_production_settings():
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECURE="true",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="portal.example.go.th",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
