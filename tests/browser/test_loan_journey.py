"""A school reserves a projector; the group head approves; the desk hands it over and takes it
back; the calendar shows it free again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.thaitime import format_thai_date
from equipment_loans.models import ItemCategory, Loan, LoanItem
from processes.definitions import definition_import
from tests.browser.test_repair_journey import decide, log_in
from tests.equipment_loans.conftest import days

pytestmark = pytest.mark.django_db(transaction=True)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "processes"


def calendar_cell(page, item, day):
    page.goto(f"/loans/calendar/?view=week&start={format_thai_date(day, 'numeric')}")
    row = page.locator("tr", has=page.locator(f"a[href='{item.get_absolute_url()}']"))
    return row.locator("td").nth(day.weekday())


def test_reserve_approve_hand_over_return(page, people, office):
    for code in ("equipment-loan", "repair-ticket"):
        definition_import(json.loads((FIXTURES / f"{code}.json").read_text("utf-8")))
    projector = LoanItem.objects.create(
        office=office, name="โปรเจคเตอร์ Epson EB-X51", category=ItemCategory.PROJECTOR
    )
    pickup = days(1)

    log_in(page, "teacher")
    # The calendar offers the free day; clicking it opens the request with the item and date.
    calendar_cell(page, projector, pickup).locator("a").first.click()
    page.wait_for_load_state()
    assert page.locator(f"input[name=qty_{projector.pk}]").input_value() == "1"
    page.fill("input[name=ends_on]", format_thai_date(days(2), "numeric"))
    page.fill("textarea[name=purpose]", "นำเสนอผลงานนักเรียน")
    page.fill("input[name=contact_phone]", "0812345678")
    page.locator("main form button").first.click()
    page.wait_for_load_state()
    loan = Loan.objects.get()
    assert loan.reference in page.content()
    assert "full" in calendar_cell(page, projector, pickup).get_attribute("class")

    log_in(page, "head")
    page.goto(loan.get_absolute_url())
    decide(page, "approve")

    log_in(page, "staff")
    page.goto(loan.get_absolute_url())
    decide(page)  # prepared for pick-up
    page.fill("input[name=acknowledgement]", "teacher")
    page.locator("form[action*='/check-out/'] button").click()
    page.wait_for_load_state()
    loan.refresh_from_db()
    assert loan.status == Loan.Status.ON_LOAN

    page.goto(loan.get_absolute_url())
    page.locator("form[action*='/check-in/'] button").click()
    page.wait_for_load_state()
    loan.refresh_from_db()
    assert loan.status == Loan.Status.RETURNED
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1

    log_in(page, "teacher")
    cell = calendar_cell(page, projector, pickup)
    assert "free" in cell.get_attribute("class")
    assert cell.locator("a").count() == 1
