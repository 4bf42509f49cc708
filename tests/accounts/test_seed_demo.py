"""`manage.py seed_demo`: a believable office with one login per role, safe to run again."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.demo import SCHOOLS, demo_logins
from accounts.models import Office, School, User
from accounts.selectors import home_role, schools_visible_to

pytestmark = pytest.mark.django_db

EXPECTED_ROLES = {
    "admin": {"admin"},
    "director": {"director"},
    "deputy": {"deputy_director"},
    "grouphead": {"group_head"},
    "staff1": {"staff"},
    "staff2": {"staff"},
    "school1": {"school_user"},
    "school2": {"school_user"},
    "schooldir1": {"school_director"},
}


def seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def snapshot():
    return (
        list(Office.objects.values().order_by("pk")),
        list(School.objects.values().order_by("pk")),
        list(User.objects.values().order_by("pk")),
        sorted(User.roles.through.objects.values_list("user_id", "role_id")),
    )


def test_seed_demo_builds_the_office_schools_and_users():
    output = seed()
    office = Office.objects.get(code="1057")
    assert office.short_name == "สพป.เชียงราย เขต 1"
    assert office.kind == Office.Kind.PRIMARY
    assert office.province == "เชียงราย"

    schools = School.objects.filter(office=office)
    assert schools.count() >= 30
    assert len({s.obec_code for s in schools}) == schools.count()
    for school in schools:
        school.full_clean()  # 10- and 8-digit codes, required fields
        assert school.name_th.startswith("โรงเรียน")
    prefixes = ("โรงเรียนบ้าน", "โรงเรียนวัด", "โรงเรียนชุมชน", "โรงเรียนอนุบาล")
    assert all(any(s.name_th.startswith(p) for s in schools) for p in prefixes)
    assert len({s.district for s in schools}) >= 3

    users = {u.username: u for u in User.objects.all()}
    assert set(users) == set(EXPECTED_ROLES)
    for username, roles in EXPECTED_ROLES.items():
        user = users[username]
        assert set(user.roles.values_list("code", flat=True)) == roles, username
        assert user.check_password("demo1234"), username
        assert user.office == office
        assert user.title in ("นาย", "นาง", "นางสาว")
        assert user.first_name and user.last_name and user.position
    assert users["admin"].is_superuser and users["admin"].is_staff
    assert not users["director"].is_superuser
    assert home_role(users["director"]) == "director"

    school1, school2 = users["school1"].school, users["school2"].school
    assert school1 is not None and school2 is not None and school1 != school2
    assert users["schooldir1"].school == school1
    assert list(schools_visible_to(users["school1"])) == [school1]
    for username in ("admin", "director", "deputy", "grouphead", "staff1", "staff2"):
        assert users[username].school is None

    for login in demo_logins():
        assert login.username in output
        assert login.role_th in output
    assert school1.name_th in output


def test_seed_demo_is_idempotent():
    seed()
    before = snapshot()
    seed()
    assert snapshot() == before


def test_seed_demo_password_option_and_reset(client):
    seed("--password", "another-pass")
    assert User.objects.get(username="staff1").check_password("another-pass")
    seed()  # existing users keep their password
    assert User.objects.get(username="staff1").check_password("another-pass")
    seed("--reset-passwords")
    assert User.objects.get(username="staff1").check_password("demo1234")
    response = client.post(
        reverse("accounts:login"), {"username": "school2", "password": "demo1234"}
    )
    assert response.status_code == 302


def test_demo_logins_match_what_is_seeded():
    logins = demo_logins()
    assert [login.username for login in logins] == list(EXPECTED_ROLES)
    assert {login.role for login in logins} == set().union(*EXPECTED_ROLES.values())
    seed()
    for login in logins:
        user = User.objects.get(username=login.username)
        assert login.school == (user.school.name_th if user.school else "")
        assert login.role in user.role_codes


def test_demo_school_list_has_at_least_thirty_distinct_names():
    names = [row[0] for row in SCHOOLS]
    assert len(names) >= 30
    assert len(set(names)) == len(names)
