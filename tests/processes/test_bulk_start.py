"""Starting many cases at once writes what `case_start` writes for each, in one go."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from accounts.models import School
from processes.bulk import NewCase, Notice, cases_start_bulk, notify_many, reserve_references
from processes.models import Case, CaseEvent, Notification, Task
from processes.services import case_start, next_reference

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
