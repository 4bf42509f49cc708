"""The บันทึกข้อความ of an approval: issued at the final decision, numbered from the outgoing
register, frozen (the same bytes whatever changes later), in the official form."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from core import thaitime
from documents.models import IssuedDocument, RegisterEntry
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


def test_a_failed_rendering_keeps_the_decision_and_the_page_says_preparing(
    client, office, plan_definition, people, monkeypatch, django_capture_on_commit_callbacks
):
    from unittest import mock

    from documents import rendering, services, tasks

    office_settings(office)
    queued = []
    with (
        mock.patch.object(tasks.render_document, "delay", side_effect=queued.append),
        django_capture_on_commit_callbacks(execute=True),
    ):
        case = plan_case(plan_definition, people)
        task_complete(
            task=open_task(case), user=people["staff"], outcome="done", data={"summary": "x"}
        )
        task_complete(task=open_task(case), user=people["group_head"], outcome="approve")
        director_task = open_task(case)
        task_complete(task=director_task, user=people["director"], outcome="approve")
    document = IssuedDocument.objects.get(case=case)
    assert queued == [document.pk]  # queued once the decision committed

    def broken(_document):
        raise OSError("disk full")

    monkeypatch.setattr(rendering, "render_issued", broken)
    with pytest.raises(OSError):
        services.document_render(document.pk)
    document.refresh_from_db()
    assert document.status == IssuedDocument.Status.PREPARING
    assert document.attempts == 1 and "disk full" in document.last_error
    director_task.refresh_from_db()
    assert director_task.outcome == "approve"  # the decision stands
    client.force_login(people["director"])
    response = client.get(reverse("documents:memo", args=[director_task.pk]))
    assert response.status_code == 202
    assert document.entry.display_number in response.content.decode()
    monkeypatch.undo()
    services.document_render(document.pk)
    response = client.get(reverse("documents:memo", args=[director_task.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")


def test_freezing_memos_decided_before_the_change(office, plan_definition, people):
    from django.core.management import call_command

    office_settings(office)
    _case, _head, director_task = approved_by_acting_director(plan_definition, people)
    # As before this change: the decision is recorded, no document was issued.
    IssuedDocument.objects.all().delete()
    RegisterEntry.objects.all().delete()
    call_command("freeze_decided_memos")
    document = IssuedDocument.objects.get()
    assert document.frozen_later and document.frozen_at and document.is_issued
    assert document.task_id == director_task.pk
    call_command("freeze_decided_memos")
    assert IssuedDocument.objects.count() == 1  # once
