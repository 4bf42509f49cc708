"""Two offices, schools in each, and a logged-in superuser for the admin pages."""

from __future__ import annotations

import pytest

from tests.factories import OfficeFactory, SchoolFactory, UserFactory, get_role


@pytest.fixture
def office(db):
    return OfficeFactory(code="1057", name_th="สพป.เชียงราย เขต 1", province="เชียงราย")


@pytest.fixture
def other_office(db):
    return OfficeFactory(code="1058", name_th="สพป.เชียงราย เขต 2", province="เชียงราย")


@pytest.fixture
def school_a(office):
    return SchoolFactory(office=office, name_th="โรงเรียนบ้านดู่")


@pytest.fixture
def school_b(office):
    return SchoolFactory(office=office, name_th="โรงเรียนบ้านนางแล")


@pytest.fixture
def foreign_school(other_office):
    return SchoolFactory(office=other_office, name_th="โรงเรียนบ้านแม่สาย")


@pytest.fixture
def superuser(office):
    return UserFactory(
        username="root", office=office, is_superuser=True, is_staff=True, roles=["admin"]
    )


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def roles(db):
    """Role rows by code: `roles["staff"]`."""
    codes = [
        "school_user",
        "school_director",
        "staff",
        "group_head",
        "deputy_director",
        "director",
        "admin",
    ]
    return {code: get_role(code) for code in codes}
