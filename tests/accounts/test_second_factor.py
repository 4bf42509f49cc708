"""Optional TOTP second factor (django-otp) for administrators, directors and group heads."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def sign_in(client, username):
    return client.post(reverse("accounts:login"), {"username": username, "password": "x"})


@pytest.fixture
def required(settings):
    settings.REQUIRE_SECOND_FACTOR = True


def test_off_by_default_nobody_is_asked(client, people):
    sign_in(client, "director")
    assert client.get(reverse("portal:home")).status_code == 200


@pytest.mark.parametrize("role", ["director", "group_head"])
def test_senior_roles_must_enrol_then_enter_a_code(client, people, required, role):
    username = people[role].username
    sign_in(client, username)
    response = client.get(reverse("processes:my_tasks"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_setup"))

    page = client.get(response["Location"])
    assert page.status_code == 200 and b"<svg" in page.content
    device = TOTPDevice.objects.get(user=people[role], confirmed=False)
    wrong = client.post(reverse("accounts:otp_setup"), {"code": "000000", "next": "/"})
    assert wrong.status_code == 200 and "ไม่ถูกต้อง" in wrong.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # django-otp slows down guessing of codes
    device.throttle_reset()
    done = client.post(reverse("accounts:otp_setup"), {"code": code_for(device), "next": "/"})
    assert done.status_code == 302
    assert client.get(reverse("portal:home")).status_code == 200

    # Next sign-in: a code is asked before anything else, the admin included.
    client.logout()
    sign_in(client, username)
    response = client.get("/admin/")
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    device.refresh_from_db()
    device.last_t = -1
    device.save()
    response = client.post(
        reverse("accounts:otp_verify"), {"code": code_for(device), "next": "/processes/tasks/"}
    )
    assert response.status_code == 302 and response["Location"] == "/processes/tasks/"
    assert client.get(reverse("portal:home")).status_code == 200


def test_the_admin_site_is_behind_the_second_factor(client, admin_user, required):
    client.force_login(admin_user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_setup"))


@pytest.mark.parametrize("role", ["staff", "school_user", "school_director", "deputy_director"])
def test_other_roles_are_not_asked(client, people, required, role):
    client.force_login(people[role])
    assert client.get(reverse("portal:home")).status_code == 200


def test_a_wrong_code_keeps_the_door_shut_and_next_cannot_leave_the_site(client, people, required):
    TOTPDevice.objects.create(user=people["director"], name="TOTP", confirmed=True)
    sign_in(client, "director")
    response = client.post(
        reverse("accounts:otp_verify"), {"code": "12345x", "next": "https://evil.example/"}
    )
    assert response.status_code == 200
    assert "6 หลัก" in response.content.decode()
    assert client.get(reverse("portal:home")).status_code == 302


def test_anyone_may_enrol_from_the_profile(client, people):
    client.force_login(people["staff"])
    assert reverse("accounts:otp_setup") in client.get(reverse("accounts:profile")).content.decode()
    assert client.get(reverse("accounts:otp_setup")).status_code == 200
