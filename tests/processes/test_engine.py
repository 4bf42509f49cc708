"""The transition service: authority, approval chains, returns, pinning, SLA and the audit trail."""

from __future__ import annotations

import copy
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Role, RoleCode
from accounts.services import delegation_create
from processes.definitions import definition_import
from processes.models import CalendarDay, Case, CaseEvent, Notification, Task
from processes.services import (
    TaskAlreadyDecided,
    case_start,
    task_assign,
    task_complete,
    task_pause,
    task_resume,
)
from tests.engine_fixtures import PLAN_PROCESS

pytestmark = pytest.mark.django_db


def at(year, month, day, hour=10):
    """An aware Bangkok datetime, for freezing `timezone.now`."""
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


@pytest.fixture
def frozen(monkeypatch):
    def freeze(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return freeze


def start_plan(plan_definition, people):
    return case_start(definition=plan_definition, requester=people["staff"], title="แผน 2570")


def open_task(case):
    return case.tasks.get(status=Task.Status.OPEN)


def test_starting_a_case_opens_the_first_step_for_staff(plan_definition, people):
    case = start_plan(plan_definition, people)
    task = open_task(case)
    assert task.step.key == "draft"
    assert task.role == RoleCode.STAFF
    assert case.reference.startswith("TP-25")
    assert case.events.filter(kind=CaseEvent.Kind.STARTED).exists()
    # Both staff members hear about it through the outbox.
    recipients = set(
        Notification.objects.filter(task=task).values_list("recipient__username", flat=True)
    )
    assert recipients == {"staff", "staff2"}


def test_approval_climbs_the_chain_then_moves_on(plan_definition, people):
    case = start_plan(plan_definition, people)
    task_complete(
        task=open_task(case), user=people["staff"], outcome="done", data={"summary": "ร่าง"}
    )
    head_task = open_task(case)
    assert (head_task.step.key, head_task.role, head_task.level) == ("propose", "group_head", 0)

    task_complete(task=head_task, user=people["group_head"], outcome="approve")
    director_task = open_task(case)
    assert (director_task.role, director_task.level) == ("director", 1)

    task_complete(task=director_task, user=people["director"], outcome="approve")
    case.refresh_from_db()
    assert case.state == Case.State.COMPLETED
    assert case.data["draft"] == {"summary": "ร่าง"}
    outcomes = list(
        case.events.filter(kind=CaseEvent.Kind.DECIDED).values_list("outcome", flat=True)
    )
    assert outcomes == ["done", "approve", "approve"]


def test_staff_cannot_decide_a_director_step(plan_definition, people):
    case = start_plan(plan_definition, people)
    task_complete(
        task=open_task(case), user=people["staff"], outcome="done", data={"summary": "ร่าง"}
    )
    task_complete(task=open_task(case), user=people["group_head"], outcome="approve")
    with pytest.raises(PermissionDenied):
        task_complete(task=open_task(case), user=people["staff"], outcome="approve")
    with pytest.raises(PermissionDenied):
        task_complete(task=open_task(case), user=people["deputy_director"], outcome="approve")
    assert open_task(case).role == "director"


def test_an_acting_director_decides_only_within_the_order_dates(plan_definition, people, frozen):
    frozen(at(2026, 11, 23))
    delegation_create(
        principal=people["director"],
        delegate=people["deputy_director"],
        role=Role.objects.get(code=RoleCode.DIRECTOR),
        starts_on=datetime.date(2026, 11, 23),
        ends_on=datetime.date(2026, 11, 24),
        order_number="สพป.ทดสอบ 123/2569",
    )
    case = start_plan(plan_definition, people)
    task_complete(
        task=open_task(case), user=people["staff"], outcome="done", data={"summary": "ร่าง"}
    )
    task_complete(task=open_task(case), user=people["group_head"], outcome="approve")
    director_task = open_task(case)

    frozen(at(2026, 11, 25))  # the order has ended
    with pytest.raises(PermissionDenied):
        task_complete(task=director_task, user=people["deputy_director"], outcome="approve")

    frozen(at(2026, 11, 24))
    task_complete(task=director_task, user=people["deputy_director"], outcome="approve")
    event = case.events.get(task=director_task)
    assert event.actor == people["deputy_director"]
    assert event.acting_for == people["director"]
    director_task.refresh_from_db()
    assert director_task.acting_for == people["director"]


def test_return_needs_a_comment_and_goes_back_to_drafting(plan_definition, people):
    case = start_plan(plan_definition, people)
    task_complete(
        task=open_task(case), user=people["staff"], outcome="done", data={"summary": "ร่าง"}
    )
    head_task = open_task(case)
    with pytest.raises(ValidationError) as error:
        task_complete(task=head_task, user=people["group_head"], outcome="return", comment="  ")
    assert "comment" in error.value.message_dict

    task_complete(
        task=head_task, user=people["group_head"], outcome="return", comment="เพิ่มงบประมาณ"
    )
    again = open_task(case)
    assert again.step.key == "draft"
    assert Notification.objects.filter(kind="task_return", recipient=people["staff"]).exists()


def test_reject_closes_the_case_as_not_approved(plan_definition, people):
    case = start_plan(plan_definition, people)
    task_complete(
        task=open_task(case), user=people["staff"], outcome="done", data={"summary": "ร่าง"}
    )
    task_complete(
        task=open_task(case), user=people["group_head"], outcome="reject", comment="ไม่สอดคล้อง"
    )
    case.refresh_from_db()
    assert case.state == Case.State.REJECTED
    assert not case.tasks.filter(status=Task.Status.OPEN).exists()


def test_required_form_fields_are_checked_and_explained(plan_definition, people):
    case = start_plan(plan_definition, people)
    with pytest.raises(ValidationError) as error:
        task_complete(task=open_task(case), user=people["staff"], outcome="done", data={})
    assert "summary" in error.value.message_dict
    assert open_task(case).step.key == "draft"  # nothing moved


def test_outcome_must_fit_the_step(plan_definition, people):
    case = start_plan(plan_definition, people)
    with pytest.raises(ValidationError):
        task_complete(task=open_task(case), user=people["staff"], outcome="approve")


def test_a_decided_task_cannot_be_decided_again(plan_definition, people):
    case = start_plan(plan_definition, people)
    task = open_task(case)
    task_complete(task=task, user=people["staff"], outcome="done", data={"summary": "ร่าง"})
    with pytest.raises(TaskAlreadyDecided) as error:
        task_complete(task=task, user=people["staff2"], outcome="done", data={"summary": "อีกฉบับ"})
    assert "staff" in str(error.value)


def test_running_cases_stay_on_their_version(plan_definition, people):
    case = start_plan(plan_definition, people)
    changed = copy.deepcopy(PLAN_PROCESS)
    changed["steps"][1]["approvers"] = ["director"]  # v2 drops the group head
    v2 = definition_import(changed)
    assert v2.number == 2
    case.refresh_from_db()
    assert case.version.number == 1

    task_complete(
        task=open_task(case), user=people["staff"], outcome="done", data={"summary": "ร่าง"}
    )
    assert open_task(case).role == "group_head"  # still v1's chain
    new_case = start_plan(plan_definition, people)
    assert new_case.version == v2


def test_importing_the_same_definition_twice_changes_nothing(plan_definition):
    again = definition_import(PLAN_PROCESS)
    assert again.number == 1
    assert plan_definition.versions.count() == 1


def test_due_dates_count_thai_working_days(plan_definition, people, frozen):
    # From Thursday 9 April 2026, five working days: Fri 10, (weekend, Songkran 13-15 April),
    # Thu 16, Fri 17, Mon 20, Tue 21.
    frozen(at(2026, 4, 9))
    case = start_plan(plan_definition, people)
    assert open_task(case).due_on == datetime.date(2026, 4, 21)


def test_an_extra_day_off_moves_the_due_date(plan_definition, people, frozen):
    CalendarDay.objects.create(date=datetime.date(2026, 11, 27), name="วันหยุดพิเศษ")
    frozen(at(2026, 11, 23))  # Monday
    case = start_plan(plan_definition, people)
    assert open_task(case).due_on == datetime.date(2026, 12, 1)


def test_pause_does_not_count_against_the_due_date(plan_definition, people, frozen):
    frozen(at(2026, 11, 23))
    case = start_plan(plan_definition, people)
    task = open_task(case)
    assert task.due_on == datetime.date(2026, 11, 30)
    with pytest.raises(ValidationError):
        task_pause(task=task, user=people["staff"], reason="")
    task_pause(task=task, user=people["staff"], reason="รอผู้ขาย")
    frozen(at(2026, 11, 26))  # three working days later
    task = task_resume(task=task, user=people["staff"])
    assert task.paused_working_days == 3
    assert task.due_on == datetime.date(2026, 12, 3)
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds[-2:] == [CaseEvent.Kind.PAUSED, CaseEvent.Kind.RESUMED]


def test_the_group_head_assigns_a_staff_task_to_one_person(plan_definition, people):
    case = start_plan(plan_definition, people)
    task = open_task(case)
    with pytest.raises(PermissionDenied):
        task_assign(task=task, assignee=people["staff2"], user=people["school_user"])
    with pytest.raises(ValidationError):
        task_assign(task=task, assignee=people["director"], user=people["group_head"])
    task_assign(task=task, assignee=people["staff2"], user=people["group_head"])
    with pytest.raises(PermissionDenied):
        task_complete(task=task, user=people["staff"], outcome="done", data={"summary": "x"})
    task_complete(task=task, user=people["staff2"], outcome="done", data={"summary": "x"})


def test_audit_events_cannot_be_changed(plan_definition, people):
    case = start_plan(plan_definition, people)
    event = case.events.first()
    event.comment = "แก้ไข"
    with pytest.raises(Exception, match="append-only"):
        event.save()
    with pytest.raises(Exception, match="append-only"):
        event.delete()


def test_approvals_are_neither_assigned_nor_paused(plan_definition, people):
    case = start_plan(plan_definition, people)
    task_complete(task=open_task(case), user=people["staff"], outcome="done", data={"summary": "x"})
    approval = open_task(case)
    with pytest.raises(ValidationError):
        task_assign(task=approval, assignee=people["group_head"], user=people["group_head"])
    with pytest.raises(ValidationError):
        task_pause(task=approval, user=people["group_head"], reason="รอ")


def test_the_group_head_may_do_staff_work_but_not_the_reverse(plan_definition, people):
    case = start_plan(plan_definition, people)
    task_complete(
        task=open_task(case), user=people["group_head"], outcome="done", data={"summary": "x"}
    )
    with pytest.raises(PermissionDenied):
        task_complete(task=open_task(case), user=people["staff"], outcome="approve")
