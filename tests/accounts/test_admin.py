"""Admin pages open; the user form enforces the role/school rule; delegations validate."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.admin.sites import site
from django.urls import reverse
from django.utils import timezone

from accounts.admin import PortalUserChangeForm, PortalUserCreationForm
from accounts.models import Delegation, Office, Role, School, User
from core.thaitime import format_thai_date
from tests.factories import DelegationFactory, get_role, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def everything(office, school_a, superuser):
    teacher = make_user("school_user", school=school_a)
    return {
        "office": office,
        "school": school_a,
        "role": get_role("staff"),
        "user": teacher,
        "delegation": DelegationFactory(),
    }


@pytest.mark.parametrize(
    ("model", "key"),
    [
        (Office, "office"),
        (School, "school"),
        (Role, "role"),
        (User, "user"),
        (Delegation, "delegation"),
    ],
)
def test_changelist_add_and_change_pages_open(admin_client, everything, model, key):
    opts = model._meta
    name = f"admin:{opts.app_label}_{opts.model_name}"
    for url in (
        reverse(f"{name}_changelist"),
        reverse(f"{name}_add"),
        reverse(f"{name}_change", args=[everything[key].pk]),
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url


def test_changelists_search_and_filter(admin_client, everything, office):
    for url in (
        reverse("admin:accounts_school_changelist") + "?q=ดู่",
        reverse("admin:accounts_school_changelist") + f"?office__id__exact={office.pk}&size=small",
        reverse("admin:accounts_user_changelist") + f"?roles__id__exact={get_role('staff').pk}",
        reverse("admin:accounts_user_changelist") + "?q=school",
        reverse("admin:accounts_delegation_changelist") + "?in_force=today",
        reverse("admin:accounts_delegation_changelist") + "?in_force=past",
        reverse("admin:accounts_delegation_changelist") + "?in_force=future",
    ):
        assert admin_client.get(url).status_code == 200, url


def test_school_import_and_export_pages_open(admin_client, school_a):
    # The admin's Import leads to the portal's background import (core.admin_imports).
    response = admin_client.get(reverse("admin:accounts_school_import"))
    assert response["Location"] == reverse("accounts:school_import")
    assert admin_client.get(response["Location"]).status_code == 200
    assert admin_client.get(reverse("admin:accounts_school_export")).status_code == 200


def test_role_code_is_read_only_once_created(admin_client):
    role = get_role("staff")
    model_admin = site._registry[Role]
    assert "code" in model_admin.get_readonly_fields(None, role)
    assert "code" not in model_admin.get_readonly_fields(None, None)
    response = admin_client.post(
        reverse("admin:accounts_role_change", args=[role.pk]),
        {"code": "director", "name_th": "เจ้าหน้าที่", "name_en": "Staff", "description": "x"},
    )
    assert response.status_code == 302
    role.refresh_from_db()
    assert role.code == "staff"
    assert role.name_th == "เจ้าหน้าที่"
    assert not model_admin.has_delete_permission(None, role)


# The user form ---------------------------------------------------------------------------


def change_form_data(user: User, **changes) -> dict:
    data = {
        "username": user.username,
        "title": user.title,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "position": user.position,
        "phone": user.phone,
        "office": user.office_id or "",
        "school": user.school_id or "",
        "roles": [role.pk for role in user.roles.all()],
        "is_active": "on",
        "date_joined": "2025-01-01 00:00:00",  # the plain form
        "date_joined_0": "01/01/2568",  # the admin's split widget: a B.E. date box
        "date_joined_1": "00:00:00",
    }
    data.update(changes)
    return data


def test_change_form_accepts_a_valid_school_user(office, school_a, school_b):
    user = make_user("school_user", school=school_a)
    form = PortalUserChangeForm(change_form_data(user, school=school_b.pk), instance=user)
    assert form.is_valid(), form.errors
    form.save()
    user.refresh_from_db()
    assert user.school == school_b


def test_change_form_refuses_a_school_user_without_school(school_a):
    user = make_user("school_user", school=school_a)
    form = PortalUserChangeForm(change_form_data(user, school=""), instance=user)
    assert not form.is_valid()
    assert "school" in form.errors


def test_change_form_refuses_an_office_role_with_a_school(office, school_a):
    user = make_user("staff", office=office)
    form = PortalUserChangeForm(change_form_data(user, school=school_a.pk), instance=user)
    assert not form.is_valid()
    assert "school" in form.errors


def test_change_form_refuses_mixed_roles(school_a):
    user = make_user("school_user", school=school_a)
    roles = [get_role("school_user").pk, get_role("staff").pk]
    form = PortalUserChangeForm(change_form_data(user, roles=roles), instance=user)
    assert not form.is_valid()
    assert "roles" in form.errors


def test_change_form_refuses_a_school_of_another_office(office, school_a, foreign_school):
    user = make_user("school_user", school=school_a)
    form = PortalUserChangeForm(change_form_data(user, school=foreign_school.pk), instance=user)
    assert not form.is_valid()
    assert "school" in form.errors


def test_creation_form_enforces_the_rule_and_saves_roles(rf, superuser, office, school_a):
    request = rf.get("/")
    request.user = superuser
    form_class = site._registry[User].get_form(request, None)  # built from add_fieldsets
    assert issubclass(form_class, PortalUserCreationForm)
    base = {
        "username": "newteacher",
        "usable_password": "true",
        "password1": "a-long-Passw0rd!",
        "password2": "a-long-Passw0rd!",
        "office": office.pk,
        "roles": [get_role("school_user").pk],
    }
    form = form_class(base)
    assert not form.is_valid()
    assert "school" in form.errors
    form = form_class({**base, "school": school_a.pk})
    assert form.is_valid(), form.errors
    user = form.save()
    assert user.school == school_a
    assert user.role_codes == {"school_user"}


def test_admin_add_view_shows_the_error_instead_of_crashing(admin_client, office, school_a):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "mixed",
            "usable_password": "true",
            "password1": "a-long-Passw0rd!",
            "password2": "a-long-Passw0rd!",
            "office": office.pk,
            "school": school_a.pk,
            "roles": [get_role("school_user").pk, get_role("director").pk],
        },
    )
    assert response.status_code == 200
    assert "roles" in response.context["adminform"].form.errors
    assert not User.objects.filter(username="mixed").exists()


def test_admin_change_view_saves_a_valid_change(admin_client, office):
    user = make_user("staff", office=office)
    data = change_form_data(user, roles=[get_role("group_head").pk], position="หัวหน้า")
    response = admin_client.post(reverse("admin:accounts_user_change", args=[user.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(pk=user.pk)
    assert user.role_codes == {"group_head"}
    assert user.position == "หัวหน้า"


# Delegations -------------------------------------------------------------------------------


def delegation_data(principal, delegate, role, **changes):
    today = timezone.localdate()
    data = {
        "principal": principal.pk,
        "delegate": delegate.pk,
        "role": role.pk,
        "kind": Delegation.Kind.ACTING,
        # The admin reads B.E. dates (dd/mm/yyyy), like every date box of the portal.
        "starts_on": format_thai_date(today, "numeric"),
        "ends_on": format_thai_date(today + datetime.timedelta(days=3), "numeric"),
        "order_number": "123/2568",
        "note": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def director_and_deputy(office):
    return make_user("director", office=office), make_user("deputy_director", office=office)


def test_delegation_admin_saves_a_valid_order(admin_client, director_and_deputy):
    director, deputy = director_and_deputy
    url = reverse("admin:accounts_delegation_add")
    response = admin_client.post(url, delegation_data(director, deputy, get_role("director")))
    assert response.status_code == 302
    assert Delegation.objects.get().delegate == deputy


@pytest.mark.parametrize("case", ["ends_before_start", "to_oneself", "role_not_held"])
def test_delegation_admin_shows_model_validation(admin_client, director_and_deputy, case):
    director, deputy = director_and_deputy
    data = delegation_data(director, deputy, get_role("director"))
    field = {
        "ends_before_start": "ends_on",
        "to_oneself": "delegate",
        "role_not_held": "role",
    }[case]
    if case == "ends_before_start":
        data["ends_on"] = "2020-01-01"
    elif case == "to_oneself":
        data["delegate"] = director.pk
    else:
        data["role"] = get_role("staff").pk
    response = admin_client.post(reverse("admin:accounts_delegation_add"), data)
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not Delegation.objects.exists()


def test_active_today_flag_and_revoke_action(admin_client):
    today = timezone.localdate()
    current = DelegationFactory(starts_on=today, ends_on=today)
    past = DelegationFactory(
        starts_on=today - datetime.timedelta(days=9), ends_on=today - datetime.timedelta(days=2)
    )
    model_admin = site._registry[Delegation]
    assert model_admin.active_today(current)
    assert not model_admin.active_today(past)
    admin_client.post(
        reverse("admin:accounts_delegation_changelist"),
        {"action": "revoke", "_selected_action": [current.pk]},
    )
    current.refresh_from_db()
    assert current.revoked_at is not None
    assert not model_admin.active_today(current)
