"""factory-boy factories for the accounts models, and `make_user` for "a user with role X".

    office = OfficeFactory()
    school = SchoolFactory(office=office)
    staff = make_user("staff", office=office)
    teacher = make_user("school_user", school=school)
    head = UserFactory(office=office, roles=["group_head"])      # no rule checks
    DelegationFactory(principal=director, delegate=deputy, role=get_role("director"))

`make_user` goes through `accounts.services.user_create`, so the role/school rules hold;
the factories write rows directly (handy for building odd states on purpose).
Every user's password is "password" unless told otherwise.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory, Password

from accounts.models import SCHOOL_ROLES, Delegation, Office, Role, RoleCode, School, User
from accounts.services import user_create

DEFAULT_PASSWORD = "password"


def get_role(code: str) -> Role:
    """The Role row for `code` (seeded by migration; created here if a test flushed it)."""
    role_code = RoleCode(code)
    role, _created = Role.objects.get_or_create(
        code=role_code.value,
        defaults={"name_th": str(role_code.label), "name_en": str(role_code.label)},
    )
    return role


def office_code(n: int) -> str:
    """The factory's nth office code. Tests write their own offices with digit codes (the
    engine fixtures' "9001", outsiders' "9002" to "9999", the demo's "1057"); the factory gets
    its office by code, so one of its codes equal to those would hand a test the insiders'
    office as its outsider. A letter first keeps the two apart."""
    return f"F{n:04d}"


class OfficeFactory(DjangoModelFactory):
    class Meta:
        model = Office
        django_get_or_create = ("code",)

    code = factory.Sequence(office_code)
    name_th = factory.Sequence(lambda n: f"สำนักงานเขตพื้นที่การศึกษาประถมศึกษาทดสอบ เขต {n + 1}")
    short_name = factory.Sequence(lambda n: f"สพป.ทดสอบ เขต {n + 1}")
    kind = Office.Kind.PRIMARY
    province = "เชียงราย"


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ("obec_code",)

    office = factory.SubFactory(OfficeFactory)
    obec_code = factory.Sequence(lambda n: f"1099{n:06d}")
    smis_code = factory.Sequence(lambda n: f"99{n:06d}")
    name_th = factory.Sequence(lambda n: f"โรงเรียนบ้านทดสอบ {n + 1}")
    name_en = factory.Sequence(lambda n: f"Ban Thotsop School {n + 1}")
    district = "เมืองเชียงราย"
    subdistrict = "เวียง"
    size = School.Size.SMALL


class UserFactory(DjangoModelFactory):
    """A user in an office (the school's office when `school` is given).

    `roles` takes role codes: ``UserFactory(roles=["staff"])``. No rule checks: use
    `make_user` for a user built the way the portal builds them.
    """

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n + 1}")
    password = Password(DEFAULT_PASSWORD)
    title = "นาย"
    first_name = factory.Sequence(lambda n: f"ทดสอบ{n + 1}")
    last_name = "ใจดี"
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    school = None
    office = factory.Maybe(
        "school",
        yes_declaration=factory.SelfAttribute("school.office"),
        no_declaration=factory.SubFactory(OfficeFactory),
    )

    @factory.post_generation
    def roles(self, create: bool, extracted: Iterable[str] | None, **kwargs) -> None:
        if not create or not extracted:
            return
        self.roles.set([get_role(code) for code in extracted])
        self.__dict__.pop("_role_codes", None)


def make_user(
    role_code: str | Iterable[str],
    school: School | None = None,
    *,
    office: Office | None = None,
    username: str | None = None,
    password: str = DEFAULT_PASSWORD,
    **extra,
) -> User:
    """A user holding `role_code` (one code or several), made with `user_create`.

    A school-side role without `school` gets a new school (in `office`, if given). An office
    role gets `office`, or a new office.
    """
    codes = [role_code] if isinstance(role_code, str) else list(role_code)
    if school is None and SCHOOL_ROLES.intersection(codes):
        school = SchoolFactory(office=office) if office else SchoolFactory()
    if office is None:
        office = school.office if school is not None else OfficeFactory()
    if username is None:
        username = f"{codes[0] if codes else 'user'}-{User.objects.count() + 1}"
        while User.objects.filter(username=username).exists():
            username += "x"
    return user_create(
        username=username,
        password=password,
        office=office,
        roles=[get_role(code) for code in codes],
        school=school,
        **extra,
    )


class DelegationFactory(DjangoModelFactory):
    """By default: a director hands their role to a deputy, from today for a week."""

    class Meta:
        model = Delegation

    principal = factory.SubFactory(UserFactory, roles=[RoleCode.DIRECTOR])
    delegate = factory.SubFactory(
        UserFactory,
        office=factory.SelfAttribute("..principal.office"),
        roles=[RoleCode.DEPUTY_DIRECTOR],
    )
    role = factory.LazyFunction(lambda: get_role(RoleCode.DIRECTOR))
    kind = Delegation.Kind.ACTING
    starts_on = factory.LazyFunction(timezone.localdate)
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + datetime.timedelta(days=7))
    order_number = factory.Sequence(lambda n: f"{n + 1}/2568")
