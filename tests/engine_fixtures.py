"""Shared fixtures: an office with one person per role and a small plan-like process.

Registered as a plugin in tests/conftest.py so every suite (engine, views, browser) can use them.
"""

from __future__ import annotations

import pytest

from accounts.models import Office, Role, RoleCode, School
from accounts.services import user_create
from processes.definitions import definition_import

PLAN_PROCESS = {
    "code": "test-plan",
    "title_th": "จัดทำแผนทดสอบ",
    "title_en": "Test plan",
    "area": "plans",
    "reference_prefix": "TP",
    "steps": [
        {
            "key": "draft",
            "name_th": "จัดทำร่างแผน",
            "kind": "task",
            "responsible": "staff",
            "days_min": 1,
            "days_max": 5,
            "form": [{"name": "summary", "label_th": "สาระสำคัญ", "type": "text", "required": True}],
        },
        {
            "key": "propose",
            "name_th": "เสนอ ผอ.สพท. พิจารณาอนุมัติ",
            "kind": "approval",
            "approvers": ["group_head", "director"],
            "days_min": 1,
            "days_max": 3,
        },
        {
            "key": "report",
            "name_th": "รายงานผลให้ผู้บริหารทราบ",
            "kind": "notify",
            "responsible": "director",
        },
        {"key": "end", "name_th": "สิ้นสุด", "kind": "end"},
    ],
    "transitions": [
        {"from": "draft", "outcome": "done", "to": "propose"},
        {"from": "propose", "outcome": "approve", "to": "report"},
        {"from": "propose", "outcome": "return", "to": "draft"},
        {"from": "propose", "outcome": "reject", "to": "end"},
        {"from": "report", "outcome": "done", "to": "end"},
    ],
}


@pytest.fixture
def office(db):
    return Office.objects.create(code="9001", name_th="สพป.ทดสอบ เขต 1", kind=Office.Kind.PRIMARY)


@pytest.fixture
def school(office):
    return School.objects.create(
        office=office,
        obec_code="1090010001",
        smis_code="90010001",
        name_th="โรงเรียนบ้านทดสอบ",
        district="เมือง",
    )


@pytest.fixture
def people(office, school):
    """One user per role; `people["staff"]`, `people["director"]`, …"""

    def make(username, role, **extra):
        return user_create(
            username=username,
            password="x",
            office=office,
            roles=[Role.objects.get(code=role)],
            first_name=username,
            **extra,
        )

    return {
        "staff": make("staff", RoleCode.STAFF),
        "staff2": make("staff2", RoleCode.STAFF),
        "group_head": make("head", RoleCode.GROUP_HEAD),
        "deputy_director": make("deputy", RoleCode.DEPUTY_DIRECTOR),
        "director": make("director", RoleCode.DIRECTOR),
        "school_user": make("teacher", RoleCode.SCHOOL_USER, school=school),
        "school_director": make("principal", RoleCode.SCHOOL_DIRECTOR, school=school),
    }


@pytest.fixture
def plan_definition(db):
    return definition_import(PLAN_PROCESS).definition
