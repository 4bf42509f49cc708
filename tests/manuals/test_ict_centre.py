"""Founding the ICT centre (seed 003 P0): the office endorses, then the Area Committee's
secretary records the committee's resolution and meeting date; changes go back to drafting."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from processes.definitions import definition_import
from processes.models import Case, Task
from processes.services import case_start, task_complete

CATALOGUE = Path(__file__).resolve().parents[2] / "fixtures" / "processes"


def pdf(name):
    return SimpleUploadedFile(name, b"%PDF-1.4 x", "application/pdf")


def open_task(case) -> Task:
    return case.tasks.filter(status=Task.Status.OPEN).select_related("step").get()


@pytest.fixture
def centre_case(people):
    definition = definition_import(
        json.loads((CATALOGUE / "ict-centre.json").read_text("utf-8"))
    ).definition
    case = case_start(definition=definition, requester=people["staff"], title="จัดตั้งศูนย์ ICT")
    staff, head = people["staff"], people["group_head"]
    task_complete(task=open_task(case), user=staff, outcome="done", data={"summary": "ภารกิจ"})
    task_complete(
        task=open_task(case),
        user=head,
        outcome="done",
        data={"people": [{"mission": "ระบบเครือข่าย", "name": "นายก", "position": "นักวิชาการ"}]},
    )
    swot = {"strengths": "ก", "weaknesses": "ข", "opportunities": "ค", "threats": "ง"}
    task_complete(task=open_task(case), user=staff, outcome="done", data=swot)
    plan = open_task(case)
    task_complete(
        task=plan, user=staff, outcome="done", files=[(plan.step.attachments[0], pdf("plan.pdf"))]
    )
    draft = open_task(case)
    task_complete(
        task=draft,
        user=staff,
        outcome="done",
        files=[(label, pdf(f"{i}.pdf")) for i, label in enumerate(draft.step.attachments)],
    )
    task_complete(task=open_task(case), user=head, outcome="approve")
    task_complete(task=open_task(case), user=people["director"], outcome="approve")
    return case


def committee(case, people, outcome):
    task = open_task(case)
    assert task.step.key == "committee"
    return task_complete(
        task=task,
        user=people["director"],
        outcome=outcome,
        data={"meeting_no": "3/2570", "meeting_date": "2027-01-15", "resolution": "เห็นชอบ"},
        files=[(task.step.attachments[0], pdf("minutes.pdf"))],
    )


def test_the_committee_secretary_records_the_resolution_and_date(centre_case, people):
    task = open_task(centre_case)
    with pytest.raises(PermissionDenied):
        task_complete(task=task, user=people["staff"], outcome="approved")
    with pytest.raises(ValidationError):  # the meeting date and resolution are required
        task_complete(
            task=task, user=people["director"], outcome="approved", data={"meeting_no": "3"}
        )
    committee(centre_case, people, "approved")
    centre_case.refresh_from_db()
    assert centre_case.data["committee"]["meeting_date"] == "2027-01-15"
    assert centre_case.data["committee"]["resolution"] == "เห็นชอบ"
    assert open_task(centre_case).step.key == "appoint"


def test_changes_asked_by_the_committee_go_back_to_the_announcement(centre_case, people):
    committee(centre_case, people, "revise")
    assert open_task(centre_case).step.key == "announcement"
    centre_case.refresh_from_db()
    assert centre_case.data["committee"]["meeting_no"] == "3/2570"


def test_not_approved_ends_the_case(centre_case, people):
    committee(centre_case, people, "not_approved")
    centre_case.refresh_from_db()
    assert centre_case.state == Case.State.COMPLETED
    assert not centre_case.tasks.filter(status=Task.Status.OPEN).exists()
