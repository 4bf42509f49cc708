"""Helpers of the reports tests: read a PDF back as text, and walk the test plan's cases."""

from __future__ import annotations

import datetime
import os
import re
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


def content_past_page_end(document) -> list[tuple[int, str, float, float]]:
    """Lines of text and pictures of a laid-out WeasyPrint document (reports.pdf.render_document)
    that run below the page area or past its right edge: (page number, text, bottom, limit).
    Running headers and footers live in the page margins and are not counted."""
    from weasyprint.formatting_structure import boxes

    found = []

    def walk(box, page_number, bottom_limit, right_limit):
        if isinstance(box, boxes.MarginBox):
            return
        if isinstance(box, boxes.LineBox | boxes.ReplacedBox):
            bottom = box.position_y + box.margin_height()
            right = box.position_x + box.margin_width()
            if bottom > bottom_limit + 0.5 or right > right_limit + 0.5:
                text = "".join(
                    child.text for child in box.descendants() if isinstance(child, boxes.TextBox)
                )
                found.append((page_number, text[:80], bottom, bottom_limit))
            return
        for child in getattr(box, "children", []):
            walk(child, page_number, bottom_limit, right_limit)

    for number, page in enumerate(document.pages, start=1):
        page_box = page._page_box
        bottom_limit = page_box.content_box_y() + page_box.height
        right_limit = page_box.content_box_x() + page_box.width
        walk(page_box, number, bottom_limit, right_limit)
    return found


BE_DATE_TEXT = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}")  # \d: Thai digits too


def check_workbook(data: bytes) -> dict[str, list]:
    """Assert what every portal XLSX export promises and return its columns by header.

    Row 1 is the title alone, row 2 the headers (bold, frozen below, under an auto-filter
    over every column and row); every column has a width fitted to its header and content;
    date cells are dates in the Buddhist-era format, numbers are numbers with a format, and
    no text cell holds a date written out as text."""
    import io

    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    from core.spreadsheets import DATE_FORMAT, DATETIME_FORMAT, DECIMAL_FORMAT, INTEGER_FORMAT

    sheet = load_workbook(io.BytesIO(data)).active
    title = [cell.value for cell in sheet[1]]
    assert title[0] and not any(title[1:]), title
    headers = [cell.value for cell in sheet[2]]
    assert all(headers) and all(cell.font.bold for cell in sheet[2])
    last = get_column_letter(len(headers))
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == f"A2:{last}{max(sheet.max_row, 3)}"
    for number, header in enumerate(headers, start=1):
        width = sheet.column_dimensions[get_column_letter(number)].width
        assert 8 <= width <= 62, (header, width)
        assert width >= min(len(header), 58) * 0.6, (header, width)  # Thai marks take no room
    columns: dict[str, list] = {header: [] for header in headers}
    for row in sheet.iter_rows(min_row=3):
        for header, cell in zip(headers, row, strict=False):
            value = cell.value
            columns[header].append(value)
            if isinstance(value, datetime.datetime):
                assert cell.number_format in (DATETIME_FORMAT, DATE_FORMAT), header
                assert cell.number_format.startswith("[$-107041E]")
            elif isinstance(value, bool):
                continue
            elif isinstance(value, int | float):
                assert cell.number_format in (INTEGER_FORMAT, DECIMAL_FORMAT), header
            elif isinstance(value, str):
                assert cell.data_type == "s"
                assert not BE_DATE_TEXT.match(value), (header, value)  # a date left as text
    return columns
