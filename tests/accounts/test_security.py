"""Sign-in throttling, security headers and the deployment check under production settings."""

from __future__ import annotations

import datetime
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import LoginFailure

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def sign_in(client, username, password, address="10.0.0.1"):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_five_wrong_passwords_lock_the_name_even_for_the_right_one(client, people, settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    for _ in range(5):
        assert sign_in(client, "staff", "wrong").status_code == 200
    response = sign_in(client, "staff", "x")
    assert response.status_code == 200
    assert "กรุณารอ 15 นาที" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Other people are not affected.
    assert sign_in(client, "head", "x").status_code == 302


def test_the_lock_lifts_after_the_window(client, people, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    for _ in range(2):
        sign_in(client, "Staff ", "wrong")
    assert sign_in(client, "staff", "x").status_code == 200
    LoginFailure.objects.update(at=timezone.now() - datetime.timedelta(minutes=16))
    assert sign_in(client, "staff", "x").status_code == 302
    assert not LoginFailure.objects.filter(username="staff").exists()


def test_a_success_clears_earlier_failures(client, people, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    sign_in(client, "staff", "wrong")
    sign_in(client, "staff", "wrong")
    assert sign_in(client, "staff", "x").status_code == 302
    client.logout()
    sign_in(client, "staff", "wrong")
    sign_in(client, "staff", "wrong")
    assert sign_in(client, "staff", "x").status_code == 302


def test_one_address_guessing_many_names_is_locked(client, people, settings):
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 4
    for name in ("a", "b", "c", "d"):
        sign_in(client, name, "wrong", address="10.9.9.9")
    assert sign_in(client, "staff", "x", address="10.9.9.9").status_code == 200
    assert sign_in(client, "staff", "x", address="10.9.9.8").status_code == 302


def test_behind_a_proxy_the_forwarded_client_counts(client, people, settings):
    settings.USE_X_FORWARDED_FOR = True
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 2
    for name in ("a", "b"):
        client.post(
            reverse("accounts:login"),
            {"username": name, "password": "wrong"},
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    assert set(LoginFailure.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}


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
