"""The specification library and spec drafts: pick and adjust items, review, director approval,
requester told, hand-off to procurement, acceptance-inspection advice, PDF."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from processes.models import Case, Notification
from processes.services import task_complete
from tests.render_jobs import fetch_pdf
from tests.workplans.factories import make_spec_item, open_task
from workplans.models import SpecDraft, SpecItem
from workplans.selectors import spec_draft_total
from workplans.services import spec_draft_create, spec_line_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(definitions, people):
    return spec_draft_create(
        user=people["staff"],
        title="จัดซื้อคอมพิวเตอร์ห้องเรียน",
        requested_by_unit="กลุ่มนิเทศฯ",
        purpose="ทดแทนเครื่องเก่า",
        fiscal_year=2570,
    )


LIBRARY_STATUS = {
    "staff": 302,
    "group_head": 302,
    "director": 403,
    "school_user": 403,
    "admin": 403,
    "outsider": 302,  # into their own office's library
}


@pytest.mark.parametrize("role, expected", LIBRARY_STATUS.items())
def test_who_maintains_the_library(client, everyone, role, expected):
    client.force_login(everyone[role])
    response = client.post(
        reverse("workplans:spec_item_new"),
        {
            "item_type": "notebook",
            "name": "คอมพิวเตอร์โน้ตบุ๊ก",
            "characteristics": "- หน่วยความจำ 8 GB",
            "unit": "เครื่อง",
            "price_ceiling": "24000",
            "source_standard": "เกณฑ์ราคากลาง กระทรวงดิจิทัลฯ",
            "year": "2568",
            "is_active": "on",
        },
    )
    assert response.status_code == expected
    item = SpecItem.objects.first()
    assert (item is not None) == (expected == 302)
    if item:
        assert item.office_id == everyone[role].office_id


def test_another_offices_item_cannot_be_edited(client, people, outsiders):
    item = make_spec_item(outsiders["staff"].office)
    client.force_login(people["staff"])
    assert client.get(reverse("workplans:spec_item", args=[item.pk])).status_code == 404


def test_picking_items_copies_them_and_keeps_prices_under_the_ceiling(draft, people):
    item = make_spec_item(draft.office)
    line = spec_line_add(draft=draft, user=people["staff"], source=item, quantity=10)
    assert line.unit_price == Decimal("22000")
    assert line.characteristics == item.characteristics
    spec_line_add(
        draft=draft,
        user=people["staff"],
        source=item,
        quantity=2,
        unit_price=Decimal("21500"),
        characteristics="- หน่วยความจำ 16 GB",
    )
    assert spec_draft_total(draft) == Decimal("263000")
    with pytest.raises(ValidationError) as error:
        spec_line_add(
            draft=draft, user=people["staff"], source=item, quantity=1, unit_price=Decimal("22001")
        )
    assert "unit_price" in error.value.message_dict
    assert draft.lines.count() == 2


def test_adjusting_a_line_above_its_ceiling_is_refused_on_the_page(client, draft, people):
    item = make_spec_item(draft.office)
    line = spec_line_add(draft=draft, user=people["staff"], source=item, quantity=1)
    client.force_login(people["staff"])
    response = client.post(
        reverse("workplans:spec_rows", args=[draft.pk, "lines"]),
        {
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "1",
            "lines-0-id": str(line.pk),
            "lines-0-position": "1",
            "lines-0-name": line.name,
            "lines-0-characteristics": "- ปรับแล้ว",
            "lines-0-unit": "เครื่อง",
            "lines-0-quantity": "3",
            "lines-0-unit_price": "30000",
        },
    )
    assert response.status_code == 400
    line.refresh_from_db()
    assert line.unit_price == Decimal("22000")


EDIT_STATUS = {
    "staff": 302,
    "group_head": 302,
    "director": 403,
    "school_user": 404,
    "outsider": 404,
}


@pytest.mark.parametrize("role, expected", EDIT_STATUS.items())
def test_who_adds_items_to_a_draft(client, draft, everyone, role, expected):
    item = make_spec_item(draft.office)
    client.force_login(everyone[role])
    response = client.post(
        reverse("workplans:spec_line_add", args=[draft.pk]),
        {"source": str(item.pk), "quantity": "2", "unit_price": ""},
    )
    assert response.status_code == expected
    assert draft.lines.exists() == (expected == 302)


def test_the_draft_goes_through_review_director_requester_procurement_and_advice(
    client, draft, people
):
    spec_line_add(
        draft=draft, user=people["staff"], source=make_spec_item(draft.office), quantity=5
    )
    task_complete(task=open_task(draft), user=people["staff"], outcome="done")
    draft.refresh_from_db()
    assert draft.status == SpecDraft.Status.REVIEW
    # Once out of drafting, the items are frozen.
    with pytest.raises(PermissionDenied):
        spec_line_add(
            draft=draft, user=people["staff"], source=make_spec_item(draft.office), quantity=1
        )
    task_complete(task=open_task(draft), user=people["group_head"], outcome="approve")
    draft.refresh_from_db()
    assert draft.status == SpecDraft.Status.AWAITING_DIRECTOR
    task_complete(task=open_task(draft), user=people["director"], outcome="approve")
    draft.refresh_from_db()
    assert draft.status == SpecDraft.Status.APPROVED
    assert draft.approved_at is not None
    # The notify step told the requester and passed on by itself to the hand-off.
    notice = Notification.objects.get(kind="step_notice", case=draft.case)
    assert notice.recipient == people["staff"]  # the requester
    assert "แจ้งผู้ขอ" in notice.subject
    task = open_task(draft)
    assert task.step.key == "handoff"
    task_complete(
        task=task,
        user=people["staff"],
        outcome="done",
        data={"letter_no": "ศธ 04057/123", "handed_on": "1/12/2569"},
    )
    draft.refresh_from_db()
    assert draft.status == SpecDraft.Status.HANDED_OFF
    assert draft.handoff_letter_no == "ศธ 04057/123"
    task = open_task(draft)
    assert task.step.key == "inspection_advice"
    task_complete(
        task=task, user=people["staff"], outcome="done", data={"advice": "ตรวจรับตามรายการ"}
    )
    draft.refresh_from_db()
    assert draft.status == SpecDraft.Status.COMPLETED
    assert draft.case.state == Case.State.COMPLETED
    assert draft.inspection_advice == "ตรวจรับตามรายการ"
    client.force_login(people["director"])
    pdf = fetch_pdf(client, reverse("workplans:spec_draft_pdf", args=[draft.pk]))
    assert pdf.content.startswith(b"%PDF")


def test_director_return_sends_the_draft_back_to_drafting(draft, people):
    task_complete(task=open_task(draft), user=people["staff"], outcome="done")
    task_complete(task=open_task(draft), user=people["group_head"], outcome="approve")
    task_complete(
        task=open_task(draft), user=people["director"], outcome="return", comment="ลดจำนวน"
    )
    draft.refresh_from_db()
    assert draft.status == SpecDraft.Status.DRAFTING
    spec_line_add(
        draft=draft, user=people["staff"], source=make_spec_item(draft.office), quantity=1
    )


def test_pages_render(client, draft, people):
    make_spec_item(draft.office)
    client.force_login(people["staff"])
    for url in (
        reverse("workplans:spec_library"),
        reverse("workplans:spec_drafts"),
        reverse("workplans:spec_draft_new"),
        draft.get_absolute_url(),
    ):
        assert client.get(url).status_code == 200, url
    client.force_login(people["school_user"])
    assert client.get(reverse("workplans:spec_library")).status_code == 403


@pytest.mark.parametrize("role, expected", EDIT_STATUS.items())
def test_who_edits_the_drafts_working_group(client, draft, everyone, role, expected):
    client.force_login(everyone[role])
    response = client.post(
        reverse("workplans:spec_rows", args=[draft.pk, "members"]),
        {
            "members-TOTAL_FORMS": "1",
            "members-INITIAL_FORMS": "0",
            "members-0-position": "1",
            "members-0-name": "นายทดสอบ ใจดี",
            "members-0-job_title": "นักวิชาการคอมพิวเตอร์",
            "members-0-duty": "ประธาน",
        },
    )
    assert response.status_code == expected
    assert draft.members.exists() == (expected == 302)


@pytest.mark.parametrize(
    "role, expected",
    [("staff", 302), ("group_head", 302), ("director", 403), ("school_user", 403), ("admin", 403)],
)
def test_who_starts_a_spec_draft(client, definitions, everyone, role, expected):
    client.force_login(everyone[role])
    response = client.post(
        reverse("workplans:spec_draft_new"),
        {
            "title": "จัดซื้อ",
            "requested_by_unit": "กลุ่มนโยบายและแผน",
            "purpose": "",
            "fiscal_year": "2570",
        },
    )
    assert response.status_code == expected
    assert SpecDraft.objects.exists() == (expected == 302)


def _pages(data: bytes) -> list[str]:
    from tests.reports.helpers import pdf_text

    return [page for page in pdf_text(data).split("\f") if page.strip()]


def test_the_spec_pdf_has_the_committee_signatures_the_total_in_words_and_a_draft_mark(
    client, draft, people
):
    from workplans.models import SpecDraftMember

    spec_line_add(
        draft=draft, user=people["staff"], source=make_spec_item(draft.office), quantity=5
    )  # 5 x 22,000 = 110,000 baht
    for position, (name, duty) in enumerate(
        [("นายสมชาย ใจดี", "ประธานกรรมการ"), ("นางสาวสมหญิง รักงาน", "กรรมการและเลขานุการ")],
        start=1,
    ):
        SpecDraftMember.objects.create(
            draft=draft, position=position, name=name, job_title="นักวิชาการคอมพิวเตอร์", duty=duty
        )
    client.force_login(people["staff"])
    pages = _pages(fetch_pdf(client, reverse("workplans:spec_draft_pdf", args=[draft.pk])).content)
    text = "".join("".join(pages).split())  # a signature line may wrap
    assert "หนึ่งแสนหนึ่งหมื่นบาทถ้วน" in text
    for name in ("(นายสมชายใจดี)", "(นางสาวสมหญิงรักงาน)"):
        assert name in text
    assert "ประธานกรรมการ" in text and "กรรมการและเลขานุการ" in text
    assert all("ร่าง" in page for page in pages)  # not yet approved: every page is a draft
    # Approved by the director: no longer a draft.
    task_complete(task=open_task(draft), user=people["staff"], outcome="done")
    task_complete(task=open_task(draft), user=people["group_head"], outcome="approve")
    task_complete(task=open_task(draft), user=people["director"], outcome="approve")
    # The draft changed (approved): a new rendering, not the earlier job's file.
    pages = _pages(fetch_pdf(client, reverse("workplans:spec_draft_pdf", args=[draft.pk])).content)
    assert not any("ร่าง" in page.replace("ร่างคุณลักษณะ", "") for page in pages)
