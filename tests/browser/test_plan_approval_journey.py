"""Staff draft a plan in the browser; the group head and then the director approve it."""

from __future__ import annotations

import pytest

from processes.models import Case

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, username):
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "x")
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.wait_for_load_state()


def decide(page, outcome):
    form = page.locator("form[action*='/decide/']").first
    radio = form.locator(f"input[name=outcome][value={outcome}]")
    if radio.count() and radio.is_visible():
        radio.check()
    form.locator("button").first.click()
    page.wait_for_load_state()


def test_plan_from_draft_to_director_approval(page, plan_definition, people):
    log_in(page, "staff")
    page.goto(f"/processes/catalogue/{plan_definition.code}/")
    assert page.locator("figure.flowchart svg").is_visible()
    page.goto(f"/processes/catalogue/{plan_definition.code}/start/")
    page.fill("input[name=title]", "แผนพัฒนาคุณภาพด้านเทคโนโลยีดิจิทัล ปี 2570")
    page.locator("form button").first.click()
    page.wait_for_load_state()
    case = Case.objects.get()
    assert case.reference in page.content()

    # A missing required field is explained and nothing moves.
    decide(page, "done")
    assert page.locator(".invalid-feedback, .errorlist, .alert-danger").count() > 0
    page.fill("textarea[name=summary]", "ยุทธศาสตร์ 4 ด้าน")
    decide(page, "done")

    # The group head opens the case from the inbox and decides on the case page.
    log_in(page, "head")
    page.goto("/processes/inbox/")
    page.locator(f"a:has-text('{case.title}')").first.click()
    page.wait_for_load_state()
    decide(page, "approve")

    # The director decides straight from the inbox, reading what staff submitted there.
    log_in(page, "director")
    page.goto("/processes/inbox/")
    item = page.locator("article", has_text=case.reference)
    assert "ยุทธศาสตร์ 4 ด้าน" in item.inner_text()
    # Usable without sideways scrolling on a phone.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1
    item.locator("label.btn-outline-success").click()
    item.locator("button.btn-primary").click()
    page.wait_for_load_state()
    assert page.url.endswith("/processes/inbox/")

    case.refresh_from_db()
    assert case.state == Case.State.COMPLETED
