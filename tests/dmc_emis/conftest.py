"""Fixtures of the data-round tests: the two processes, a round, more schools and outsiders."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from django.utils import timezone

from accounts.models import RoleCode, School
from dmc_emis.models import Round
from processes.definitions import definition_import
from tests.factories import make_user

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "processes"


@pytest.fixture
def round_processes(db):
    for code in ("dmc-round", "dmc-round-ack"):
        definition_import(json.loads((FIXTURES / f"{code}.json").read_text("utf-8")))


@pytest.fixture
def other_school(office):
    return School.objects.create(
        office=office,
        obec_code="1090010002",
        smis_code="90010002",
        name_th="โรงเรียนบ้านข้างเคียง",
        district="แม่สาย",
    )


@pytest.fixture
def teacher_b(other_school):
    return make_user(RoleCode.SCHOOL_USER, school=other_school, username="teacher_b", password="x")


@pytest.fixture
def admin_user(office):
    return make_user(RoleCode.ADMIN, office=office, username="officeadmin", password="x")


@pytest.fixture
def outsider(db):
    """Staff of another office."""
    return make_user(RoleCode.STAFF, username="outsider", password="x")


@pytest.fixture
def data_round(office):
    deadline = timezone.localdate() + datetime.timedelta(days=20)
    return Round.objects.create(
        office=office,
        kind="dmc_term1",
        academic_year=2569,
        title="ข้อมูลนักเรียน DMC ภาคเรียนที่ 1 ปีการศึกษา 2569",
        opens_on=deadline - datetime.timedelta(days=30),
        deadline_on=deadline,
    )


@pytest.fixture
def open_round(data_round, round_processes, people, school, other_school, teacher_b):
    from dmc_emis.services import round_open

    round_open(round_=data_round, user=people["staff"])
    data_round.refresh_from_db()
    return data_round
