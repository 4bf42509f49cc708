"""The director approves a plan on a phone, opens the memo it issued, and an anonymous visitor
follows the verification address printed on it and sees the document confirmed."""

from __future__ import annotations

import re
import time

import pytest

from documents.models import IssuedDocument
from processes.services import task_complete
from tests.browser.test_plan_approval_journey import log_in
from tests.documents.helpers import office_settings, open_task, pdf_text, plan_case

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def worker_inline(monkeypatch):
    """What the Celery worker does on the decision's commit, done in the server's thread."""
    from documents import services

    monkeypatch.setattr(services, "enqueue_render", services.document_render)


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_director_approves_on_a_phone_and_anyone_verifies_the_memo(
    page, browser, live_server, office, plan_definition, people, worker_inline
):
    office_settings(office)
    case = plan_case(plan_definition, people, title="แผนพัฒนาดิจิทัล ปีงบประมาณ 2570")
    task_complete(
        task=open_task(case),
        user=people["staff"],
        outcome="done",
        data={"summary": "ยุทธศาสตร์ 4 ด้าน"},
    )
    task_complete(task=open_task(case), user=people["group_head"], outcome="approve")

    log_in(page, "director")
    page.goto("/processes/inbox/")
    item = page.locator("article", has_text=case.reference)
    item.locator("label.btn-outline-success").click()
    item.locator("button.btn-primary").click()
    page.wait_for_load_state()
    document = None
    for _ in range(100):  # the decision and its document land as the response is sent
        document = IssuedDocument.objects.filter(case=case).first()
        if document and document.is_issued:
            break
        time.sleep(0.2)
    assert document and document.is_issued

    # The director opens the case and the memo from its link.
    page.goto(case.get_absolute_url())
    link = page.locator("a[href*='/documents/memo/']").last
    assert link.is_visible()
    memo = page.request.get(link.get_attribute("href"))
    assert memo.headers["content-type"] == "application/pdf"
    text = pdf_text(memo.body())
    address = re.search(r"http://\S+/verify/[\w-]+/", text.replace("\n", "")).group(0)

    # Anyone, not logged in, follows the printed address (on this test server's host).
    visitor = browser.new_context(viewport={"width": 360, "height": 780}, locale="th-TH")
    anonymous = visitor.new_page()
    anonymous.goto(live_server.url + address.split("127.0.0.1:8000", 1)[1])
    assert anonymous.locator("[data-verify=document]").is_visible()
    assert document.sha256 in anonymous.content()
    anonymous.set_input_files(
        "input[name=file]",
        files=[{"name": "memo.pdf", "mimeType": "application/pdf", "buffer": memo.body()}],
    )
    anonymous.locator("form button.btn-primary").click()
    anonymous.wait_for_load_state()
    assert anonymous.locator("[data-verify=genuine]").is_visible()
    width = anonymous.evaluate("document.documentElement.scrollWidth")
    assert width <= 361
    visitor.close()
