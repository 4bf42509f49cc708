"""What a newcomer tripped on: returned work looks like any other task, dates and field names
in what was submitted, the demo's unreadable mail log, the README's count of definitions."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from config.mail import ReadableConsoleBackend
from processes.definitions import definition_import
from processes.models import Task
from processes.services import case_start, task_complete
from tests.engine_fixtures import PLAN_PROCESS

pytestmark = pytest.mark.django_db


def _returned_case(people, plan_definition):
    case = case_start(definition=plan_definition, requester=people["staff"], title="แผนส่งกลับ")
    draft = case.tasks.get(status=Task.Status.OPEN)
    task_complete(task=draft, user=people["staff"], outcome="done", data={"summary": "ร่าง"})
    approval = case.tasks.get(status=Task.Status.OPEN)
    task_complete(task=approval, user=people["group_head"], outcome="return", comment="เพิ่มตัวชี้วัด")
    return case, case.tasks.get(status=Task.Status.OPEN)


def test_returned_work_is_flagged_in_my_tasks_and_on_the_home_page(client, people, plan_definition):
    _case, redo = _returned_case(people, plan_definition)
    fresh = case_start(definition=plan_definition, requester=people["staff"], title="แผนใหม่")
    fresh_task = fresh.tasks.get(status=Task.Status.OPEN)
    client.force_login(people["staff2"])
    for url in (reverse("processes:my_tasks"), reverse("portal:home")):
        html = client.get(url).content.decode()
        assert f'data-returned="{redo.pk}"' in html, url
        assert "ส่งกลับแก้ไข" in html and "เพิ่มตัวชี้วัด" in html
        assert f'data-returned="{fresh_task.pk}"' not in html
    only_returned = client.get(reverse("processes:my_tasks"), {"state": "returned"}).content
    assert "แผนส่งกลับ" in only_returned.decode() and "แผนใหม่" not in only_returned.decode()


def test_work_done_again_after_a_return_is_no_longer_flagged(client, people, plan_definition):
    case, redo = _returned_case(people, plan_definition)
    task_complete(task=redo, user=people["staff"], outcome="done", data={"summary": "แก้แล้ว"})
    approval = case.tasks.get(status=Task.Status.OPEN)
    client.force_login(people["group_head"])
    html = client.get(reverse("processes:my_tasks")).content.decode()
    assert approval.step.name_th in html and "data-returned" not in html


def test_submitted_dates_are_buddhist_era_and_files_carry_their_thai_label(client, people):
    spec = {
        **PLAN_PROCESS,
        "code": "test-dated",
        "steps": [
            {
                **PLAN_PROCESS["steps"][0],
                "form": [
                    {"name": "meeting_on", "label_th": "วันประชุม", "type": "date"},
                    {"name": "survey", "label_th": "ผลแบบสำรวจ", "type": "file"},
                    {
                        "name": "rounds",
                        "label_th": "รอบ",
                        "type": "table",
                        "columns": [{"name": "on", "label_th": "วันที่", "type": "date"}],
                    },
                ],
            },
            *PLAN_PROCESS["steps"][1:],
        ],
    }
    definition = definition_import(spec).definition
    case = case_start(definition=definition, requester=people["staff"], title="มีวันที่")
    client.force_login(people["staff"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    task = case.tasks.get(status=Task.Status.OPEN)
    task_complete(
        task=task,
        user=people["staff"],
        outcome="done",
        data={"meeting_on": "1/12/2569", "rounds": [{"on": "2/12/2569"}]},
        files=[("survey", SimpleUploadedFile("s.pdf", b"%PDF-1.4 x", "application/pdf"))],
    )
    for login in ("staff", "group_head"):
        client.force_login(people[login])
        for url in (case.get_absolute_url(), reverse("processes:inbox")):
            html = client.get(url).content.decode()
            if login == "staff" and url != case.get_absolute_url():
                continue
            assert "1 ธ.ค. 2569" in html and "2 ธ.ค. 2569" in html, url
            assert "2026-12-01" not in html and "2026-12-02" not in html
            assert "ผลแบบสำรวจ" in html and "📎 survey" not in html


def test_demo_mail_log_is_readable_thai():
    stream = io.StringIO()
    backend = ReadableConsoleBackend(stream=stream)
    message = EmailMultiAlternatives(
        subject="RP-2570-000001: งานใหม่สำหรับท่าน — ตรวจสอบอาการเสีย" * 2,
        body="โรงเรียนบ้านดู่แจ้งซ่อมเครื่องพิมพ์\n" * 40 + "http://127.0.0.1:8000/x/",
        to=["staff1@example.go.th"],
    )
    message.attach_alternative("<p>html</p>", "text/html")
    backend.send_messages([message])
    log = stream.getvalue()
    assert "Subject: RP-2570-000001: งานใหม่สำหรับท่าน" in log
    assert "โรงเรียนบ้านดู่แจ้งซ่อมเครื่องพิมพ์" in log
    assert "=?utf-8?" not in log and "Content-Transfer-Encoding" not in log
    assert not re.search(r"^[A-Za-z0-9+/=]{60,}$", log, re.M)  # no base64 block


def test_the_demo_run_uses_the_readable_mail_log():
    run = (Path(settings.BASE_DIR) / "run.sh").read_text()
    assert "EMAIL_BACKEND=${EMAIL_BACKEND:-config.mail.ReadableConsoleBackend}" in run


def test_readme_counts_the_definitions_that_load():
    shipped = [
        p for p in (Path(settings.BASE_DIR) / "fixtures" / "processes").glob("*.json")
        if p.name != "catalogue.json"
    ]  # fmt: skip
    readme = (Path(settings.BASE_DIR) / "README.md").read_text("utf-8")
    (count,) = re.findall(r"The (\d+) definitions shipped", readme)
    assert int(count) == len(shipped)


def test_a_school_sees_no_office_controls_on_its_own_task_and_cannot_use_them(
    client, people, school
):
    spec = {
        **PLAN_PROCESS,
        "code": "test-school-step",
        "steps": [
            {**PLAN_PROCESS["steps"][0], "responsible": "school_user", "form": []},
            *PLAN_PROCESS["steps"][1:],
        ],
    }
    definition = definition_import(spec).definition
    case = case_start(
        definition=definition, requester=people["staff"], title="โรงเรียนส่งข้อมูล", school=school
    )
    task = case.tasks.get(status=Task.Status.OPEN)
    teacher = people["school_user"]
    client.force_login(teacher)
    html = client.get(case.get_absolute_url()).content.decode()
    assert reverse("processes:decide", args=[task.pk]) in html  # their own step: yes
    assert reverse("processes:pause", args=[task.pk]) not in html
    assert reverse("processes:assign", args=[task.pk]) not in html
    assert (
        client.post(reverse("processes:pause", args=[task.pk]), {"reason": "x"}).status_code == 403
    )
    response = client.post(reverse("processes:assign", args=[task.pk]), {"assignee": teacher.pk})
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.paused_at is None and task.assignee is None
    # The office still can.
    client.force_login(people["group_head"])
    html = client.get(case.get_absolute_url()).content.decode()
    assert reverse("processes:assign", args=[task.pk]) in html
