"""The catalogue states every step's time exactly as the manuals give it, and untimed work is
never chased.

The table below is written from the seeds (`/work/shared/seeds/`, notes in `seeds/notes/`),
not from the fixtures: only seed 004's section 9 tables give standard times; seed 002 gives
the DMC round's data date; the portal's own service processes (repairs, loans, use,
specification drafts) carry the office's service levels. Every other step has no standard time.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from accounts.models import Office, Role, RoleCode
from accounts.services import user_create
from processes.models import (
    CaseEvent,
    DefinitionVersion,
    Notification,
    ProcessDefinition,
    StepKind,
    Task,
)
from processes.services import case_start, due_date_pass, task_complete
from tests.processes.test_catalogue import actor_for, fill

pytestmark = pytest.mark.django_db

# code -> step key -> (time_model, days_min, days_max); every step not listed: ("none", None, None)
WD, CD, PA, UNTIL = "working_days", "calendar_days", "per_activity", "until_case_date"
SEED_TIMES = {
    # seed 004 process 1, section 9 table (rows 1-5; row 4 says "วัน", not "วันทำการ")
    "digital-tech-plan": {
        "appoint": (WD, 1, 5),
        "study": (WD, 1, 10),
        "finalise": (WD, 15, 15),
        "propose": (CD, 1, 5),
    },
    # seed 004 process 2
    "distance-ed-plan": {
        "appoint": (WD, 1, 5),
        "study": (WD, 1, 5),
        "finalise": (WD, 15, 15),
        "propose": (CD, 1, 5),
    },
    # seed 004 process 3: row 5 "ตามที่ระบุในแผนงาน" runs until the plan's end date
    "dltv": {
        "appoint": (WD, 5, 5),
        "study": (WD, 5, 5),
        "prepare_plan": (WD, 7, 7),
        "propose": (WD, 5, 5),
        "implement": (UNTIL, None, None),
    },
    # seed 004 process 4
    "dlit": {
        "study_law": (WD, 1, 5),
        "appoint": (WD, 1, 5),
        "analyse": (WD, 5, 5),
        "propose": (WD, 3, 3),
        "plan": (PA, 3, 5),
        "train": (PA, 3, 5),
        "monitor": (WD, 5, 5),
        "evaluate": (WD, 5, 5),
        "report": (WD, 1, 5),
    },
    # seed 004 process 5 (rows 4-7 read against section 5)
    "digital-platform": {
        "study_law": (WD, 1, 5),
        "appoint": (WD, 1, 5),
        "analyse": (WD, 5, 5),
        "collect": (WD, 3, 3),
        "repository": (PA, 3, 5),
        "plan_activities": (WD, 5, 5),
        "propose": (WD, 3, 3),
        "train": (PA, 3, 5),
        "monitor": (WD, 5, 5),
        "evaluate": (WD, 5, 5),
        "report": (WD, 1, 5),
    },
    # seed 002 duties 3 and 5: the school's work runs until the round's data date
    # (10 June / 10 November / 30 April); the office's own steps have no stated time.
    "dmc-round": {
        "school_submit": (UNTIL, None, None),
        "school_fix": (UNTIL, None, None),
        "school_confirm": (UNTIL, None, None),
        "school_certify": (UNTIL, None, None),
    },
    # seed 002 duties 4 and 6-10 give no date: the school's work runs until the deadline the
    # office sets when it opens the round (no date set, no due date); the check is untimed.
    "data-duty": {
        "school_start": (UNTIL, None, None),
        "school_submit": (UNTIL, None, None),
    },
    # The portal's own service processes (no manual gives them steps): the office's service
    # levels, in working days.
    "repair-ticket": {
        "triage": (WD, 1, 1),
        "diagnose": (WD, 1, 2),
        "purchase_request": (WD, 1, 2),
        "purchase_approval": (WD, 1, 3),
        "wait_parts": (WD, 1, 15),
        "repair": (WD, 1, 3),
        "confirm": (WD, 1, 5),
    },
    "equipment-loan": {
        "head_approval": (WD, 1, 1),
        "revise": (WD, 1, 3),
        "prepare": (WD, 1, 1),
        "checkout": (WD, 1, 1),
        "return": (UNTIL, None, None),  # the loan's return date
    },
    "equipment-use": {
        "head_approval": (WD, 1, 1),
        "revise": (WD, 1, 3),
        "handover": (WD, 1, 1),
        "return": (UNTIL, None, None),
    },
    "spec-draft": {
        "draft": (WD, 1, 10),
        "review": (WD, 1, 3),
        "director": (WD, 1, 3),
        "handoff": (WD, 1, 2),
        "inspection_advice": (WD, 1, 5),
    },
}
NO_TIME = ("none", None, None)


@pytest.fixture
def catalogue(db):
    call_command("load_catalogue", verbosity=0)


def test_every_step_states_the_manuals_time(catalogue):
    published = DefinitionVersion.objects.filter(status=DefinitionVersion.Status.PUBLISHED)
    seen = set()
    for version in published.select_related("definition"):
        code = version.definition.code
        table = SEED_TIMES.get(code, {})
        for step in version.steps.all():
            expected = NO_TIME if step.kind == StepKind.END else table.get(step.key, NO_TIME)
            actual = (step.time_model, step.days_min, step.days_max)
            assert actual == expected, f"{code}.{step.key}: {actual} != {expected}"
            seen.add((code, step.key))
    missing = {(c, k) for c, steps in SEED_TIMES.items() for k in steps} - seen
    assert not missing, f"steps of the table not in the catalogue: {missing}"


def test_timed_steps_have_what_their_model_needs(catalogue):
    published = DefinitionVersion.objects.filter(status=DefinitionVersion.Status.PUBLISHED)
    steps = [s for v in published for s in v.steps.all()]
    per_activity = [s for s in steps if s.time_model == PA]
    assert {(s.version.definition.code, s.key) for s in per_activity} == {
        ("dlit", "plan"),
        ("dlit", "train"),
        ("digital-platform", "repository"),
        ("digital-platform", "train"),
    }
    for step in per_activity:
        assert step.activity_field in {f["name"] for f in step.form_schema}
    until = {
        (s.version.definition.code, s.key): s.case_date_field
        for s in steps
        if s.time_model == UNTIL
    }
    assert until.pop(("dltv", "implement")) == "period_end"
    assert set(until.values()) == {"data_date", "ends_on"}  # the round's, the loan's date
    # How many steps the manuals time, of how many work steps (the end is not work).
    # 33 steps of seed 004 (32 counted in days, one until the plan's end), 4 school steps of
    # the DMC round, 2 of a data duty (until the deadline the office sets), 19 service levels
    # of the portal's own processes and 2 loan returns.
    assert len([s for s in steps if s.is_timed]) == 60


def _walk_to(case, key, people):
    """Decide open tasks with their first outcome until `key` is open."""
    for _hop in range(30):
        task = case.tasks.filter(status=Task.Status.OPEN).select_related("step").first()
        if task.step.key == key:
            return task
        actor = actor_for(task, case, people)
        data, files = fill(task, actor)
        task_complete(
            task=task,
            user=actor,
            outcome=task.step.outcomes[0][0],
            data=data,
            files=files,
        )
    raise AssertionError(f"never reached {key}")


def test_an_untimed_task_has_no_due_date_and_a_late_pass_says_nothing(catalogue, people):
    definition = ProcessDefinition.objects.get(code="media-centre")
    case = case_start(definition=definition, requester=people["staff"], title="ศูนย์สื่อ")
    task = case.tasks.get()
    assert task.step.time_model == "none"
    assert task.due_on is None
    assert task.due_state().value == "untimed"
    before = Notification.objects.count()
    today = timezone.localdate() + datetime.timedelta(days=200)
    counts = due_date_pass(today=today)
    assert counts["reminded"] == counts["breached"] == counts["escalated"] == 0
    assert Notification.objects.count() == before
    task.refresh_from_db()
    assert (task.reminded_on, task.breach_notified_on, task.escalated_on) == (None, None, None)


def test_the_case_page_shows_untimed_work_and_how_long_it_waited(catalogue, people):
    definition = ProcessDefinition.objects.get(code="media-centre")
    case = case_start(definition=definition, requester=people["staff"], title="ศูนย์สื่อ")
    Task.objects.filter(case=case).update(started_at=timezone.now() - datetime.timedelta(days=14))
    client = Client()
    client.force_login(people["staff"])
    page = client.get(case.get_absolute_url()).content.decode()
    assert "ไม่กำหนดเวลา" in page
    assert "รอมาแล้ว" in page


@pytest.mark.parametrize(
    ("who", "status", "due_set"),
    [
        ("staff", 302, True),
        ("group_head", 302, True),  # the group head may do the group's staff work
        ("director", 403, False),
        ("school_user", 404, False),
        ("outsider", 404, False),
    ],
)
def test_entering_the_number_of_activities_sets_the_due_date(
    catalogue, people, who, status, due_set
):
    definition = ProcessDefinition.objects.get(code="dlit")
    case = case_start(definition=definition, requester=people["staff"], title="DLIT")
    task = _walk_to(case, "plan", people)
    assert task.due_on is None  # the number of activities is not known yet
    if who == "outsider":
        other = Office.objects.create(code="9002", name_th="สพป.อื่น", kind=Office.Kind.PRIMARY)
        user = user_create(
            username="outsider",
            password="x",
            office=other,
            roles=[Role.objects.get(code=RoleCode.STAFF)],
        )
    else:
        user = people[who]
    client = Client()
    client.force_login(user)
    response = client.post(f"/processes/tasks/{task.pk}/activities/", {"activities": "3"})
    assert response.status_code == status
    task.refresh_from_db()
    if due_set:
        started = timezone.localdate(task.started_at)
        assert task.due_on == started + datetime.timedelta(days=15)  # 3 activities x 5 days
        event = CaseEvent.objects.get(task=task, kind=CaseEvent.Kind.DUE_SET)
        assert event.actor == user
    else:
        assert task.due_on is None
        assert not CaseEvent.objects.filter(task=task, kind=CaseEvent.Kind.DUE_SET).exists()


def test_a_bad_number_of_activities_changes_nothing(catalogue, people):
    definition = ProcessDefinition.objects.get(code="dlit")
    case = case_start(definition=definition, requester=people["staff"], title="DLIT")
    task = _walk_to(case, "plan", people)
    client = Client()
    client.force_login(people["staff"])
    for value in ("", "abc", "0", "500"):
        response = client.post(
            f"/processes/tasks/{task.pk}/activities/", {"activities": value}, follow=True
        )
        assert "กิจกรรม" in response.content.decode()
        task.refresh_from_db()
        assert task.due_on is None


def test_the_next_per_activity_step_counts_the_planned_activities(catalogue, people):
    definition = ProcessDefinition.objects.get(code="dlit")
    case = case_start(definition=definition, requester=people["staff"], title="DLIT")
    plan = _walk_to(case, "plan", people)
    data, files = fill(plan, people["staff"])
    data["activities"] = "4"
    task_complete(task=plan, user=people["staff"], outcome="done", data=data, files=files)
    train = case.tasks.get(step__key="train", status=Task.Status.OPEN)
    started = timezone.localdate(train.started_at)
    assert train.due_on == started + datetime.timedelta(days=20)  # 4 activities x 5 days
