"""คำสั่งแต่งตั้งคณะทำงาน: proposed from a case whose step lists the working group, signed by
the director through the engine, numbered from the order register, frozen and verifiable."""

from __future__ import annotations

import copy
import re

import pytest
from django.urls import reverse

from core import thaitime
from documents.models import IssuedDocument
from documents.orders import ORDER_PROCESS
from documents.services import document_render
from processes.definitions import definition_import
from processes.models import Case
from processes.services import case_start, task_complete
from tests.documents.helpers import office_settings, open_task, pdf_text
from tests.engine_fixtures import PLAN_PROCESS

pytestmark = pytest.mark.django_db

MEMBERS = [
    {"name": "นายสมชาย ใจดี", "position": "ผู้อำนวยการกลุ่ม", "duty": "ประธานคณะทำงาน"},
    {"name": "นางสาวสุดา รักเรียน", "position": "นักวิชาการคอมพิวเตอร์", "duty": "เลขานุการ"},
]


@pytest.fixture
def appoint_definition(db):
    data = copy.deepcopy(PLAN_PROCESS)
    data["code"] = "test-appoint"
    data["steps"][0]["form"] = [
        {
            "name": "members",
            "label_th": "รายชื่อคณะทำงาน",
            "type": "table",
            "columns": [
                {"name": "name", "label_th": "ชื่อ-สกุล", "type": "text"},
                {"name": "position", "label_th": "ตำแหน่ง", "type": "text"},
                {"name": "duty", "label_th": "หน้าที่ในคณะทำงาน", "type": "text"},
            ],
        }
    ]
    return definition_import(data).definition


def appointed_case(definition, people):
    case = case_start(definition=definition, requester=people["staff"], title="แผนดิจิทัล 2570")
    task_complete(
        task=open_task(case), user=people["staff"], outcome="done", data={"members": MEMBERS}
    )
    return case


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_director_signs_the_order_and_it_is_issued_in_the_official_form(
    client, office, appoint_definition, people
):
    office_settings(office)
    people["director"].title, people["director"].first_name = "นาย", "ประเสริฐ"
    people["director"].last_name = "ศรีสุข"
    people["director"].position = "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาทดสอบ เขต ๑"
    people["director"].save()
    case = appointed_case(appoint_definition, people)
    client.force_login(people["staff"])
    page = client.get(case.get_absolute_url()).content.decode()
    assert reverse("documents:order_propose", args=[case.reference]) in page
    response = client.post(reverse("documents:order_propose", args=[case.reference]))
    order_case = Case.objects.get(version__definition__code=ORDER_PROCESS)
    assert response.status_code == 302
    # Proposed once only.
    client.post(reverse("documents:order_propose", args=[case.reference]))
    assert Case.objects.filter(version__definition__code=ORDER_PROCESS).count() == 1
    task_complete(task=open_task(order_case), user=people["director"], outcome="approve")
    document = document_render(IssuedDocument.objects.get(kind="order").pk)
    assert not IssuedDocument.objects.filter(kind="memo").exists()
    year = thaitime.be_year(document.decided_at)
    assert document.entry.display_number == f"1/{year}"
    text = pdf_text(document.file.open("rb").read())
    flat = squash(text)
    position = 0
    for part in [
        "คำสั่งสำนักงานเขตพื้นที่การศึกษาประถมศึกษาทดสอบเขต๑",
        squash(f"ที่ {thaitime.to_thai_digits(f'1/{year}')}"),
        "เรื่องแต่งตั้งคณะทำงานจัดทำแผนทดสอบ",
        "อาศัยอำนาจตามความในมาตรา๓๗",
        "จึงแต่งตั้งคณะทำงานประกอบด้วย",
        "๑.นายสมชายใจดีผู้อำนวยการกลุ่มประธานคณะทำงาน",
        "๒.นางสาวสุดารักเรียนนักวิชาการคอมพิวเตอร์เลขานุการ",
        "ให้คณะทำงานมีหน้าที่",
        "ทั้งนี้ตั้งแต่บัดนี้เป็นต้นไป",
        "สั่งณวันที่",
        "(นายประเสริฐศรีสุข)",
        "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาทดสอบเขต๑",
        "ตรวจสอบความถูกต้องได้ที่",
    ]:
        found = flat.find(part, position)
        assert found >= 0, f"{part!r} missing after: {flat[position : position + 160]}"
        position = found + len(part)
    # Verifiable like a memo, and listed on the original case's page.
    assert client.get(reverse("documents:verify", args=[document.token])).status_code == 200
    page = client.get(case.get_absolute_url()).content.decode()
    assert reverse("documents:download", args=[document.pk]) in page


@pytest.mark.parametrize(
    ("role", "status"),
    [("school_user", 404), ("director", 403), ("staff", 302), ("group_head", 302)],
)
def test_who_may_propose_an_order(client, office, appoint_definition, people, role, status):
    case = appointed_case(appoint_definition, people)
    client.force_login(people[role])
    response = client.post(reverse("documents:order_propose", args=[case.reference]))
    assert response.status_code == status
    proposed = Case.objects.filter(version__definition__code=ORDER_PROCESS).exists()
    assert proposed == (role in ("staff", "group_head"))


def test_a_case_without_members_proposes_nothing(client, office, plan_definition, people):
    case = case_start(definition=plan_definition, requester=people["staff"], title="แผน")
    client.force_login(people["staff"])
    client.post(reverse("documents:order_propose", args=[case.reference]))
    assert not Case.objects.filter(version__definition__code=ORDER_PROCESS).exists()
