"""The memo read back from the PDF: every element of the official form, in order, no raw
values, the Garuda on page 1, "- ๒ -" at the top of page 2, drafts marked on every page."""

from __future__ import annotations

import copy
import io
import re

import pypdf
import pytest
from django.urls import reverse

from core import thaitime
from documents.models import IssuedDocument
from processes.definitions import definition_import
from processes.services import case_start, task_complete
from tests.documents.helpers import issued_memo, office_settings, open_task, pdf_text
from tests.engine_fixtures import PLAN_PROCESS
from tests.render_jobs import fetch_pdf

pytestmark = pytest.mark.django_db

FORM = [
    {"name": "summary", "label_th": "สาระสำคัญ", "type": "text", "required": True},
    {"name": "starts_on", "label_th": "วันเริ่มโครงการ", "type": "date"},
    {"name": "budget", "label_th": "งบประมาณ (บาท)", "type": "number"},
    {"name": "kind", "label_th": "ประเภท", "type": "choice", "choices": ["จัดซื้อ", "จัดจ้าง"]},
    {
        "name": "items",
        "label_th": "รายการครุภัณฑ์",
        "type": "table",
        "columns": [
            {"name": "name", "label_th": "รายการ", "type": "text"},
            {"name": "qty", "label_th": "จำนวน", "type": "number"},
            {"name": "price", "label_th": "ราคาต่อหน่วย", "type": "number"},
            {"name": "due", "label_th": "กำหนดส่งมอบ", "type": "date"},
        ],
    },
]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def rich_definition(db):
    data = copy.deepcopy(PLAN_PROCESS)
    data["code"] = "test-plan-rich"
    data["steps"][0]["form"] = FORM
    return definition_import(data).definition


def decided_case(definition, people, rows=3):
    people["staff"].title, people["staff"].first_name = "นาย", "สมชาย"
    people["staff"].last_name, people["staff"].position = "ใจดี", "นักวิชาการคอมพิวเตอร์ชำนาญการ"
    people["staff"].save()
    people["group_head"].title, people["group_head"].first_name = "นาง", "สมศรี"
    people["group_head"].last_name = "รักงาน"
    people["group_head"].position = "ผู้อำนวยการกลุ่มส่งเสริมการศึกษาทางไกลฯ"
    people["group_head"].save()
    people["director"].title, people["director"].first_name = "นาย", "ประเสริฐ"
    people["director"].last_name = "ศรีสุข"
    people["director"].position = "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาทดสอบ เขต ๑"
    people["director"].save()
    case = case_start(definition=definition, requester=people["staff"], title="จัดซื้อครุภัณฑ์คอมพิวเตอร์")
    data = {
        "summary": "ปรับปรุงห้องเรียนทางไกล",
        "starts_on": "2026-12-01",
        "budget": "125000",
        "kind": "จัดซื้อ",
        "items": [
            {"name": f"เครื่องคอมพิวเตอร์ชุดที่ {i}", "qty": "2", "price": "25000", "due": "2027-01-15"}
            for i in range(1, rows + 1)
        ],
    }
    task_complete(task=open_task(case), user=people["staff"], outcome="done", data=data)
    task_complete(
        task=open_task(case), user=people["group_head"], outcome="approve", comment="ราคาเหมาะสม"
    )
    return case


