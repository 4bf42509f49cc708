"""A step's time model decides its tasks' due dates, in one place (processes.timing)."""

from __future__ import annotations

import copy
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from core.thaitime import add_working_days
from processes.definitions import definition_import, version_as_dict
from processes.models import Outcome, StepKind, Task, TimeModel
from processes.services import case_start, task_complete

pytestmark = pytest.mark.django_db


def _process(first: dict, *, code: str = "timing") -> dict:
    """One step under test, then a two-level approval of 1-5 calendar days, then the end."""
    first = {"key": "work", "name_th": "งาน", "kind": "task", "responsible": "staff", **first}
    return {
        "code": code,
        "title_th": "ทดสอบเวลา",
        "area": "plans",
        "steps": [
            first,
            {
                "key": "propose",
                "name_th": "เสนอ",
                "kind": "approval",
                "approvers": ["group_head", "director"],
                "time_model": "calendar_days",
                "days_min": 1,
                "days_max": 5,
            },
            {"key": "end", "name_th": "สิ้นสุด", "kind": "end"},
        ],
        "transitions": [
            {"from": "work", "outcome": "done", "to": "propose"},
            {"from": "propose", "outcome": "approve", "to": "end"},
            {"from": "propose", "outcome": "return", "to": "work"},
            {"from": "propose", "outcome": "reject", "to": "end"},
        ],
    }


def _start(people, first: dict, data: dict | None = None):
    definition = definition_import(_process(first)).definition
    case = case_start(definition=definition, requester=people["staff"], title="t", data=data)
    return case, case.tasks.get()


def test_untimed_step_has_no_due_date(people):
    _case, task = _start(people, {"time_model": "none"})
    assert task.due_on is None
    assert task.step.time_text == "ไม่กำหนดเวลา"


def test_working_days_due_on_the_maximum(people):
    _case, task = _start(people, {"time_model": "working_days", "days_min": 1, "days_max": 10})
    assert task.due_on == add_working_days(timezone.localdate(), 10)
    assert task.step.time_text == "1\N{EN DASH}10 วันทำการ"


def test_calendar_days_count_every_day(people):
    _case, task = _start(people, {"time_model": "calendar_days", "days_min": 1, "days_max": 5})
    assert task.due_on == timezone.localdate() + datetime.timedelta(days=5)


def test_per_activity_follows_the_number_of_activities(people):
    form = [{"name": "activities", "label_th": "กิจกรรม", "type": "number"}]
    step = {
        "time_model": "per_activity",
        "days_min": 3,
        "days_max": 5,
        "activity_field": "activities",
        "form": form,
    }
    # Four activities already entered for the case (e.g. by the planning step): 4 x 5 days.
    _case, task = _start(people, step, data={"plan": {"activities": 4}})
    assert task.due_on == timezone.localdate() + datetime.timedelta(days=20)
    assert task.step.time_text == "3\N{EN DASH}5 วันต่อกิจกรรม"


def test_per_activity_counts_table_rows_and_waits_for_a_count(people):
    form = [
        {
            "name": "activities",
            "label_th": "กิจกรรม",
            "type": "table",
            "columns": [{"name": "title", "type": "text"}],
        }
    ]
    step = {
        "time_model": "per_activity",
        "days_max": 3,
        "activity_field": "activities",
        "form": form,
    }
    _case, task = _start(people, step, data={"plan": {"activities": [{"title": "a"}] * 2}})
    assert task.due_on == timezone.localdate() + datetime.timedelta(days=6)
    Task.objects.all().delete()
    _case, unknown = _start(people, step)
    assert unknown.due_on is None  # no activities yet: no invented date


def test_until_a_date_of_the_case(people):
    deadline = timezone.localdate() + datetime.timedelta(days=40)
    _case, task = _start(
        people,
        {"time_model": "until_case_date", "case_date_field": "deadline"},
        data={"deadline": deadline.isoformat()},
    )
    assert task.due_on == deadline


def test_approval_chain_shares_the_step_time(people):
    case, task = _start(people, {"time_model": "none"})
    task_complete(task=task, user=people["staff"], outcome=Outcome.DONE)
    first_level = case.tasks.get(step__kind=StepKind.APPROVAL, level=0)
    assert first_level.due_on == timezone.localdate() + datetime.timedelta(days=5)
    task_complete(task=first_level, user=people["group_head"], outcome=Outcome.APPROVE)
    second_level = case.tasks.get(step__kind=StepKind.APPROVAL, level=1)
    # The director sees what is left of the 5 days, not 5 more.
    assert second_level.due_on == first_level.due_on


def test_files_without_a_time_model_keep_their_meaning(db):
    old = _process({"days_min": 1, "days_max": 3}, code="old-file")
    for step in old["steps"]:
        step.pop("time_model", None)
    old["steps"].insert(
        1,
        {
            "key": "wait",
            "name_th": "รอ",
            "kind": "wait_until",
            "responsible": "staff",
            "wait_until_field": "deadline",
        },
    )
    old["transitions"][0] = {"from": "work", "outcome": "done", "to": "wait"}
    old["transitions"].append({"from": "wait", "outcome": "done", "to": "propose"})
    version = definition_import(old)
    models = {s.key: (s.time_model, s.case_date_field) for s in version.steps.all()}
    assert models["work"] == (TimeModel.WORKING_DAYS, "")
    assert models["wait"] == (TimeModel.UNTIL_CASE_DATE, "deadline")
    assert models["propose"] == (TimeModel.WORKING_DAYS, "")  # had days, said nothing more
    assert models["end"] == (TimeModel.NONE, "")
    # Exported and imported again, nothing changes (no new version).
    again = definition_import(version_as_dict(version))
    assert again.pk == version.pk


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"time_model": "per_activity", "days_max": 3}, "number of activities"),
        ({"time_model": "none", "days_max": 3}, "does not count days"),
        ({"time_model": "working_days"}, "in days"),
        ({"time_model": "until_case_date"}, "case date"),
        ({"time_model": "fortnights", "days_max": 3}, "unknown standard time"),
    ],
)
def test_a_time_model_without_what_it_needs_is_refused(db, change, message):
    data = _process({})
    data["steps"][0] = {**copy.deepcopy(data["steps"][0]), **change}
    with translation.override("en"), pytest.raises(ValidationError) as error:
        definition_import(data)
    assert message in " ".join(error.value.messages)
