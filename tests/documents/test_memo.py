"""The บันทึกข้อความ of an approval: issued at the final decision, numbered from the outgoing
register, frozen (the same bytes whatever changes later), in the official form."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from documents.models import IssuedDocument, RegisterEntry
from processes import thaitime
from processes.services import task_complete
from tests.documents.helpers import (
    approved_by_acting_director,
    issued_memo,
    office_settings,
    open_task,
    pdf_text,
    plan_case,
)

pytestmark = pytest.mark.django_db


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_final_approval_issues_a_numbered_frozen_memo(client, office, plan_definition, people):
    office_settings(office)
    case, head_task, director_task = approved_by_acting_director(plan_definition, people)
    document = issued_memo(case)
    assert document.status == IssuedDocument.Status.ISSUED
    assert document.task_id == director_task.pk
    entry = document.entry
    assert entry.number == 1
    assert entry.display_number == "ศธ 04123.17/1"
    assert entry.year == thaitime.be_year(director_task.finished_at)
    assert len(document.sha256) == 64
    client.force_login(people["staff"])
    data = client.get(reverse("documents:memo", args=[head_task.pk])).content
    assert data.startswith(b"%PDF-")
    assert thaitime.to_thai_digits("ศธ 04123.17/1") in pdf_text(data)


def test_download_serves_the_same_bytes_after_the_case_changes(
    client, office, plan_definition, people
):
    office_settings(office)
    case, _head, director_task = approved_by_acting_director(plan_definition, people)
    document = issued_memo(case)
    client.force_login(people["director"])
    url = reverse("documents:memo", args=[director_task.pk])
    first = client.get(url).content
    case.title = "ชื่อเรื่องที่แก้ภายหลัง"
    case.save()
    people["staff"].first_name = "เปลี่ยนชื่อ"
    people["staff"].save()
    second = client.get(url).content
    assert first == second
    assert "ชื่อเรื่องที่แก้ภายหลัง" not in squash(pdf_text(second))
    assert client.get(reverse("documents:download", args=[document.pk])).content == first


def test_a_return_for_revision_issues_nothing(office, plan_definition, people):
    case = plan_case(plan_definition, people)
    task_complete(task=open_task(case), user=people["staff"], outcome="done", data={"summary": "x"})
    task_complete(task=open_task(case), user=people["group_head"], outcome="return", comment="แก้งบ")
    assert not IssuedDocument.objects.exists()
    assert not RegisterEntry.objects.exists()


def test_rejection_is_a_final_decision(office, plan_definition, people):
    case = plan_case(plan_definition, people)
    task_complete(task=open_task(case), user=people["staff"], outcome="done", data={"summary": "x"})
    task_complete(
        task=open_task(case), user=people["group_head"], outcome="reject", comment="ไม่คุ้มค่า"
    )
    document = issued_memo(case)
    assert document.decision == "ไม่อนุมัติ"
