"""A report to the director (an acknowledgement step) yields a บันทึกข้อความ รายงานผลการดำเนินงาน
with the director's ทราบ, numbered from the outgoing register, frozen and verifiable."""

from __future__ import annotations

import copy
import re

import pytest
from django.urls import reverse

from core import thaitime
from documents.models import IssuedDocument, RegisterKind
from documents.services import decided_memos_freeze
from processes.definitions import definition_import
from processes.services import case_start, task_complete
from tests.documents.helpers import issued_memo, office_settings, open_task, pdf_text
from tests.engine_fixtures import PLAN_PROCESS
from tests.render_jobs import fetch_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def report_definition(db):
    data = copy.deepcopy(PLAN_PROCESS)
    data["code"] = "test-report"
    data["steps"] = [
        data["steps"][0],
        {
            "key": "acknowledge",
            "name_th": "ผอ.สพท. รับทราบผลการดำเนินงาน",
            "kind": "acknowledge",
            "responsible": "director",
        },
        {"key": "end", "name_th": "สิ้นสุด", "kind": "end"},
    ]
    data["transitions"] = [
        {"from": "draft", "outcome": "done", "to": "acknowledge"},
        {"from": "acknowledge", "outcome": "acknowledge", "to": "end"},
    ]
    return definition_import(data).definition


def reported_case(definition, people):
    case = case_start(definition=definition, requester=people["staff"], title="โครงการ DLTV 2570")
    task_complete(
        task=open_task(case),
        user=people["staff"],
        outcome="done",
        data={"summary": "อบรมครู ๑๒๐ คน ผ่านเกณฑ์ร้อยละ ๙๕"},
    )
    return case


def test_acknowledged_report_issues_a_report_memo_with_the_directors_ทราบ(
    client, office, report_definition, people
):
    office_settings(office)
    case = reported_case(report_definition, people)
    ack = open_task(case)
    client.force_login(people["staff"])
    case_page = client.get(case.get_absolute_url()).content.decode()
    assert reverse("documents:memo", args=[ack.pk]) in case_page  # the draft is one click away
    # Before the director reads it: a draft from the case.
    draft = fetch_pdf(client, reverse("documents:memo", args=[ack.pk]))
    assert "ร่าง" in pdf_text(draft.content)
    task_complete(task=ack, user=people["director"], outcome="acknowledge")
    document = issued_memo(case)
    assert document.entry.kind == RegisterKind.OUTGOING
    assert document.decision == "ทราบ"
    flat = re.sub(r"\s+", "", pdf_text(document.file.open("rb").read()))
    position = 0
    for part in [
        "บันทึกข้อความ",
        "เรื่องรายงานผลการดำเนินงานโครงการDLTV" + thaitime.to_thai_digits("2570"),
        "ขอรายงานผลการดำเนินงาน",
        "อบรมครู๑๒๐คน",
        "จึงเรียนมาเพื่อโปรดทราบ",
        "ทราบ",
        "ตรวจสอบ",
    ]:
        found = flat.find(part, position)
        assert found >= 0, f"{part!r} missing after: {flat[position : position + 160]}"
        position = found + len(part)
    assert "อนุมัติ" not in flat
    # Downloaded through the memo link: the frozen file.
    response = client.get(reverse("documents:memo", args=[ack.pk]))
    assert response.content == document.file.open("rb").read()


def test_reports_acknowledged_before_are_frozen_by_the_command(office, report_definition, people):
    case = reported_case(report_definition, people)
    task_complete(task=open_task(case), user=people["director"], outcome="acknowledge")
    IssuedDocument.objects.all().delete()
    from documents.models import RegisterEntry

    RegisterEntry.objects.all().delete()
    assert decided_memos_freeze(render=False) == 1
    assert IssuedDocument.objects.get(case=case).frozen_later
