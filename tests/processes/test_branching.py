"""Named outcomes, conditional approval levels, steps that close by themselves, and the hooks
through which domain apps follow their cases."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from processes.definitions import definition_import, graph_errors
from processes.hooks import on_case_change
from processes.models import Case, Task
from processes.services import case_start, due_date_pass, task_complete

pytestmark = pytest.mark.django_db

FIX_PROCESS = {
    "code": "test-fix",
    "title_th": "ซ่อมทดสอบ",
    "area": "service",
    "reference_prefix": "FX",
    "steps": [
        {
            "key": "diagnose",
            "name_th": "ตรวจสอบอาการ",
            "kind": "task",
            "responsible": "staff",
            "options": [
                {"value": "fix", "label_th": "ซ่อมได้ทันที"},
                {"value": "purchase", "label_th": "ต้องจัดซื้ออะไหล่"},
            ],
        },
        {
            "key": "buy",
            "name_th": "เสนอขอจัดซื้อ",
            "kind": "task",
            "responsible": "staff",
            "form": [{"name": "cost", "label_th": "ราคา", "type": "number", "required": True}],
        },
        {
            "key": "approve_buy",
            "name_th": "อนุมัติจัดซื้อ",
            "kind": "approval",
            "approvers": ["group_head", {"role": "director", "field": "cost", "if_over": 10000}],
        },
        {"key": "repair", "name_th": "ซ่อม", "kind": "task", "responsible": "staff"},
        {
            "key": "confirm",
            "name_th": "ผู้แจ้งยืนยันผล",
            "kind": "task",
            "responsible": "requester",
            "auto_done_after_days": 3,
        },
        {"key": "end", "name_th": "สิ้นสุด", "kind": "end"},
    ],
    "transitions": [
        {"from": "diagnose", "outcome": "fix", "to": "repair"},
        {"from": "diagnose", "outcome": "purchase", "to": "buy"},
        {"from": "buy", "outcome": "done", "to": "approve_buy"},
        {"from": "approve_buy", "outcome": "approve", "to": "repair"},
        {"from": "approve_buy", "outcome": "return", "to": "buy"},
        {"from": "approve_buy", "outcome": "reject", "to": "end"},
        {"from": "repair", "outcome": "done", "to": "confirm"},
        {"from": "confirm", "outcome": "done", "to": "end"},
    ],
}


@pytest.fixture
def fix_definition(db):
    return definition_import(FIX_PROCESS).definition


def current(case):
    return case.tasks.select_related("step").get(status=Task.Status.OPEN)


def go(case, user, outcome, **data):
    task_complete(task=current(case), user=user, outcome=outcome, comment="x", data=data)


def test_named_outcomes_need_their_own_transitions():
    data = {**FIX_PROCESS, "transitions": FIX_PROCESS["transitions"][1:]}
    assert any("ซ่อมได้ทันที" in e for e in graph_errors(data["steps"], data["transitions"]))


def test_a_task_branches_on_its_named_outcome(fix_definition, people):
    case = case_start(definition=fix_definition, requester=people["staff"], title="จอเสีย")
    with pytest.raises(ValidationError):
        go(case, people["staff"], "done")  # not an outcome of this step
    go(case, people["staff"], "fix")
    assert current(case).step.key == "repair"


@pytest.mark.parametrize(
    "cost, chain", [("8000", ["group_head"]), ("15000", ["group_head", "director"])]
)
def test_the_director_signs_only_above_the_threshold(fix_definition, people, cost, chain):
    case = case_start(definition=fix_definition, requester=people["staff"], title="จอเสีย")
    go(case, people["staff"], "purchase")
    go(case, people["staff"], "done", cost=cost)
    roles = []
    while current(case).step.key == "approve_buy":
        task = current(case)
        roles.append(task.role)
        go(case, people[task.role], "approve")
    assert roles == chain
    assert current(case).step.key == "repair"


def test_an_unanswered_confirmation_closes_by_itself(fix_definition, people, monkeypatch):
    monkeypatch.setattr(
        timezone, "now", lambda: timezone.make_aware(datetime.datetime(2026, 11, 23, 9))
    )
    case = case_start(definition=fix_definition, requester=people["school_user"], title="จอเสีย")
    go(case, people["staff"], "fix")
    go(case, people["staff"], "done")
    assert current(case).step.key == "confirm"
    assert due_date_pass(today=datetime.date(2026, 11, 25))["auto_done"] == 0
    assert due_date_pass(today=datetime.date(2026, 11, 26))["auto_done"] == 1  # 3 working days
    case.refresh_from_db()
    assert case.state == Case.State.COMPLETED
    assert "3" in case.tasks.get(step__key="confirm").comment


def test_domain_apps_hear_every_change_in_the_same_transaction(fix_definition, people):
    heard = []

    @on_case_change("test-fix")
    def listen(change):
        heard.append((change.kind, change.step.key if change.step else None, change.outcome))

    case = case_start(definition=fix_definition, requester=people["staff"], title="จอเสีย")
    go(case, people["staff"], "fix")
    assert heard[:4] == [
        ("started", "diagnose", ""),
        ("entered", "diagnose", ""),
        ("decided", "diagnose", "fix"),
        ("entered", "repair", ""),
    ]


def test_the_flowchart_labels_named_outcomes_and_conditional_approvers(
    client, fix_definition, people
):
    client.force_login(people["staff"])
    page = client.get(fix_definition.get_absolute_url()).text
    assert "ต้องจัดซื้ออะไหล่" in page  # the branch label on the arrow
    assert "ผอ.สพท." in page  # the conditional director level is still drawn
