"""A school reports a broken projector from a phone; the ICT group fixes it; the school rates it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from processes.definitions import definition_import
from repairs.models import RepairTicket

pytestmark = pytest.mark.django_db(transaction=True)

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "processes" / "repair-ticket.json"


def log_in(page, username):
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "x")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


def decide(page, outcome=None):
    form = page.locator("form[action*='/decide/']").first
    if outcome:
        form.locator(f"input[name=outcome][value={outcome}]").check()
    form.locator("button").first.click()
    page.wait_for_load_state()


def test_repair_from_a_phone_report_to_a_rating(page, people, school, tmp_path):
    definition_import(json.loads(FIXTURE.read_text("utf-8")))
    picture = tmp_path / "projector.jpg"
    picture.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 256)

    log_in(page, "teacher")
    page.goto("/repairs/new/")
    page.select_option("select[name=category]", "projector")
    page.fill("textarea[name=symptom]", "โปรเจกเตอร์ห้อง ป.6 เปิดไม่ติด")
    page.fill("input[name=location]", "ห้อง ป.6/1")
    page.fill("input[name=asset_number_text]", "7440-001-0001/65")
    page.fill("input[name=contact_phone]", "0812345678")
    page.set_input_files("input[name=files]", str(picture))
    page.locator("main form button").first.click()
    page.wait_for_load_state()
    ticket = RepairTicket.objects.get()
    assert ticket.reference in page.content()
    assert ticket.attachments.count() == 1

    log_in(page, "head")
    page.goto(ticket.get_absolute_url())
    page.select_option("select[name=priority]", "high")
    page.select_option("select[name=technician]", str(people["staff"].pk))
    page.locator("form[action*='/triage/'] button").click()
    page.wait_for_load_state()

    log_in(page, "staff")
    page.goto(ticket.get_absolute_url())
    page.fill("textarea[name=finding]", "สายสัญญาณหลวม")
    decide(page, "repair")
    page.fill("textarea[name=resolution]", "เปลี่ยนสาย HDMI แล้ว")
    decide(page)

    log_in(page, "teacher")
    page.goto(ticket.get_absolute_url())
    page.select_option("select[name=rating]", "5")
    decide(page, "accepted")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.satisfaction) == (RepairTicket.Status.CLOSED, 5)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1

    # The dashboard counts it: one request filed, one closed, rated 5.
    log_in(page, "head")
    page.goto("/repairs/dashboard/")
    assert page.locator("[data-figure=total]").inner_text() == "1"
    assert page.locator("[data-figure=closed]").inner_text() == "1"
    assert page.locator("[data-figure=satisfaction]").inner_text().startswith("5.0")
