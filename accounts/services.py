"""Writes for accounts: users with their roles and school, and delegations."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import SCHOOL_ROLES, Delegation, Office, Role, School, User


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
