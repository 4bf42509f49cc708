"""Menus come from what each role may open: every module page a role opens is in its menu, and
every menu entry opens. The few pages that open for a role without being its work are listed
here with the reason, so a new module cannot silently go missing from a menu."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import RoleCode
from portal.context_processors import NAV_ITEMS
from tests.ui import make_office, make_school, make_user, nav_keys

pytestmark = pytest.mark.django_db

# (role, menu key): why the page opens but stays out of that role's menu.
NOT_IN_MENU = {
    (RoleCode.SCHOOL_USER, "approvals"): "a teacher approves nothing; the inbox stays empty",
    (RoleCode.STAFF, "approvals"): "staff approve nothing; the inbox stays empty",
    (RoleCode.ADMIN, "approvals"): "the administrator approves nothing",
    (RoleCode.SCHOOL_USER, "plans"): "schools answer surveys from their home page",
    (RoleCode.SCHOOL_DIRECTOR, "plans"): "schools answer surveys from their home page",
    (RoleCode.SCHOOL_USER, "processes"): "schools start nothing from the catalogue",
    (RoleCode.SCHOOL_DIRECTOR, "processes"): "schools start nothing from the catalogue",
}


@pytest.mark.parametrize("role", list(RoleCode))
def test_every_page_a_role_opens_is_in_its_menu(client, role):
    office = make_office()
    user = make_user(f"u-{role}", role, office=office, school=make_school(office))
    client.force_login(user)
    menu = set(nav_keys(client.get(reverse("portal:home")).text))
    for item in NAV_ITEMS:
        opens = client.get(reverse(item.url_name)).status_code == 200
        if (role, item.key) in NOT_IN_MENU:
            assert opens and item.key not in menu, (role, item.key)
            continue
        assert (item.key in menu) == opens, (
            f"{role}: {item.key} opens={opens}, in menu={item.key in menu}"
        )


def test_the_directors_and_the_admins_menus_are_complete(client):
    office = make_office()
    for role, expected in {
        RoleCode.DIRECTOR: {
            "repairs",
            "loans",
            "dmc",
            "plans",
            "processes",
            "reports",
            "approvals",
        },
        RoleCode.ADMIN: {"repairs", "loans", "dmc", "plans", "processes", "reports", "admin"},
    }.items():
        client.force_login(make_user(f"m-{role}", role, office=office))
        assert expected <= set(nav_keys(client.get(reverse("portal:home")).text)), role
