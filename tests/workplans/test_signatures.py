"""The typed-name signature is enforced by the engine on every path into a plan approval: a
case started from the catalogue without a plan, the case page, the approvals inbox (also on a
phone) and the plan's reading view."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from processes.models import ProcessDefinition, Task
from processes.services import case_start, task_complete
from tests.workplans.conftest import PLAN_CODES
from tests.workplans.factories import open_task, work_until

pytestmark = pytest.mark.django_db


def _to_director(case, people) -> Task:
    task = work_until(case, "propose", people["staff"])
    while task.role != "director":
        holder = {"group_head": "group_head", "deputy_director": "deputy_director"}[task.role]
        task_complete(task=task, user=people[holder], outcome="approve")
        task = open_task(case)
    return task


def _catalogue_case(code, people):
    definition = ProcessDefinition.objects.get(code=code)
    return case_start(
        definition=definition, requester=people["staff"], title="แผนจากรายการกระบวนงาน"
    )


@pytest.mark.parametrize("code", PLAN_CODES)
def test_a_plan_case_started_from_the_catalogue_needs_the_directors_own_name(
    definitions, people, code
):
    case = _catalogue_case(code, people)
    task = _to_director(case, people)
    director = people["director"]
    for typed in ("", "ใครก็ได้", people["staff"].display_name):
        with pytest.raises(ValidationError) as error:
            task_complete(task=task, user=director, outcome="approve", data={"signed_name": typed})
        assert "signed_name" in error.value.message_dict
        task.refresh_from_db()
        assert task.status == Task.Status.OPEN  # nothing of the decision was recorded
    task_complete(
        task=task,
        user=director,
        outcome="approve",
        data={"signed_name": f"  {director.display_name} "},
    )
    task.refresh_from_db()
    assert task.status == Task.Status.DONE and task.data["signed_name"] == director.display_name


def test_a_lower_level_may_leave_the_name_empty_but_not_type_someone_elses(definitions, people):
    case = _catalogue_case("dlit", people)
    task = work_until(case, "propose", people["staff"])
    head = people["group_head"]
    with pytest.raises(ValidationError):
        task_complete(task=task, user=head, outcome="approve", data={"signed_name": "ผอ.สพท."})
    task_complete(task=task, user=head, outcome="approve", data={"signed_name": ""})


def test_return_needs_no_signature(definitions, people):
    task = _to_director(_catalogue_case("dltv", people), people)
    task_complete(task=task, user=people["director"], outcome="return", comment="แก้ไขงบประมาณ")


def test_the_inbox_form_asks_for_the_signature_and_the_engine_checks_it(
    client, definitions, people
):
    task = _to_director(_catalogue_case("ict-master-plan", people), people)
    director = people["director"]
    client.force_login(director)
    page = client.get(reverse("processes:inbox")).content.decode()
    assert f'data-signature="{task.pk}"' in page and 'name="signed_name"' in page
    url = reverse("processes:decide", args=[task.pk])
    refused = client.post(url, {"outcome": "approve", "next": "inbox", "signed_name": "ผิดชื่อ"})
    assert refused.status_code == 400
    assert "กรุณาพิมพ์ชื่อ-สกุลของท่าน" in refused.content.decode()
    assert "ผิดชื่อ" in refused.content.decode()  # what was typed is kept
    missing = client.post(url, {"outcome": "approve", "next": "inbox"})
    assert missing.status_code == 400
    task.refresh_from_db()
    assert task.status == Task.Status.OPEN
    done = client.post(
        url, {"outcome": "approve", "next": "inbox", "signed_name": director.display_name}
    )
    assert done.status_code == 302 and done["Location"].endswith(reverse("processes:inbox"))
    task.refresh_from_db()
    assert task.status == Task.Status.DONE


def test_steps_without_a_signature_show_no_signature_box(client, people, plan_definition):
    case = case_start(definition=plan_definition, requester=people["staff"], title="ไม่มีลงนาม")
    task_complete(task=open_task(case), user=people["staff"], outcome="done", data={"summary": "ก"})
    client.force_login(people["group_head"])
    page = client.get(reverse("processes:inbox")).content.decode()
    assert f'id="inbox-{open_task(case).pk}"' in page and "data-signature" not in page
