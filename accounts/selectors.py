"""Reads about who may see and do what. Every list of schools or users goes through here."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db import connection, models
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import (
    SCHOOL_ROLES,
    Delegation,
    Role,
    RoleCode,
    School,
    SchoolImport,
    SchoolQuerySet,
    User,
)
from core.params import int_param


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


def chosen_school(user: User, params) -> dict[str, object]:
    """A list's school filter as shown: the chosen school's id and name, else what was typed.

    The lists' school filters suggest schools as one types (portal:school_search) rather than
    carrying every school of the office as an option, so only the chosen one is read.
    """
    typed = str(params.get("school_name", "")).strip()
    school_id = int_param(params.get("school"))
    if school_id is None:
        return {"id": "", "name": typed}
    school = (
        schools_visible_to(user)
        .select_related(None)
        .filter(pk=school_id)
        .values("pk", "name_th")
        .first()
    )
    return {"id": school_id, "name": school["name_th"] if school else typed}


def filter_by_school(rows: QuerySet, params) -> QuerySet:
    """A list's school filter (see chosen_school): the school picked from the suggestions
    (?school=<id>), else what was typed without picking one, or without JavaScript: part of a
    name, or a school's code in full (the box invites either)."""
    if (school_id := int_param(params.get("school"))) is not None:
        return rows.filter(school_id=school_id)
    if typed := str(params.get("school_name", "")).strip():
        return rows.filter(
            Q(school__name_th__icontains=typed)
            | Q(school__obec_code=typed)
            | Q(school__smis_code=typed)
        )
    return rows


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


# Every page asks who the signed-in person is several times (the menu, the home page's panels,
# the view's access checks): request.user keeps what was read for the request, per day, on the
# instance (remember_authorities). It never outlives the request, for the authentication
# middleware loads a fresh user for each one, and an acting order given or revoked takes effect
# on the next page. Users of other code paths (services, tasks, tests) read afresh every time.
_MEMO = "_authorities_by_day"
_ACTING = "_acting_by_day"


def remember_authorities(user: User | AnonymousUser) -> User | AnonymousUser:
    """Let `user`, loaded for one request (accounts.middleware), keep its authorities. Its own
    roles, and whether it acts for anyone today, are read at once in one statement: nearly
    every request checks a role, and read on its own the role check would cost a query more."""
    if isinstance(user, User):
        today = timezone.localdate()
        setattr(user, _MEMO, {})
        setattr(user, _ACTING, {today: _read_roles_and_acting(user, today)})
    return user


def authorities_of(user: User, *, on: datetime.date | None = None) -> list[Authority]:
    """The user's own roles plus every role delegated to them that is in force on `on`."""
    day = on or timezone.localdate()
    memo: dict[datetime.date, tuple[Authority, ...]] | None = getattr(user, _MEMO, None)
    if memo is not None and day in memo:
        return list(memo[day])
    acting = getattr(user, _ACTING, {}).get(day)
    if acting is None:
        acting = _read_roles_and_acting(user, day)
    authorities = [Authority(role=code) for code in sorted(user.role_codes)]
    if acting:
        delegated = (
            Delegation.objects.active_on(day)
            .filter(delegate=user)
            .select_related("principal", "role")
            .order_by("starts_on", "pk")
        )
        authorities += [
            Authority(role=d.role.code, principal=d.principal, delegation=d) for d in delegated
        ]
    if memo is not None:
        memo[day] = tuple(authorities)
    return authorities


def _read_roles_and_acting(user: User, day: datetime.date) -> bool:
    """Whether an acting order for `user` is in force on `day` (as DelegationQuerySet.active_on
    says), and the user's own role codes if not known yet, in one statement: most people act
    for nobody, and the ORM would spend more time writing two queries than the database
    answering them (tests/accounts/test_request_authorities.py holds it to active_on)."""
    through = User.roles.through._meta
    q = connection.ops.quote_name
    sql = (
        f"SELECT r.{q(_column(Role, 'code'))} FROM {q(through.db_table)} ur"
        f" JOIN {q(Role._meta.db_table)} r"
        f" ON r.{q(_column(Role, 'id'))} = ur.{q(through.get_field('role').column)}"
        f" WHERE ur.{q(through.get_field('user').column)} = %s"
        f" UNION ALL SELECT NULL FROM {q(Delegation._meta.db_table)} d"
        f" WHERE d.{q(_column(Delegation, 'delegate'))} = %s"
        f" AND d.{q(_column(Delegation, 'starts_on'))} <= %s"
        f" AND d.{q(_column(Delegation, 'ends_on'))} >= %s"
        f" AND d.{q(_column(Delegation, 'revoked_at'))} IS NULL"
    )
    date = connection.ops.adapt_datefield_value(day)
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, user.pk, date, date])
        rows = [code for (code,) in cursor.fetchall()]
    if not hasattr(user, "_role_codes"):
        user.remember_role_codes(code for code in rows if code is not None)
    return None in rows


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)  # a concrete column, not a relation's reverse side
    return str(field.column)


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
