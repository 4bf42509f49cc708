"""Own roles, acting orders (delegations) in and out of force, and the home page role."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from accounts.models import RoleCode
from accounts.selectors import authorities_of, authority_for, home_role
from tests.factories import DelegationFactory, get_role, make_user

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def director(office):
    return make_user("director", office=office, username="director")


@pytest.fixture
def deputy(office):
    return make_user("deputy_director", office=office, username="deputy")


def delegate(director, deputy, *, starts_on, ends_on, **extra):
    return DelegationFactory(
        principal=director,
        delegate=deputy,
        role=get_role(RoleCode.DIRECTOR),
        starts_on=starts_on,
        ends_on=ends_on,
        **extra,
    )


def test_own_roles_only_without_delegation(deputy):
    authorities = authorities_of(deputy)
    assert [a.role for a in authorities] == ["deputy_director"]
    assert not authorities[0].is_acting
    assert authority_for(deputy, "deputy_director").principal is None
    assert authority_for(deputy, "director") is None


def test_a_delegation_in_force_today_gives_the_role_as_acting(director, deputy):
    today = timezone.localdate()
    order = delegate(director, deputy, starts_on=today, ends_on=today)
    authority = authority_for(deputy, "director")
    assert authority is not None
    assert authority.is_acting
    assert authority.principal == director
    assert authority.delegation == order
    assert {a.role for a in authorities_of(deputy)} == {"deputy_director", "director"}


def test_an_expired_delegation_gives_nothing(director, deputy):
    today = timezone.localdate()
    delegate(director, deputy, starts_on=today - 10 * DAY, ends_on=today - DAY)
    assert authority_for(deputy, "director") is None


def test_a_future_delegation_gives_nothing_yet(director, deputy):
    today = timezone.localdate()
    delegate(director, deputy, starts_on=today + DAY, ends_on=today + 5 * DAY)
    assert authority_for(deputy, "director") is None
    assert authority_for(deputy, "director", on=today + 2 * DAY) is not None


def test_a_revoked_delegation_gives_nothing(director, deputy):
    today = timezone.localdate()
    delegate(
        director, deputy, starts_on=today - DAY, ends_on=today + DAY, revoked_at=timezone.now()
    )
    assert authority_for(deputy, "director") is None


def test_on_a_given_day(director, deputy):
    start = datetime.date(2025, 10, 1)
    delegate(director, deputy, starts_on=start, ends_on=start + 2 * DAY)
    assert authority_for(deputy, "director", on=start - DAY) is None
    assert authority_for(deputy, "director", on=start).is_acting
    assert authority_for(deputy, "director", on=start + 2 * DAY).is_acting
    assert authority_for(deputy, "director", on=start + 3 * DAY) is None


def test_an_own_role_wins_over_a_delegation_of_the_same_role(office, director):
    other_director = make_user("director", office=office)
    today = timezone.localdate()
    delegate(director, other_director, starts_on=today, ends_on=today)
    authority = authority_for(other_director, "director")
    assert authority is not None and not authority.is_acting


def test_the_delegation_goes_to_the_delegate_only(director, deputy):
    today = timezone.localdate()
    delegate(director, deputy, starts_on=today, ends_on=today)
    assert authority_for(director, "deputy_director") is None
    assert [a.role for a in authorities_of(director)] == ["director"]


# home_role -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        (["director"], "director"),
        (["deputy_director", "group_head"], "deputy_director"),
        (["group_head", "staff"], "group_head"),
        (["staff", "admin"], "staff"),
        (["admin"], "admin"),
        (["school_director", "school_user"], "school_director"),
        (["school_user"], "school_user"),
        ([], ""),
    ],
)
def test_home_role_takes_the_highest_role(office, codes, expected):
    user = make_user(codes, office=office)
    assert home_role(user) == expected


def test_home_role_counts_an_acting_role(director, deputy):
    today = timezone.localdate()
    assert home_role(deputy) == "deputy_director"
    delegate(director, deputy, starts_on=today, ends_on=today)
    assert home_role(deputy) == "director"


def test_a_superuser_without_roles_lands_on_admin(office):
    root = make_user([], office=office, is_superuser=True)
    assert home_role(root) == "admin"
