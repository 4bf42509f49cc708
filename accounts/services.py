"""Writes for accounts: users with their roles and school, and delegations."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import (
    SCHOOL_ROLES,
    Delegation,
    LoginFailure,
    Office,
    Role,
    School,
    User,
)


def check_request_scope(*, requester: User, school: School | None) -> None:
    """Who may file a request for whom: a school only for itself, the office only for its own
    schools (or for itself, with no school)."""
    if requester.is_school_side:
        if school is None or school.pk != requester.school_id:
            raise PermissionDenied(_("A school can only file requests for itself."))
    elif school is not None and school.office_id != requester.office_id:
        raise ValidationError({"school": _("This school is not in your office.")})


def validate_role_scope(*, roles: Iterable[Role], school: School | None) -> None:
    """A school-side role needs exactly one school; office roles never carry one."""
    codes = {role.code for role in roles}
    school_side = codes & SCHOOL_ROLES
    if school_side and school is None:
        raise ValidationError({"school": _("A school user or school director must have a school.")})
    if school is not None and not school_side:
        raise ValidationError(
            {"school": _("Only school users and school directors are tied to a school.")}
        )
    if school_side and codes - SCHOOL_ROLES:
        raise ValidationError({"roles": _("A school-side account cannot also hold office roles.")})


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    office: Office | None,
    roles: Iterable[Role] = (),
    school: School | None = None,
    first_name: str = "",
    last_name: str = "",
    title: str = "",
    position: str = "",
    email: str = "",
    phone: str = "",
    is_superuser: bool = False,
) -> User:
    roles = list(roles)
    validate_role_scope(roles=roles, school=school)
    user = User(
        username=username,
        office=office or (school.office if school else None),
        school=school,
        first_name=first_name,
        last_name=last_name,
        title=title,
        position=position,
        email=email,
        phone=phone,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    user.roles.set(roles)
    return user


@transaction.atomic
def delegation_create(
    *,
    principal: User,
    delegate: User,
    role: Role,
    starts_on: datetime.date,
    ends_on: datetime.date,
    order_number: str,
    kind: str = Delegation.Kind.ACTING,
    note: str = "",
) -> Delegation:
    delegation = Delegation(
        principal=principal,
        delegate=delegate,
        role=role,
        starts_on=starts_on,
        ends_on=ends_on,
        order_number=order_number,
        kind=kind,
        note=note,
    )
    delegation.full_clean()
    delegation.save()
    return delegation


# ---------------------------------------------------------------------------------------------
# Sign-in throttling
# ---------------------------------------------------------------------------------------------


def login_wait(*, username: str, ip_address: str | None) -> int:
    """Minutes to wait before the next sign-in attempt, or 0.

    A username is locked after `LOGIN_FAILURE_LIMIT` failures within `LOGIN_LOCKOUT_MINUTES`;
    an address after `LOGIN_FAILURE_LIMIT_PER_ADDRESS` (higher: a school's computers share one).
    """
    window = datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    since = timezone.now() - window
    recent = LoginFailure.objects.filter(at__gte=since)
    checks = [(recent.filter(username=username.strip().lower()), settings.LOGIN_FAILURE_LIMIT)]
    if ip_address:
        checks.append(
            (recent.filter(ip_address=ip_address), settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS)
        )
    wait = datetime.timedelta(0)
    for failures, limit in checks:
        times = list(failures.order_by("-at").values_list("at", flat=True)[:limit])
        if len(times) >= limit:
            wait = max(wait, times[-1] + window - timezone.now())
    return max(0, -(-int(wait.total_seconds()) // 60))


def login_failure_record(*, username: str, ip_address: str | None) -> None:
    window = datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    LoginFailure.objects.filter(at__lt=timezone.now() - window).delete()
    LoginFailure.objects.create(username=username.strip().lower()[:150], ip_address=ip_address)


def login_failures_clear(*, username: str) -> None:
    LoginFailure.objects.filter(username=username.strip().lower()).delete()
