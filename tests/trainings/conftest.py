from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest

from accounts.models import Office, Role, RoleCode, School
from accounts.services import user_create
from processes.definitions import definition_import
from processes.services import case_start
from tests.factories import make_user
from trainings.services import register_self, session_save, training_create

CATALOGUE = Path(__file__).resolve().parents[2] / "fixtures" / "processes"


@pytest.fixture
def dltv_case(people):
    definition = definition_import(
        json.loads((CATALOGUE / "dltv.json").read_text("utf-8"))
    ).definition
    return case_start(definition=definition, requester=people["staff"], title="โครงการ DLTV 2570")


@pytest.fixture
def training(dltv_case, people):
    training = training_create(
        user=people["staff"], case=dltv_case, title="อบรมการใช้ DLTV", min_attendance_percent=80
    )
    for day, hours in ((10, "3"), (11, "3")):
        session_save(
            user=people["staff"],
            training=training,
            date=datetime.date(2026, 12, day),
            hours=Decimal(hours),
            place="ห้องประชุม สพป.",
            speakers="นายวิทยากร เก่งมาก",
        )
    return training


@pytest.fixture
def teacher_participant(training, people):
    return register_self(user=people["school_user"], training=training)


@pytest.fixture
def outsiders(db):
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
        ),
        "school_user": user_create(
            username="outsider-teacher",
            password="x",
            office=office,
            school=school,
            roles=[Role.objects.get(code=RoleCode.SCHOOL_USER)],
        ),
    }


@pytest.fixture
def users(people, outsiders, office):
    other = School.objects.create(
        office=office, obec_code="1090010002", smis_code="90010002", name_th="รร.ข้าง", district="ก"
    )
    admin = make_user(RoleCode.ADMIN, office=office, username="admin1")
    admin.is_staff = True
    admin.save()
    return {
        "school_user": people["school_user"],
        "other_school": make_user(RoleCode.SCHOOL_USER, school=other, username="teacher-b"),
        "school_director": people["school_director"],
        "staff": people["staff"],
        "group_head": people["group_head"],
        "deputy": people["deputy_director"],
        "director": people["director"],
        "admin": admin,
        "outsider": outsiders["staff"],
    }
