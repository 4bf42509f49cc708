"""Fixtures for the loan tests: both loan processes, some equipment, a second school, an
outsider from another office and an admin."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from django.utils import timezone

from accounts.models import Office, Role, RoleCode, School
from accounts.services import user_create
from equipment_loans.models import ItemCategory, Loan, LoanItem
from equipment_loans.services import Wanted, loan_request
from processes.definitions import definition_import
from processes.models import Task
from processes.services import task_complete

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "processes"


@pytest.fixture(autouse=True)
def loan_definitions(db):
    for code in ("equipment-loan", "equipment-use", "repair-ticket"):
        definition_import(json.loads((FIXTURES / f"{code}.json").read_text("utf-8")))


@pytest.fixture
def projector(office):
    return LoanItem.objects.create(
        office=office, name="โปรเจคเตอร์ Epson", category=ItemCategory.PROJECTOR
    )


@pytest.fixture
def tablets(office):
    return LoanItem.objects.create(
        office=office, name="แท็บเล็ต", category=ItemCategory.TABLET, quantity=3
    )


@pytest.fixture
def other_school(office):
    return School.objects.create(
        office=office,
        obec_code="1090010002",
        smis_code="90010002",
        name_th="โรงเรียนบ้านอื่น",
        district="เมือง",
    )


@pytest.fixture
def teacher_b(other_school):
    return user_create(
        username="teacher_b",
        password="x",
        office=other_school.office,
        school=other_school,
        roles=[Role.objects.get(code=RoleCode.SCHOOL_USER)],
        first_name="teacher_b",
    )


@pytest.fixture
def outsider(db):
    office = Office.objects.create(code="9009", name_th="สพม.อื่น", kind=Office.Kind.SECONDARY)
    return user_create(
        username="far", password="x", office=office, roles=[Role.objects.get(code="staff")]
    )


@pytest.fixture
def admin_user(office):
    user = user_create(
        username="admin1",
        password="x",
        office=office,
        roles=[Role.objects.get(code=RoleCode.ADMIN)],
        first_name="admin1",
    )
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def request_loan(people, school):
    """File a borrow request; by default the school user asks for `items` from tomorrow."""

    def file(*items, user=None, start=1, end=2, kind=Loan.Kind.BORROW):
        user = user or people["school_user"]
        wanted = [w if isinstance(w, Wanted) else Wanted(w, 1) for w in items]
        return loan_request(
            requester=user,
            kind=kind,
            school=user.school,
            wanted=wanted,
            purpose="สอนวิทยาศาสตร์",
            starts_on=days(start),
            ends_on=days(end),
            pickup_place="ห้องกลุ่ม",
            return_place="ห้องกลุ่ม",
            contact_phone="081-234-5678",
        )

    return file


def open_task(loan: Loan) -> Task:
    return loan.case.tasks.select_related("step").get(status=Task.Status.OPEN)


def decide(loan: Loan, user, outcome: str = "done", comment: str = "") -> None:
    task_complete(task=open_task(loan), user=user, outcome=outcome, comment=comment)


@pytest.fixture
def approved_loan(people, request_loan, projector):
    """A borrow request of the projector, approved and prepared: ready for pick-up."""
    loan = request_loan(projector)
    decide(loan, people["group_head"], "approve")
    decide(loan, people["staff"])
    loan.refresh_from_db()
    return loan
