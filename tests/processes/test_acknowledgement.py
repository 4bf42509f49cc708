"""The director closes every report loop: each process whose manual ends by reporting to the
director ends with the director's acknowledgement (รับทราบ), decided one by one or several at
once in the inbox; the case closes on it."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import Office, Role, RoleCode
from accounts.services import user_create
from processes.models import (
    Case,
    CaseEvent,
    DefinitionVersion,
    ProcessDefinition,
    Responsible,
    StepKind,
    Task,
)
from processes.services import case_start, task_complete, tasks_acknowledge
from tests.processes.test_catalogue import actor_for, fill

pytestmark = pytest.mark.django_db

# Written from the seeds: the processes whose manual ends by reporting to the director.
REPORTS_TO_DIRECTOR = {
    # "… เสนอผู้อำนวยการเขตพื้นที่การศึกษา" as the last step (seeds 000/001/002)
    "application-software",
    "ict-work-processes",
    "info-network",
    "info-research",
    "learning-network",
    "media-centre",
    "media-personnel",
    "media-research",
    "media-use-monitoring",
    # "สรุปประเมินผลการดำเนินงานเสนอ ผอ.สพป./สพม." (seeds 001/002)
    "computer-specs",
    "data-security",
    "ict-consulting",
    "ict-maintenance",
    "ict-master-plan",
    "ict-staff-development",
    "ict-systems-network",
    # "รายงานผลการประเมินให้ผู้บริหาร…", "เสนอผู้บริหารและเผยแพร่…" (seed 001)
    "ict-monitoring",
    "info-evaluation",
    "info-production",
    # seed 004: DLTV 5.8 "นำเสนอ ผอ.สพท. รับทราบ", DLIT 5.8 and platform 5.11 report to the director
    "dltv",
    "dlit",
    "digital-platform",
    # seed 002: the round's certification is reported to the district director
    "dmc-round-ack",
}


@pytest.fixture
def catalogue(db):
    call_command("load_catalogue", verbosity=0)


def _run_to_end(case, people):
    """Decide every open task with its first outcome; the tasks decided, in order."""
    decided = []
    for _hop in range(60):
        case.refresh_from_db()
        if not case.is_open:
            return decided
        task = case.tasks.filter(status=Task.Status.OPEN).select_related("step").first()
        actor = actor_for(task, case, people)
        data, files = fill(task, actor)
        task_complete(
            task=task,
            user=actor,
            outcome=task.step.outcomes[0][0],
            data=data,
            files=files,
        )
        decided.append(task)
    raise AssertionError(f"{case.version.definition.code} never ended")


def test_every_process_reporting_to_the_director_ends_with_his_acknowledgement(
    catalogue, people, school
):
    published = DefinitionVersion.objects.filter(status=DefinitionVersion.Status.PUBLISHED)
    codes = set(published.values_list("definition__code", flat=True))
    assert codes >= REPORTS_TO_DIRECTOR
    for definition in ProcessDefinition.objects.filter(code__in=codes):
        case = case_start(
            definition=definition, requester=people["staff"], title="ทดสอบ", school=school
        )
        decided = _run_to_end(case, people)
        case.refresh_from_db()
        assert case.state == Case.State.COMPLETED, definition.code
        last = decided[-1]
        acknowledged = [t for t in decided if t.step.kind == StepKind.ACKNOWLEDGE]
        if definition.code in REPORTS_TO_DIRECTOR:
            assert last.step.kind == StepKind.ACKNOWLEDGE, definition.code
            last.refresh_from_db()
            assert last.finished_by == people["director"], definition.code
            assert last.outcome == "acknowledge"
            closed = case.events.get(kind=CaseEvent.Kind.CLOSED)
            assert closed.actor == people["director"]
        else:
            assert not acknowledged, definition.code
    # No notice to the director that nobody confirms is left as an ending.
    notices = [
        s
        for v in published
        for s in v.steps.filter(kind=StepKind.NOTIFY, responsible=Responsible.DIRECTOR)
    ]
    assert notices == []


def _waiting_acknowledgements(people, school, count):
    definition = ProcessDefinition.objects.get(code="media-centre")
    tasks = []
    for n in range(count):
        case = case_start(
            definition=definition, requester=people["staff"], title=f"ศูนย์สื่อ {n}", school=school
        )
        while True:
            task = case.tasks.get(status=Task.Status.OPEN)
            if task.step.kind == StepKind.ACKNOWLEDGE:
                break
            data, files = fill(task, people["staff"])
            task_complete(task=task, user=people["staff"], outcome="done", data=data, files=files)
        tasks.append(task)
    return tasks


def test_the_director_acknowledges_several_reports_at_once(catalogue, people, school):
    tasks = _waiting_acknowledgements(people, school, 3)
    client = Client()
    client.force_login(people["director"])
    inbox = client.get("/processes/inbox/").content.decode()
    assert inbox.count('name="tasks"') == 3
    response = client.post(
        "/processes/inbox/acknowledge/", {"tasks": [tasks[0].pk, tasks[1].pk]}, follow=True
    )
    assert response.status_code == 200
    states = [Case.objects.get(pk=t.case_id).state for t in tasks]
    assert states == [Case.State.COMPLETED, Case.State.COMPLETED, Case.State.RUNNING]
    assert tasks[0].case.reference in response.content.decode()
    # The one left is acknowledged on its own, with a comment.
    client.post(
        f"/processes/tasks/{tasks[2].pk}/decide/",
        {"outcome": "acknowledge", "comment": "รับทราบ ขอบคุณ", "next": "inbox"},
    )
    tasks[2].refresh_from_db()
    assert tasks[2].outcome == "acknowledge" and tasks[2].comment == "รับทราบ ขอบคุณ"
    assert Case.objects.get(pk=tasks[2].case_id).state == Case.State.COMPLETED


def test_a_report_acknowledged_first_by_someone_else_does_not_stop_the_rest(
    catalogue, people, school
):
    tasks = _waiting_acknowledgements(people, school, 2)
    task_complete(task=tasks[0], user=people["director"], outcome="acknowledge")
    done, problems = tasks_acknowledge(tasks=tasks, user=people["director"])
    assert [t.pk for t in done] == [tasks[1].pk]
    assert len(problems) == 1 and tasks[0].case.reference in problems[0]


@pytest.mark.parametrize(
    "who", ["staff", "group_head", "deputy_director", "school_user", "admin", "outsider"]
)
def test_only_the_director_acknowledges(catalogue, people, school, who):
    tasks = _waiting_acknowledgements(people, school, 1)
    if who in ("admin", "outsider"):
        office = (
            people["staff"].office
            if who == "admin"
            else Office.objects.create(code="9002", name_th="อื่น", kind=Office.Kind.PRIMARY)
        )
        user = user_create(
            username=who,
            password="x",
            office=office,
            roles=[Role.objects.get(code=RoleCode.ADMIN if who == "admin" else RoleCode.STAFF)],
        )
    else:
        user = people[who]
    client = Client()
    client.force_login(user)
    response = client.post("/processes/inbox/acknowledge/", {"tasks": [tasks[0].pk]})
    assert response.status_code == 302
    tasks[0].refresh_from_db()
    assert tasks[0].status == Task.Status.OPEN
    assert Case.objects.get(pk=tasks[0].case_id).state == Case.State.RUNNING


def test_anonymous_cannot_acknowledge(catalogue, people, school):
    tasks = _waiting_acknowledgements(people, school, 1)
    response = Client().post("/processes/inbox/acknowledge/", {"tasks": [tasks[0].pk]})
    assert response.status_code == 302 and "/login" in response["Location"]
    tasks[0].refresh_from_db()
    assert tasks[0].status == Task.Status.OPEN
