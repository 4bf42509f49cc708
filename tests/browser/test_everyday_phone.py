"""On a 360 px phone every role's menu pages fit the screen and read in Thai; staff link LINE
from their profile, the director approves on the phone, and the staff member's notice reaches
the (local, fake) LINE API."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from accounts.models import RoleCode
from line_messaging.models import LineLink
from processes.models import Task
from processes.services import case_start, notifications_deliver, task_complete
from tests.browser.test_repair_journey import log_in
from tests.line_fake import sign
from tests.ui.english import english_words

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 360, "height": 780}
LINE_ID = "U" + "d" * 32


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(viewport=PHONE, locale="th-TH", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


ROLE_USERS = {
    RoleCode.SCHOOL_USER: "teacher",
    RoleCode.SCHOOL_DIRECTOR: "principal",
    RoleCode.STAFF: "staff",
    RoleCode.GROUP_HEAD: "head",
    RoleCode.DEPUTY_DIRECTOR: "deputy",
    RoleCode.DIRECTOR: "director",
}


def test_every_roles_menu_pages_fit_a_phone_and_read_in_thai(phone, people):
    for number, user in enumerate(people.values(), start=1):  # Thai names: data in Thai too
        user.first_name, user.last_name = f"สมชาย{number}", "ใจดี"
        user.save(update_fields=["first_name", "last_name"])
    problems = []
    for role, username in ROLE_USERS.items():
        log_in(phone, username)
        hrefs = phone.eval_on_selector_all(
            "#portal-menu a.nav-link[data-nav]", "links => links.map(a => a.getAttribute('href'))"
        )
        assert len(hrefs) >= 4, role
        pages = [*hrefs, reverse("accounts:profile"), reverse("line_messaging:settings")]
        pages.append(reverse("equipment_loans:calendar"))
        for href in dict.fromkeys(pages):
            phone.goto(href)
            phone.wait_for_load_state()
            width = phone.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                problems.append(f"{role} {href}: {width}px wide")
            words = english_words(phone.content())
            if words:
                problems.append(f"{role} {href}: English {words[:5]}")
    assert problems == [], problems


def test_staff_link_line_and_get_the_directors_approval_on_line(
    phone, people, plan_definition, fake_line, live_server
):
    staff = people["staff"]
    log_in(phone, "staff")
    phone.goto(reverse("accounts:profile"))
    phone.locator("a[data-nav=line]").click()
    phone.locator("[data-action=line-code]").click()
    code = phone.locator("[data-line-code]").get_attribute("data-line-code")

    # The person sends the code to the Official Account; LINE calls the webhook.
    body = json.dumps(
        {
            "destination": "U" + "0" * 32,
            "events": [
                {
                    "type": "message",
                    "mode": "active",
                    "timestamp": 1764800000000,
                    "webhookEventId": "01JDEMOJOURNEY000000000000",
                    "deliveryContext": {"isRedelivery": False},
                    "source": {"type": "user", "userId": LINE_ID},
                    "replyToken": "reply-1",
                    "message": {"type": "text", "id": "9", "text": code, "quoteToken": "q"},
                }
            ],
        }
    ).encode()
    answer = phone.request.post(
        reverse("line_messaging:webhook"),
        data=body,
        headers={"Content-Type": "application/json", "X-Line-Signature": sign(body)},
    )
    assert answer.status == 200
    phone.reload()
    assert phone.locator("[data-line-state=linked]").is_visible()
    phone.locator("input[name=delivery][value=line]").check()
    phone.locator("[data-line-state=linked] form button[type=submit]").first.click()
    phone.wait_for_load_state()
    assert LineLink.objects.get(user=staff).delivery == LineLink.Delivery.LINE_ONLY

    case = case_start(definition=plan_definition, requester=staff, title="แผนทดลองส่ง LINE")
    task = case.tasks.get(status=Task.Status.OPEN)
    task_complete(task=task, user=staff, outcome="done", data={"summary": "ร่างแผน"})
    task = case.tasks.get(status=Task.Status.OPEN)
    task_complete(task=task, user=people["group_head"], outcome="approve")
    notifications_deliver()
    pushes_before = len(fake_line.pushes(to=LINE_ID))

    log_in(phone, "director")
    phone.goto(reverse("processes:inbox"))
    card = phone.locator(f"#inbox-{case.tasks.get(status=Task.Status.OPEN).pk}")
    card.locator("label", has_text="อนุมัติ").first.click()
    card.locator("button", has_text="บันทึกผลการพิจารณา").click()
    phone.wait_for_load_state()
    case.refresh_from_db()
    assert not case.is_open

    notifications_deliver()
    texts = fake_line.texts(to=LINE_ID)[pushes_before:]
    assert any(case.reference in text for text in texts), texts
    assert any(
        f"{live_server.url}{case.get_absolute_url()}" in text or case.get_absolute_url() in text
        for text in texts
    )