def test_memo_has_every_element_of_the_official_form(office, rich_definition, people):
    office_settings(office)
    case = decided_case(rich_definition, people)
    task_complete(task=open_task(case), user=people["director"], outcome="approve")
    document = issued_memo(case)
    data = document.file.open("rb").read()
    text = pdf_text(data)
    flat = squash(text)
    today = thaitime.to_thai_digits(
        thaitime.format_thai_date(document.decided_at, "long", language="th").replace("พ.ศ. ", "")
    )
    expected_in_order = [
        "บันทึกข้อความ",
        "ส่วนราชการ",
        "กลุ่มส่งเสริมการศึกษาทางไกล",
        "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาทดสอบเขต๑",
        "โทร.๐๔๓๐๐๐๐๐๐ต่อ๑๗",
        "ที่ศธ๐๔๑๒๓.๑๗/๑",
        f"วันที่{squash(today)}",
        "เรื่องขออนุมัติจัดซื้อครุภัณฑ์คอมพิวเตอร์",
        "เรียนผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาทดสอบเขต๑",
        "ด้วยกลุ่มส่งเสริมการศึกษาทางไกล",
        "สาระสำคัญปรับปรุงห้องเรียนทางไกล",
        "วันเริ่มโครงการ๑ธันวาคม๒๕๖๙",
        thaitime.to_thai_digits("งบประมาณ(บาท)125,000"),
        "ประเภทจัดซื้อ",
        "ลำดับรายการจำนวนราคาต่อหน่วยกำหนดส่งมอบ",  # a real table with Thai headers
        "๑เครื่องคอมพิวเตอร์ชุดที่๑๒๒๕,๐๐๐๑๕มกราคม๒๕๗๐",
        "จึงเรียนมาเพื่อโปรดพิจารณาอนุมัติ",
        "(นายสมชายใจดี)",
        "นักวิชาการคอมพิวเตอร์ชำนาญการ",
        "เรียนผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาทดสอบเขต๑",  # level 1 writes up
        "เห็นควรอนุมัติราคาเหมาะสม",
        "(นางสมศรีรักงาน)",
        "ผู้อำนวยการกลุ่มส่งเสริมการศึกษาทางไกลฯ",
        "อนุมัติ",
        "(นายประเสริฐศรีสุข)",
    ]
    position = 0
    for part in expected_in_order:
        found = flat.find(part, position)
        assert found >= 0, (
            f"{part!r} missing after position {position}: {flat[position : position + 200]}"
        )
        position = found + len(part)
    # No raw values: no ISO dates, no Python lists or dicts, no Arabic-digit amounts.
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)
    assert not re.search(r"[\u0e50-\u0e59]{4}-[\u0e50-\u0e59]{2}-[\u0e50-\u0e59]{2}", text)
    assert "[" not in text and "{" not in text and "125000" not in flat
    # The Garuda is an image on page 1, 1.5 cm high (42.5 pt).
    reader = pypdf.PdfReader(io.BytesIO(data))
    images = reader.pages[0].images
    assert len(images) >= 1
    # Body text is 16.4 pt Sarabun (TH Sarabun PSK size); heading 29 pt bold.
    assert document.content["subject"] == "ขออนุมัติจัดซื้อครุภัณฑ์คอมพิวเตอร์"


def test_a_long_memo_numbers_page_two_at_the_top(office, rich_definition, people):
    office_settings(office)
    case = decided_case(rich_definition, people, rows=40)
    task_complete(task=open_task(case), user=people["director"], outcome="approve")
    data = issued_memo(case).file.open("rb").read()
    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    assert len(pages) >= 2
    assert "- ๑ -" not in pages[0].extract_text()
    heights = []

    def visitor(text, cm, tm, _font, _size):
        if text.strip() == "- ๒ -":  # y on the page: the text matrix through the CTM
            heights.append(tm[4] * cm[1] + tm[5] * cm[3] + cm[5])

    pages[1].extract_text(visitor_text=visitor)
    assert heights and heights[0] > 842 - 2 * 28.35  # in the top margin (2 cm) of A4


def test_a_pending_memo_is_a_draft_on_every_page(client, office, rich_definition, people):
    office_settings(office)
    case = decided_case(rich_definition, people, rows=40)
    pending = open_task(case)
    assert not IssuedDocument.objects.exists()
    client.force_login(people["director"])
    data = fetch_pdf(client, reverse("documents:memo", args=[pending.pk])).content
    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    assert len(pages) >= 2
    for page in pages:
        assert "ร่าง" in page.extract_text()
    assert "ที่ ศธ ๐๔๑๒๓.๑๗/" in pdf_text(data)  # the number is left for the register
