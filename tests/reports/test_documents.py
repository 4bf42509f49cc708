"""The official memo of an approval request and the case dossier, read back from the PDF."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Office, RoleCode, School
from core import thaitime
from processes.models import Task
from processes.services import task_complete
from tests.factories import make_user
from tests.render_jobs import fetch_pdf
from tests.reports.helpers import approved_by_acting_director, open_task, pdf_text, plan_case

pytestmark = pytest.mark.django_db


def squash(text: str) -> str:
    """Text without whitespace: lines wrap wherever the page ends them."""
    return re.sub(r"\s+", "", text)


def thai_long_date(value) -> str:
    text = thaitime.format_thai_date(value, "long", language="th").replace("พ.ศ. ", "")
    return thaitime.to_thai_digits(text)


@pytest.mark.parametrize(
    ("kind", "words"), [("on_behalf", "ปฏิบัติราชการแทน"), ("acting", "รักษาราชการแทน")]
)
def test_memo_carries_the_decisions_typed_names_and_acting_line(
    client, plan_definition, people, kind, words
):
    people["deputy_director"].position = "รองผู้อำนวยการสำนักงานเขตพื้นที่"
    people["deputy_director"].last_name = "ใจดี"
    people["deputy_director"].save()
    case, _head_task, director_task = approved_by_acting_director(
        plan_definition, people, kind=kind
    )
    client.force_login(people["staff"])
    response = client.get(reverse("documents:memo", args=[director_task.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    flat = squash(text)
    for heading in ("บันทึกข้อความ", "ส่วนราชการ", "ที่", "วันที่", "เรื่อง", "เรียน"):
        assert heading in text
    assert thaitime.to_thai_digits(case.reference) in flat
    assert squash("จัดทำแผนพัฒนาดิจิทัล ปีงบประมาณ ๒๕๗๐") in flat
    assert squash("ปรับปรุงเครือข่ายอินเทอร์เน็ตของโรงเรียนในสังกัด") in flat  # what was submitted
    assert squash("เรียน ผู้อำนวยการสพป.ทดสอบ เขต ๑") in flat  # the final approver
    # Both levels, with their decisions and typed names; the director's through the order.
    assert squash("เห็นควรอนุมัติ") in flat
    assert squash("(head)") in flat
    assert squash("(deputy ใจดี)") in flat
    assert squash("รองผู้อำนวยการสำนักงานเขตพื้นที่") in flat
    assert squash(f"{words} ผู้อำนวยการสพป.ทดสอบ เขต ๑") in flat
    assert squash("ตามคำสั่งที่ สพป.ทดสอบ ๔๕/๒๕๖๙") in flat
    assert squash(thai_long_date(director_task.finished_at)) in flat  # BE date, Thai digits
    assert squash("อนุมัติ") in flat


def test_memo_of_a_pending_request_leaves_the_decision_blank(client, plan_definition, people):
    case = plan_case(plan_definition, people)
    task_complete(task=open_task(case), user=people["staff"], outcome="done", data={"summary": "x"})
    pending = open_task(case)
    client.force_login(people["group_head"])
    text = pdf_text(fetch_pdf(client, reverse("documents:memo", args=[pending.pk])).content)
    assert "รอการพิจารณา" in text
    assert "ร่าง" in text  # not decided: a draft, on every page


def test_memo_uses_arabic_digits_when_documents_are_set_so(
    client, plan_definition, people, settings
):
    settings.THAI_DIGITS_IN_DOCUMENTS = False
    case, _head, director_task = approved_by_acting_director(plan_definition, people)
    client.force_login(people["director"])
    text = pdf_text(client.get(reverse("documents:memo", args=[director_task.pk])).content)
    assert case.reference in text
    assert str(timezone.localdate().year + 543) in text


@pytest.fixture
def outsider(db):
    other = Office.objects.create(code="9002", name_th="สพป.อื่น เขต 2", kind=Office.Kind.PRIMARY)
    return make_user(RoleCode.DIRECTOR, office=other, username="outsider")


@pytest.fixture
def other_school_user(office):
    other = School.objects.create(
        office=office, obec_code="1090010002", name_th="โรงเรียนอื่น", district="เมือง"
    )
    return make_user(RoleCode.SCHOOL_USER, school=other, username="otherteacher")


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("staff", 200),
        ("group_head", 200),
        ("director", 200),
        ("school_user", 200),  # the case is the school's
        ("other_school_user", 404),
        ("outsider", 404),
    ],
)
def test_documents_follow_who_may_see_the_case(
    client, plan_definition, people, school, outsider, other_school_user, who, status
):
    case, _head, director_task = approved_by_acting_director(plan_definition, people)
    case.school = school
    case.save(update_fields=["school"])
    user = {"outsider": outsider, "other_school_user": other_school_user}.get(who) or people[who]
    client.force_login(user)
    assert client.get(reverse("documents:memo", args=[director_task.pk])).status_code == status
    dossier = reverse("reports:dossier", args=[case.reference])
    if status == 200:  # rendered in the background: the progress page, then the download
        assert fetch_pdf(client, dossier).content.startswith(b"%PDF")
    else:
        assert client.get(dossier).status_code == status


def test_a_work_step_has_no_memo(client, plan_definition, people):
    case = plan_case(plan_definition, people)
    client.force_login(people["staff"])
    assert client.get(reverse("documents:memo", args=[open_task(case).pk])).status_code == 404


def test_dossier_lists_every_step_decision_form_and_attachment(client, plan_definition, people):
    case = plan_case(plan_definition, people)
    task_complete(
        task=open_task(case),
        user=people["staff"],
        outcome="done",
        data={"summary": "ร่างแผนฉบับแรก"},
        files=[("ร่างแผน", SimpleUploadedFile("ร่างแผน-2570.pdf", b"%PDF-1.4 test"))],
    )
    task_complete(
        task=open_task(case),
        user=people["group_head"],
        outcome="return",
        comment="ขอให้เพิ่มงบประมาณรายโครงการ",
    )
    task_complete(
        task=open_task(case), user=people["staff"], outcome="done", data={"summary": "ฉบับแก้ไข"}
    )
    client.force_login(people["group_head"])
    response = fetch_pdf(client, reverse("reports:dossier", args=[case.reference]))
    text = squash(pdf_text(response.content))
    assert squash(f"แฟ้มเรื่อง {thaitime.to_thai_digits(case.reference)}") in text
    for step in ("จัดทำร่างแผน", "เสนอ ผอ.สพท. พิจารณาอนุมัติ"):
        assert squash(step) in text
    assert "ร่างแผนฉบับแรก" in text and "ฉบับแก้ไข" in text
    assert "ขอให้เพิ่มงบประมาณรายโครงการ" in text
    assert "ส่งกลับแก้ไข" in text
    assert "ร่างแผน-2570.pdf" in text
    assert "staff" in text and "head" in text
    started = case.started_at
    assert (
        squash(thaitime.to_thai_digits(thaitime.format_thai_date(started, language="th"))) in text
    )
    assert Task.objects.filter(case=case).count() == 4


def test_the_memo_is_thai_for_a_reader_whose_screen_is_in_english(client, plan_definition, people):
    _case, _head, director_task = approved_by_acting_director(plan_definition, people)
    client.force_login(people["director"])
    client.cookies["django_language"] = "en"
    assert 'lang="en"' in client.get(reverse("reports:index")).content.decode()
    text = pdf_text(client.get(reverse("documents:memo", args=[director_task.pk])).content)
    assert "อนุมัติ" in text and "Approve" not in text


def test_the_dossier_puts_its_wide_steps_table_on_landscape_pages_and_wraps_long_cells(
    plan_definition, people
):
    from core.pdf import render_document
    from reports.selectors import build_dossier
    from tests.reports.helpers import content_past_page_end

    case = plan_case(plan_definition, people)
    long_comment = "https://example.invalid/" + "ยาวมาก" * 60 + "x" * 300  # no break anywhere
    task_complete(
        task=open_task(case), user=people["staff"], outcome="done", data={"summary": "ร่าง"}
    )
    task_complete(
        task=open_task(case), user=people["group_head"], outcome="return", comment=long_comment
    )
    document = render_document(
        "reports/pdf/dossier.html",
        {"dossier": build_dossier(case), "printed_at": timezone.now()},
    )
    sizes = [(round(page.width), round(page.height)) for page in document.pages]
    assert (794, 1123) in sizes and (1123, 794) in sizes  # portrait and landscape A4 pages
    assert content_past_page_end(document) == []  # the long comment wraps inside its cell
