"""Roles and acting orders are read once per request and afresh on the next one.

The page frame, the menu, the home page's panels and the view's own checks all ask what the
signed-in person may do; the user the authentication middleware loads keeps the answer for the
rest of its request (accounts.selectors.remember_authorities). What it must never do is carry an
answer into the next request: an acting order given or revoked shows on the very next page.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Delegation, RoleCode, User
from accounts.selectors import authorities_of, authority_for, remember_authorities
from accounts.services import delegation_create, delegation_revoke
from tests.factories import DelegationFactory, OfficeFactory, get_role, make_user

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
BULK_FORM = 'id="bulk-assign"'


@pytest.fixture
def group_head(office):
    return make_user(RoleCode.GROUP_HEAD, office=office, username="head")


@pytest.fixture
def staff(office):
    return make_user(RoleCode.STAFF, office=office, username="officer")


def acting_order(principal, delegate, role: str, **extra) -> Delegation:
    today = timezone.localdate()
    return delegation_create(
        principal=principal,
        delegate=delegate,
        role=get_role(role),
        starts_on=extra.pop("starts_on", today),
        ends_on=extra.pop("ends_on", today + 3 * DAY),
        order_number="คำสั่ง สพป. ที่ 7/2569",
        actor=principal,
        **extra,
    )


# The one statement --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("starts", "ends", "revoked", "asked"),
    [
        (-2, 2, False, 0),  # in force
        (0, 0, False, 0),  # a one-day order, on its day
        (1, 3, False, 0),  # not yet
        (-3, -1, False, 0),  # over
        (-2, 2, True, 0),  # revoked
        (1, 3, False, 1),  # asked for its first day
        (1, 3, False, 3),  # asked for its last day
        (1, 3, False, 4),  # asked for the day after
    ],
)
def test_the_roles_statement_sees_the_orders_active_on_sees(
    office, staff, group_head, starts, ends, revoked, asked
):
    today = timezone.localdate()
    DelegationFactory(
        principal=group_head,
        delegate=staff,
        role=get_role(RoleCode.GROUP_HEAD),
        starts_on=today + starts * DAY,
        ends_on=today + ends * DAY,
        revoked_at=timezone.now() if revoked else None,
    )
    day = today + asked * DAY
    in_force = Delegation.objects.active_on(day).filter(delegate=staff).exists()
    roles = {a.role for a in authorities_of(staff, on=day)}
    assert roles == ({"staff", "group_head"} if in_force else {"staff"})
    assert (authority_for(staff, RoleCode.GROUP_HEAD, on=day) is not None) == in_force


def test_a_superuser_is_an_administrator_however_the_roles_are_read(office):
    root = make_user(RoleCode.STAFF, office=office, is_superuser=True)
    assert {a.role for a in authorities_of(root)} == {"staff", "admin"}
    again = type(root).objects.get(pk=root.pk)
    assert again.role_codes == {"staff", "admin"}


def test_nobody_without_roles_has_any_authority(office):
    nobody = make_user([], office=office)
    assert authorities_of(nobody) == []
    assert authority_for(nobody, RoleCode.STAFF) is None


# Once per request -----------------------------------------------------------------------------


def test_the_request_user_reads_its_authorities_once_per_day(staff, group_head):
    acting_order(group_head, staff, RoleCode.GROUP_HEAD)
    staff = type(staff).objects.get(pk=staff.pk)  # as loaded for a request
    with CaptureQueriesContext(connection) as loading:
        remember_authorities(staff)
        assert staff.role_codes == {"staff"} and not staff.is_school_side
    with CaptureQueriesContext(connection) as first:
        authorities = authorities_of(staff)
    with CaptureQueriesContext(connection) as again:
        assert authorities_of(staff) == authorities
        assert authority_for(staff, RoleCode.GROUP_HEAD).principal == group_head
        assert authority_for(staff, RoleCode.DIRECTOR) is None
    assert len(loading) == 1  # the own roles, with whether an order is in force today
    assert len(first) == 1  # the orders, since there is one
    assert len(again) == 0
    # Another day is another question.
    with CaptureQueriesContext(connection) as next_week:
        assert {a.role for a in authorities_of(staff, on=timezone.localdate() + 7 * DAY)} == {
            "staff"
        }
    assert len(next_week) == 1


def test_without_an_acting_order_one_statement_is_enough(staff):
    with CaptureQueriesContext(connection) as queries:
        assert [a.role for a in authorities_of(staff)] == ["staff"]
    assert len(queries) == 1


def test_users_outside_a_request_read_afresh_every_time(staff, group_head):
    assert authority_for(staff, RoleCode.GROUP_HEAD) is None
    acting_order(group_head, staff, RoleCode.GROUP_HEAD)
    assert authority_for(staff, RoleCode.GROUP_HEAD).principal == group_head


def test_a_page_asks_the_database_about_orders_once(client, staff, group_head):
    acting_order(group_head, staff, RoleCode.GROUP_HEAD)
    client.force_login(staff)
    client.get(reverse("portal:home"))
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("repairs:index")).text
    # The menu, the user menu and the list's own group-head check each asked.
    assert BULK_FORM in html and "รักษาราชการแทน" in html
    orders = [q for q in queries if Delegation._meta.db_table in q["sql"]]
    assert len(orders) == 2, [q["sql"] for q in orders]  # the flag, then the orders once
    own_roles = re.compile(rf'"user_id" = {staff.pk}\b')
    through = User.roles.through._meta.db_table
    roles = [q["sql"] for q in queries if through in q["sql"] and own_roles.search(q["sql"])]
    assert len(roles) == 1, roles  # with the flag


# What each role may do, page by page --------------------------------------------------------


@pytest.fixture
def everyone(office, staff, group_head):
    other = OfficeFactory()
    return {
        "school user": make_user(RoleCode.SCHOOL_USER, office=office),
        "staff": staff,
        "group head": group_head,
        "director": make_user(RoleCode.DIRECTOR, office=office),
        "admin": make_user(RoleCode.ADMIN, office=office, is_superuser=True),
        "outsider": make_user(RoleCode.STAFF, office=other),
    }


@pytest.mark.parametrize(
    ("who", "may_assign"),
    [
        ("school user", False),
        ("staff", False),
        ("group head", True),
        ("director", False),
        ("admin", False),
        ("outsider", False),
    ],
)
def test_only_the_group_head_assigns_repairs_in_bulk(client, everyone, who, may_assign):
    client.force_login(everyone[who])
    assert (BULK_FORM in client.get(reverse("repairs:index")).text) is may_assign
    answer = client.post(reverse("repairs:bulk_assign"), {"technician": everyone["staff"].pk})
    assert (answer.status_code != 403) is may_assign


def test_an_order_given_or_revoked_counts_from_the_next_page(client, staff, group_head):
    client.force_login(staff)
    assert BULK_FORM not in client.get(reverse("repairs:index")).text
    assert client.post(reverse("repairs:bulk_assign")).status_code == 403

    order = acting_order(group_head, staff, RoleCode.GROUP_HEAD)
    html = client.get(reverse("repairs:index")).text
    assert BULK_FORM in html
    assert f"รักษาราชการแทน {group_head.display_name}" in html
    assert client.post(reverse("repairs:bulk_assign")).status_code == 302  # nothing chosen

    delegation_revoke(delegation=order, actor=group_head)
    html = client.get(reverse("repairs:index")).text
    assert BULK_FORM not in html and "รักษาราชการแทน" not in html
    assert client.post(reverse("repairs:bulk_assign")).status_code == 403
