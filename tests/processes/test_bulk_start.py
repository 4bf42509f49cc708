"""Starting many cases at once writes what `case_start` writes for each, in one go."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import RoleCode, School
from processes.bulk import (
    NewCase,
    Notice,
    cases_start_bulk,
    notify_many,
    reserve_references,
    school_role_holders,
)
from processes.models import Case, CaseEvent, Notification, Task
from processes.services import case_start, next_reference
from tests.factories import DelegationFactory, SchoolFactory, get_role, make_user

pytestmark = pytest.mark.django_db


def test_bulk_start_matches_case_start(plan_definition, people, school, office):
    other = School.objects.create(
        office=office, obec_code="1090019999", smis_code="90019999", name_th="อื่น", district="เมือง"
    )
    single = case_start(
        definition=plan_definition, requester=people["staff"], title="หนึ่ง", school=school
    )
    started = cases_start_bulk(
        definition=plan_definition,
        requester=people["staff"],
        office=office,
        cases=[
            NewCase(title="สอง", school=school),
            NewCase(title="สาม", school=other, data={"k": 1}),
        ],
        batch_size=1,
    )
    many = [Case.objects.get(pk=pk) for pk in started]
    assert [c.reference for c in many] == [
        f"TP-{single.fiscal_year}-000002",
        f"TP-{single.fiscal_year}-000003",
    ]
    for case in [single, *many]:
        task = Task.objects.get(case=case)
        assert (task.step.key, task.role, task.status) == ("draft", "staff", "open")
        assert CaseEvent.objects.filter(case=case, kind="started").count() == 1
        recipients = set(
            Notification.objects.filter(task=task).values_list("recipient__username", flat=True)
        )
        assert recipients == {"staff", "staff2"}
    assert many[1].data == {"k": 1}
    assert Task.objects.get(case=many[0]).due_on == Task.objects.get(case=single).due_on


def test_references_reserved_in_a_block_stay_gap_free(db):
    block = reserve_references(prefix="ZZ", fiscal_year=2570, count=3)
    assert block == ["ZZ-2570-000001", "ZZ-2570-000002", "ZZ-2570-000003"]
    assert next_reference(prefix="ZZ", fiscal_year=2570) == "ZZ-2570-000004"


def test_only_processes_starting_with_a_person_are_started_in_bulk(people, office, db):
    from processes.definitions import definition_import

    waiting = definition_import(
        {
            "code": "wait-first",
            "title_th": "รอก่อน",
            "area": "plans",
            "steps": [
                {
                    "key": "wait",
                    "name_th": "รอ",
                    "kind": "wait_until",
                    "responsible": "staff",
                    "wait_until_field": "d",
                },
                {"key": "end", "name_th": "จบ", "kind": "end", "responsible": "staff"},
            ],
            "transitions": [{"from": "wait", "outcome": "done", "to": "end"}],
        }
    ).definition
    with pytest.raises(ValidationError):
        cases_start_bulk(
            definition=waiting, requester=people["staff"], office=office, cases=[NewCase(title="x")]
        )


def test_notify_many_never_queues_the_same_key_twice(people):
    notice = Notice(
        recipients=[people["staff"], people["staff"]], kind="k", subject="s", dedupe="d:1"
    )
    notify_many([notice])
    notify_many([notice])
    assert Notification.objects.filter(kind="k").count() == 1


def test_school_role_holders_are_own_and_acting_active_holders_by_school(office, school):
    """Who a school's reminders reach (dmc_emis): the role's holders at each school asked
    about, by their own role or by an acting order in force today, active accounts only, each
    school's in account order."""
    today = timezone.localdate()
    other, unasked = SchoolFactory(office=office), SchoolFactory(office=office)
    director = make_user(RoleCode.SCHOOL_DIRECTOR, school=school, username="director")
    acting = make_user(RoleCode.SCHOOL_USER, school=school, username="acting")
    make_user(RoleCode.SCHOOL_USER, school=school, username="teacher")
    retired = make_user(RoleCode.SCHOOL_DIRECTOR, school=other, username="retired")
    retired.is_active = False
    retired.save(update_fields=["is_active"])
    later = make_user(RoleCode.SCHOOL_USER, school=other, username="later")
    over = make_user(RoleCode.SCHOOL_USER, school=other, username="over")
    other_director = make_user(RoleCode.SCHOOL_DIRECTOR, school=other, username="other_director")
    make_user(RoleCode.SCHOOL_DIRECTOR, school=unasked, username="unasked")

    def order(principal, delegate, *, starts: int, ends: int) -> None:
        DelegationFactory(
            principal=principal,
            delegate=delegate,
            role=get_role(RoleCode.SCHOOL_DIRECTOR),
            starts_on=today + timedelta(days=starts),
            ends_on=today + timedelta(days=ends),
        )

    order(director, acting, starts=0, ends=3)  # in force: acts as the director
    order(other_director, later, starts=1, ends=3)  # not yet
    order(other_director, over, starts=-5, ends=-1)  # ended

    def names(found: dict) -> dict:
        return {school_id: [u.username for u in users] for school_id, users in found.items()}

    asked = [school.pk, other.pk]
    assert names(school_role_holders(RoleCode.SCHOOL_DIRECTOR, asked)) == {
        school.pk: ["director", "acting"],
        other.pk: ["other_director"],
    }
    assert names(school_role_holders(RoleCode.SCHOOL_USER, iter(asked))) == {
        school.pk: ["acting", "teacher"],
        other.pk: ["later", "over"],
    }
    # On another day, other orders are in force.
    assert names(school_role_holders(RoleCode.SCHOOL_DIRECTOR, asked, on=today + timedelta(2))) == {
        school.pk: ["director", "acting"],
        other.pk: ["later", "other_director"],
    }
    assert school_role_holders(RoleCode.SCHOOL_DIRECTOR, []) == {}
