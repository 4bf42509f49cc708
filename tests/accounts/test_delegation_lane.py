"""Roles stay in their lane: who may receive a delegation, and revocation with an audit row."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountEvent, Delegation
from accounts.services import delegation_create, delegation_revoke
from tests.factories import OfficeFactory, get_role, make_user

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 3)


def order(principal, delegate, role_code, **extra):
    return delegation_create(
        principal=principal,
        delegate=delegate,
        role=get_role(role_code),
        starts_on=TODAY,
        ends_on=TODAY + datetime.timedelta(days=7),
        order_number="12/2569",
        **extra,
    )


@pytest.fixture
def office():
    return OfficeFactory()


@pytest.fixture
def director(office):
    return make_user("director", office=office)


def test_an_office_role_goes_to_an_office_account_with_an_audit_row(office, director):
    deputy = make_user("deputy_director", office=office)
    delegation = order(director, deputy, "director", actor=director)
    event = AccountEvent.objects.get(delegation=delegation)
    assert event.kind == AccountEvent.Kind.DELEGATION_CREATED
    assert event.actor == director
    assert event.detail["delegate"] == deputy.username


def test_an_office_role_is_refused_to_a_school_account(office, director):
    teacher = make_user("school_user", office=office)
    with pytest.raises(ValidationError) as error:
        order(director, teacher, "director")
    assert "delegate" in error.value.message_dict
    assert not Delegation.objects.exists() and not AccountEvent.objects.exists()


def test_an_office_role_is_refused_to_another_office(director):
    stranger = make_user("deputy_director", office=OfficeFactory())
    with pytest.raises(ValidationError):
        order(director, stranger, "director")


def test_a_school_role_stays_in_its_school(office):
    head = make_user("school_director", office=office)
    colleague = make_user("school_user", school=head.school)
    other_school = make_user("school_user", office=office)
    staff = make_user("staff", office=office)
    assert order(head, colleague, "school_director").delegate == colleague
    for delegate in (other_school, staff):
        with pytest.raises(ValidationError):
            order(head, delegate, "school_director")


def test_an_inactive_account_receives_nothing(office, director):
    deputy = make_user("deputy_director", office=office)
    deputy.is_active = False
    deputy.save()
    with pytest.raises(ValidationError):
        order(director, deputy, "director")


def test_revocation_is_recorded_once(office, director):
    admin = make_user("admin", office=office)
    delegation = order(director, make_user("deputy_director", office=office), "director")
    assert delegation_revoke(delegation=delegation, actor=admin, reason="ผู้อำนวยการกลับมา")
    assert not delegation_revoke(delegation=delegation, actor=admin)
    delegation.refresh_from_db()
    assert delegation.revoked_at is not None
    revoked = AccountEvent.objects.filter(kind=AccountEvent.Kind.DELEGATION_REVOKED)
    assert revoked.count() == 1
    assert revoked.get().actor == admin and revoked.get().detail["reason"] == "ผู้อำนวยการกลับมา"


def admin_client_for(client, office):
    admin = make_user("admin", office=office, is_superuser=True)
    client.force_login(admin)
    return client, admin


def test_the_admin_form_refuses_a_school_account_in_thai(client, office, director):
    client, _ = admin_client_for(client, office)
    teacher = make_user("school_user", office=office)
    response = client.post(
        reverse("admin:accounts_delegation_add"),
        {
            "principal": director.pk,
            "delegate": teacher.pk,
            "role": get_role("director").pk,
            "kind": Delegation.Kind.ACTING,
            "starts_on": "03/12/2569",
            "ends_on": "03/12/2569",
            "order_number": "1/2569",
        },
    )
    assert response.status_code == 200
    assert "บัญชีของโรงเรียน" in str(response.context["adminform"].form.errors["delegate"])
    assert not Delegation.objects.exists()


def test_the_admin_creates_and_revokes_through_the_services(client, office, director):
    client, admin = admin_client_for(client, office)
    deputy = make_user("deputy_director", office=office)
    response = client.post(
        reverse("admin:accounts_delegation_add"),
        {
            "principal": director.pk,
            "delegate": deputy.pk,
            "role": get_role("director").pk,
            "kind": Delegation.Kind.ACTING,
            "starts_on": "03/12/2569",
            "ends_on": "03/12/2569",
            "order_number": "1/2569",
        },
    )
    assert response.status_code == 302
    delegation = Delegation.objects.get()
    client.post(
        reverse("admin:accounts_delegation_changelist"),
        {"action": "revoke", "_selected_action": [delegation.pk]},
    )
    kinds = list(
        AccountEvent.objects.filter(delegation=delegation, actor=admin)
        .order_by("pk")
        .values_list("kind", flat=True)
    )
    assert kinds == [AccountEvent.Kind.DELEGATION_CREATED, AccountEvent.Kind.DELEGATION_REVOKED]
    # The trail cannot be edited or deleted through the admin.
    event = AccountEvent.objects.first()
    change = client.post(reverse("admin:accounts_accountevent_change", args=[event.pk]), {})
    assert change.status_code == 403
    delete = client.post(reverse("admin:accounts_accountevent_delete", args=[event.pk]))
    assert delete.status_code == 403
    assert timezone.now() >= event.at
