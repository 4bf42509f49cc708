from __future__ import annotations

import pytest

from accounts.models import Office, Role, RoleCode, School
from accounts.services import user_create
from tests.workplans.factories import load_definitions

PLAN_CODES = ("digital-tech-plan", "distance-ed-plan", "ict-master-plan", "dltv", "dlit")


@pytest.fixture
def definitions(db, office):
    load_definitions(*PLAN_CODES, "spec-draft")
    # This office's memos to the director pass the group head and the deputy (an office
    # setting; the plans' manual says "ผู้บังคับบัญชาตามลำดับ").
    office.chain_via_group_head = office.chain_via_deputy = True
    office.save()


@pytest.fixture
def other_school(office):
    return School.objects.create(
        office=office,
        obec_code="1090010002",
        smis_code="90010002",
        name_th="โรงเรียนบ้านที่สอง",
        district="เมือง",
    )


@pytest.fixture
def outsiders(db):
    """People of another office: its staff member and one of its school users."""
    office = Office.objects.create(code="9999", name_th="สพป.อื่น", kind=Office.Kind.PRIMARY)
    school = School.objects.create(
        office=office, obec_code="1099990001", smis_code="99990001", name_th="รร.อื่น", district="ก"
    )
    return {
        "staff": user_create(
            username="outsider",
            password="x",
            office=office,
            roles=[Role.objects.get(code=RoleCode.STAFF)],
            first_name="นอก",
        ),
        "school_user": user_create(
            username="outsider-teacher",
            password="x",
            office=office,
            school=school,
            roles=[Role.objects.get(code=RoleCode.SCHOOL_USER)],
            first_name="ครูนอก",
        ),
    }


@pytest.fixture
def everyone(people, outsiders, other_school):
    """Every role the access tests walk through, by name."""
    other_teacher = user_create(
        username="teacher2",
        password="x",
        office=other_school.office,
        school=other_school,
        roles=[Role.objects.get(code=RoleCode.SCHOOL_USER)],
        first_name="ครูสอง",
    )
    admin = user_create(
        username="root",
        password="x",
        office=people["staff"].office,
        roles=[Role.objects.get(code=RoleCode.ADMIN)],
        is_superuser=True,
        first_name="แอดมิน",
    )
    return {
        **people,
        "other_school_user": other_teacher,
        "admin": admin,
        "outsider": outsiders["staff"],
        "outsider_school_user": outsiders["school_user"],
    }
