"""Writes for accounts: users with their roles and school, and delegations."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import (
    SCHOOL_ROLES,
    AccountEvent,
    Delegation,
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
    order_file=None,
    actor: User | None = None,
) -> Delegation:
    """Record an acting order after `Delegation.clean()` (dates, role held by the principal,
    delegate allowed to hold it), with an audit event in the same transaction."""
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
    if order_file:
        delegation.order_file = order_file
    delegation.full_clean()
    delegation.save()
    AccountEvent.objects.create(
        kind=AccountEvent.Kind.DELEGATION_CREATED,
        actor=actor,
        delegation=delegation,
        detail=_delegation_detail(delegation),
    )
    return delegation


@transaction.atomic
def delegation_revoke(*, delegation: Delegation, actor: User | None, reason: str = "") -> bool:
    """End an acting order now. Returns False (and records nothing) if it was already revoked."""
    locked = Delegation.objects.select_for_update().get(pk=delegation.pk)
    if locked.revoked_at is not None:
        return False
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    AccountEvent.objects.create(
        kind=AccountEvent.Kind.DELEGATION_REVOKED,
        actor=actor,
        delegation=locked,
        detail={**_delegation_detail(locked), "reason": reason},
    )
    delegation.revoked_at = locked.revoked_at
    return True


def _delegation_detail(delegation: Delegation) -> dict:
    return {
        "principal": delegation.principal.username,
        "delegate": delegation.delegate.username,
        "role": delegation.role.code,
        "starts_on": delegation.starts_on.isoformat(),
        "ends_on": delegation.ends_on.isoformat(),
        "order_number": delegation.order_number,
    }
