"""Reads about who may see and do what. Every list of schools or users goes through here."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import (
    SCHOOL_ROLES,
    Delegation,
    RoleCode,
    School,
    SchoolImport,
    SchoolQuerySet,
    User,
)


@dataclass(frozen=True)
class Authority:
    """A role the user may exercise today: their own (principal is None) or by delegation."""

    role: str
    principal: User | None = None
    delegation: Delegation | None = None

    @property
    def is_acting(self) -> bool:
        return self.principal is not None


def schools_visible_to(user: User) -> SchoolQuerySet:
    """A school-side user sees only their own school; office staff see their office's schools."""
    schools = School.objects.select_related("office")
    if user.is_superuser:
        return schools
    if user.is_school_side:
        return schools.filter(pk=user.school_id) if user.school_id else schools.none()
    if user.office_id:
        return schools.filter(office_id=user.office_id)
    return schools.none()


def requests_visible_to(user: User, rows: QuerySet) -> QuerySet:
    """The rows of a request-like model (office, school, requester) that `user` may see.

    A school's people see their school's rows and their own; office people see their office's;
    anyone else only what they asked for themselves. Cases, repair tickets and loans share it.
    """
    if user.is_superuser:
        return rows
    if user.is_school_side:
        own_school = Q(school_id=user.school_id) if user.school_id else Q(pk__in=[])
        return rows.filter(own_school | Q(requester=user))
    if user.office_id:
        return rows.filter(office_id=user.office_id)
    return rows.filter(requester=user)


def authorities_of(user: User, *, on: datetime.date | None = None) -> list[Authority]:
    """The user's own roles plus every role delegated to them that is in force on `on`."""
    day = on or timezone.localdate()
    own = [Authority(role=code) for code in sorted(user.role_codes)]
    delegated = (
        Delegation.objects.active_on(day)
        .filter(delegate=user)
        .select_related("principal", "role")
        .order_by("starts_on", "pk")
    )
    return own + [
        Authority(role=d.role.code, principal=d.principal, delegation=d) for d in delegated
    ]


def authority_for(user: User, role: str, *, on: datetime.date | None = None) -> Authority | None:
    """How `user` holds `role` on `on`: own role first, else a delegation; None if not at all."""
    if role in user.role_codes:
        return Authority(role=role)
    for authority in authorities_of(user, on=on):
        if authority.role == role:
            return authority
    return None


def home_role(user: User) -> str:
    """The role whose home page a user lands on: the highest office role, else the school role."""
    precedence = [
        RoleCode.DIRECTOR,
        RoleCode.DEPUTY_DIRECTOR,
        RoleCode.GROUP_HEAD,
        RoleCode.STAFF,
        RoleCode.ADMIN,
        RoleCode.SCHOOL_DIRECTOR,
        RoleCode.SCHOOL_USER,
    ]
    codes = {a.role for a in authorities_of(user)}
    for code in precedence:
        if code in codes:
            return code
    return ""


def is_school_role(code: str) -> bool:
    return code in SCHOOL_ROLES


def can_import_schools(user: User) -> bool:
    """The office's administrators (and superusers) keep the list of schools."""
    return user.is_active and user.has_role(RoleCode.ADMIN) and not user.is_school_side


def school_imports_visible_to(user: User) -> QuerySet[SchoolImport]:
    """A superuser sees every school import; an office admin their office's; nobody else any."""
    imports = SchoolImport.objects.all()
    if user.is_superuser:
        return imports
    if not can_import_schools(user) or not user.office_id:
        return imports.none()
    return imports.filter(office_id=user.office_id)
