"""The decision form is built from the step's schema and hands clean data to the service."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from processes.forms import DecisionForm
from processes.models import DueState, StepDefinition, StepKind, Task

SCHEMA = [
    {"name": "budget", "label_th": "งบประมาณ", "type": "number", "required": True},
    {"name": "meeting_on", "label_th": "วันประชุม", "type": "date"},
    {"name": "level", "label_th": "ระดับ", "type": "choice", "choices": ["ประถม", "มัธยม"]},
    {"name": "order", "label_th": "คำสั่ง", "type": "file"},
    {
        "name": "members",
        "label_th": "คณะทำงาน",
        "type": "table",
        "columns": [{"name": "name", "label_th": "ชื่อ"}, {"name": "role", "label_th": "หน้าที่"}],
    },
]


def make_task(kind=StepKind.TASK, due_on=None, paused=False):
    step = StepDefinition(
        key="s", name_th="ขั้น", kind=kind, form_schema=SCHEMA, attachments=["บันทึกข้อความ"]
    )
    return Task(
        step=step,
        role="staff",
        due_on=due_on,
        paused_at=datetime.datetime.now() if paused else None,
    )


def test_fields_follow_the_schema():
    form = DecisionForm(task=make_task())
    assert {"budget", "meeting_on", "level", "order", "attachment__บันทึกข้อความ"} <= set(form.fields)
    assert "members__0__name" in form.fields
    assert form.fields["outcome"].initial == "done"


def test_approval_steps_offer_three_decisions():
    form = DecisionForm(task=make_task(kind=StepKind.APPROVAL))
    assert [c[0] for c in form.fields["outcome"].choices] == ["approve", "return", "reject"]


def test_clean_data_for_the_service():
    upload = SimpleUploadedFile("order.pdf", b"%PDF-1.4", "application/pdf")
    form = DecisionForm(
        {
            "outcome": "done",
            "budget": "1,500",
            "meeting_on": "21/11/2569",
            "level": "ประถม",
            "members__0__name": "นายสมชาย",
            "members__0__role": "ประธาน",
        },
        {"order": upload},
        task=make_task(),
    )
    assert form.is_valid(), form.errors
    data = form.step_data()
    assert data["meeting_on"] == "2026-11-21"
    assert data["members"][0] == {"name": "นายสมชาย", "role": "ประธาน"}
    assert [label for label, _ in form.uploads()] == ["order"]


def test_a_christian_era_date_is_refused_with_a_thai_hint():
    form = DecisionForm({"outcome": "done", "meeting_on": "21/11/2026"}, task=make_task())
    assert not form.is_valid()
    assert "2569" in str(form.errors["meeting_on"])


def test_unsafe_uploads_are_refused():
    upload = SimpleUploadedFile("run.exe", b"MZ", "application/octet-stream")
    form = DecisionForm({"outcome": "done"}, {"order": upload}, task=make_task())
    assert not form.is_valid()
    assert "order" in form.errors


@pytest.mark.django_db
@pytest.mark.parametrize(
    "due_on, paused, expected",
    [
        (datetime.date(2026, 11, 20), False, DueState.OVERDUE),
        (datetime.date(2026, 11, 23), False, DueState.DUE_SOON),  # Monday after Friday the 20th
        (datetime.date(2026, 11, 30), False, DueState.ON_TIME),
        (datetime.date(2026, 11, 1), True, DueState.PAUSED),
    ],
)
def test_due_state(due_on, paused, expected):
    task = make_task(due_on=due_on, paused=paused)
    assert task.due_state(today=datetime.date(2026, 11, 21)) == expected
