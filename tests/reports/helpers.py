"""Helpers of the reports tests: read a PDF back as text, and walk the test plan's cases."""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess

import pytest
from django.utils import timezone

from accounts.models import Role, RoleCode
from accounts.services import delegation_create
from processes.models import Case, Task
from processes.services import case_start, task_complete


def pdf_text(data: bytes) -> str:
    """The text of a PDF in the order it is drawn (pdftotext -raw), the order a reader
    copying it gets; pdftotext's default layout mode re-sorts glyphs by position and so may
    swap two stacked Thai marks (ที่ -> ท่ี) whatever the PDF holds."""
    if shutil.which("pdftotext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftotext missing (scripts/system-packages.sh installs poppler-utils)")
        pytest.skip("pdftotext missing (scripts/system-packages.sh installs poppler-utils)")
    args = ["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"]
    return subprocess.run(args, input=data, capture_output=True, check=True).stdout.decode()


def pdf_fonts(data: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, check=True).stdout.decode()


def pdf_info(data: bytes, tmp_path) -> str:
    path = tmp_path / "info.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True).stdout.decode()


def at(year, month, day, hour=10, minute=0):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


def open_task(case: Case) -> Task:
    return case.tasks.get(status=Task.Status.OPEN)


def plan_case(plan_definition, people, *, title="จัดทำแผนพัฒนาดิจิทัล ปีงบประมาณ 2570", **kwargs):
    return case_start(definition=plan_definition, requester=people["staff"], title=title, **kwargs)


def approved_by_acting_director(plan_definition, people, *, kind="on_behalf"):
    """A plan case drafted by staff, approved by the group head, then by the deputy director
    acting for the director under an order of `kind`. Returns (case, head task, director task)."""
    delegation_create(
        principal=people["director"],
        delegate=people["deputy_director"],
        role=Role.objects.get(code=RoleCode.DIRECTOR),
        starts_on=timezone.localdate() - datetime.timedelta(days=1),
        ends_on=timezone.localdate() + datetime.timedelta(days=5),
        order_number="สพป.ทดสอบ 45/2569",
        kind=kind,
    )
    case = plan_case(plan_definition, people)
    task_complete(
        task=open_task(case),
        user=people["staff"],
        outcome="done",
        data={"summary": "ปรับปรุงเครือข่ายอินเทอร์เน็ตของโรงเรียนในสังกัด"},
    )
    head_task = open_task(case)
    task_complete(
        task=head_task, user=people["group_head"], outcome="approve", comment="เห็นควรอนุมัติ"
    )
    director_task = open_task(case)
    task_complete(
        task=director_task, user=people["deputy_director"], outcome="approve", comment="อนุมัติ"
    )
    head_task.refresh_from_db()
    director_task.refresh_from_db()
    render_issued_documents()
    return case, head_task, director_task


def render_issued_documents() -> None:
    """Do what the Celery worker does after the decision's commit: render the documents it
    issued (tests do not run on-commit callbacks nor a worker)."""
    from documents.models import IssuedDocument
    from documents.services import document_render

    for pk in IssuedDocument.objects.filter(status="preparing").values_list("pk", flat=True):
        document_render(pk)
