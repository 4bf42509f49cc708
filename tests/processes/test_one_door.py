"""One door: domain hooks plan a task before it opens, so its first notice, its `assigned`
event and its due date are right from the start; automatic endings go through the same ending
as a person's decision."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from core.thaitime import format_thai_date
from equipment_loans.models import Condition
from equipment_loans.services import loan_check_out
from processes.definitions import definition_import
from processes.hooks import TaskPlan, _planners, on_task_opening
from processes.models import CaseEvent, Notification, Task
from processes.services import case_start, due_date_pass, task_complete
from repairs.services import ticket_triage
from tests.equipment_loans.conftest import (  # noqa: F401 (fixtures)
    approved_loan,
    loan_definitions,
    open_task,
    projector,
    request_loan,
)
from tests.repairs.test_tickets import file_one

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "processes"


@pytest.fixture
def repair_definition(db):
    data = json.loads((FIXTURES / "repair-ticket.json").read_text("utf-8"))
    return definition_import(data).definition


def test_the_technician_is_the_assignee_of_the_first_notice(repair_definition, people, school):
    ticket = file_one(people, school)
    ticket_triage(
        ticket=ticket, user=people["group_head"], priority="high", technician=people["staff2"]
    )
    diagnose = ticket.case.tasks.get(step__key="diagnose")
    assert diagnose.assignee == people["staff2"]
    # The opening notice went to the technician only, not to every staff member.
    opened = Notification.objects.filter(task=diagnose, kind="task_opened")
    assert list(opened.values_list("recipient", flat=True)) == [people["staff2"].pk]
    assert format_thai_date(diagnose.due_on) in opened.get().body
    # And the audit trail says so, written when the task opened.
    assigned = CaseEvent.objects.get(task=diagnose, kind=CaseEvent.Kind.ASSIGNED)
    assert assigned.comment == people["staff2"].display_name
    assert assigned.at == diagnose.started_at


def test_the_return_step_opens_due_with_the_equipment(approved_loan, people):  # noqa: F811
    loan = loan_check_out(
        loan=approved_loan,
        user=people["staff"],
        conditions={line.pk: Condition.GOOD for line in approved_loan.lines.all()},
        accessories="",
        acknowledgement="teacher",
    )
    task = open_task(loan)
    assert task.step.key == "return" and task.due_on == loan.ends_on
    notice = Notification.objects.filter(task=task, kind="task_opened").first()
    assert notice is not None and format_thai_date(loan.ends_on) in notice.body


def test_a_planner_is_asked_before_the_task_exists(plan_definition, people):
    seen = []

    def planner(case, step, level):
        seen.append((step.key, Task.objects.filter(case=case, step=step).count()))
        return TaskPlan(assignee=people["staff2"], due_on=datetime.date(2027, 1, 15))

    on_task_opening("test-plan")(planner)
    try:
        case = case_start(definition=plan_definition, requester=people["staff"], title="แผน")
    finally:
        _planners["test-plan"].remove(planner)
    task = case.tasks.get()
    assert seen == [("draft", 0)]
    assert (task.assignee, task.due_on) == (people["staff2"], datetime.date(2027, 1, 15))


def test_a_wait_ends_by_itself_through_the_same_ending(people, office):
    definition = definition_import(
        {
            "code": "wait-test",
            "title_th": "รอ",
            "area": "plans",
            "steps": [
                {
                    "key": "wait",
                    "name_th": "รอวันที่",
                    "kind": "wait_until",
                    "responsible": "staff",
                    "case_date_field": "on",
                },
                {
                    "key": "approve",
                    "name_th": "อนุมัติ",
                    "kind": "approval",
                    "approvers": ["group_head", "director"],
                    "time_model": "working_days",
                    "days_max": 2,
                },
                {"key": "end", "name_th": "จบ", "kind": "end"},
            ],
            "transitions": [
                {"from": "wait", "outcome": "done", "to": "approve"},
                {"from": "approve", "outcome": "approve", "to": "end"},
                {"from": "approve", "outcome": "return", "to": "wait"},
                {"from": "approve", "outcome": "reject", "to": "end"},
            ],
        }
    ).definition
    on = datetime.date.today() + datetime.timedelta(days=3)
    case = case_start(
        definition=definition, requester=people["staff"], title="รอ", data={"on": on.isoformat()}
    )
    wait = case.tasks.get()
    assert wait.due_on == on
    assert due_date_pass(today=on)["woken"] == 1
    wait.refresh_from_db()
    assert (wait.status, wait.outcome, wait.finished_by) == ("done", "done", None)
    decided = CaseEvent.objects.get(task=wait, kind=CaseEvent.Kind.DECIDED)
    assert decided.to_step.key == "approve" and decided.actor is None
    first = case.tasks.get(step__key="approve", level=0)
    task_complete(task=first, user=people["group_head"], outcome="approve")
    assert case.tasks.get(step__key="approve", level=1).due_on == first.due_on
