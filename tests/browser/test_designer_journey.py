"""The group head builds a new process in the designer, without typing any JSON: five steps
with a branch, a director's approval with return and reject, a form with a date and a table.
A step nobody can reach is reported by name; once it is removed the process is published, and
staff run a case on it to the end. Desktop and a 360 px phone."""

from __future__ import annotations

import datetime

import pytest

from core.thaitime import format_thai_date
from processes.models import Case, DefinitionVersion, ProcessDefinition
from tests.browser.test_repair_journey import decide, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def fits_the_screen(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1, width


def add_step(page, version_pk, name, kind="task", responsible="staff"):
    page.goto(f"/processes/designer/v/{version_pk}/steps/new/")
    page.fill("input[name=name_th]", name)
    page.select_option("select[name=kind]", kind)
    if kind != "approval":
        page.select_option("select[name=responsible]", responsible)
    page.select_option("select[name=time_model]", "none")
    page.locator("button[name=save]").click()
    page.wait_for_load_state()


def open_step(page, version_pk, name):
    page.goto(f"/processes/designer/v/{version_pk}/")
    page.locator("#designer-steps li", has_text=name).locator("a").first.click()
    page.wait_for_load_state()


def key_of(version, name):
    return version.steps.get(name_th=name).key


def test_group_head_builds_publishes_and_staff_run_a_case(page, people):
    log_in(page, "head")
    page.goto("/processes/catalogue/")
    page.locator("main a[href='/processes/designer/']").click()
    page.wait_for_load_state()
    page.locator("main a[href='/processes/designer/new/']").first.click()
    page.wait_for_load_state()
    page.fill("input[name=title_th]", "ขอยืมห้องปฏิบัติการคอมพิวเตอร์")
    page.fill("input[name=code]", "lab-booking")
    page.select_option("select[name=area]", "service")
    page.fill("input[name=reference_prefix]", "LB")
    page.locator("main form button").click()
    page.wait_for_load_state()
    version = DefinitionVersion.objects.get(definition__code="lab-booking")
    fits_the_screen(page)

    # Steps 2-4 and a step nobody will lead to.
    add_step(page, version.pk, "ตรวจสอบความพร้อมของห้อง")
    add_step(page, version.pk, "ผอ.สพท. พิจารณาอนุมัติ", kind="approval")
    add_step(page, version.pk, "จัดเตรียมห้องและส่งมอบ")
    add_step(page, version.pk, "ขั้นตอนทดลองที่ไม่มีใครส่งมา")

    # Step 1: its form gets a date and a table; the flowchart follows the form as it changes.
    open_step(page, version.pk, "ขั้นตอนที่ 1")
    page.fill("input[name=name_th]", "ยื่นคำขอใช้ห้อง")
    page.select_option("select[name=time_model]", "working_days")
    page.fill("input[name=days_min]", "1")
    page.fill("input[name=days_max]", "2")
    page.select_option("select[name=next_step]", key_of(version, "ตรวจสอบความพร้อมของห้อง"))
    page.wait_for_selector("#designer-picture .badge.text-bg-info")  # the live preview
    assert "ยื่นคำขอใช้ห้อง" in page.locator("#designer-picture svg").inner_html()
    page.fill("input[name=field-0-label_th]", "วันที่ต้องการใช้ห้อง")
    page.select_option("select[name=field-0-type]", "date")
    page.check("input[name=field-0-required]")
    page.locator("[data-formset=field] [data-add-row]").click()
    page.fill("input[name=field-1-label_th]", "รายชื่อผู้ใช้ห้อง")
    page.select_option("select[name=field-1-type]", "table")
    page.fill("input[name=field-1-col1_label]", "ชื่อ-สกุล")
    page.fill("input[name=field-1-col2_label]", "ชั้น")
    fits_the_screen(page)
    page.locator("button[name=save]").click()
    page.wait_for_load_state()

    # Step 2 branches: ready -> the director; not ready -> the end.
    open_step(page, version.pk, "ตรวจสอบความพร้อมของห้อง")
    page.fill("input[name=branch-0-label_th]", "ห้องว่างพร้อมใช้")
    page.select_option("select[name=branch-0-to_step]", key_of(version, "ผอ.สพท. พิจารณาอนุมัติ"))
    page.fill("input[name=branch-1-label_th]", "ห้องไม่ว่าง")
    page.select_option("select[name=branch-1-to_step]", "end")
    page.locator("button[name=save]").click()
    page.wait_for_load_state()

    # Step 3: the director approves, returns to step 1, or rejects to the end.
    open_step(page, version.pk, "ผอ.สพท. พิจารณาอนุมัติ")
    page.select_option("select[name=approver-0-role]", "director")
    page.fill("input[name=approver-0-ORDER]", "1")
    page.select_option("select[name=approve_to]", key_of(version, "จัดเตรียมห้องและส่งมอบ"))
    page.select_option("select[name=return_to]", key_of(version, "ยื่นคำขอใช้ห้อง"))
    page.select_option("select[name=reject_to]", "end")
    page.locator("button[name=save]").click()
    page.wait_for_load_state()

    open_step(page, version.pk, "จัดเตรียมห้องและส่งมอบ")
    page.select_option("select[name=next_step]", "end")
    page.locator("button[name=save]").click()
    page.wait_for_load_state()

    # The end step goes to the bottom: dragged on the desktop, with the buttons on the phone.
    page.goto(f"/processes/designer/v/{version.pk}/")
    if page.viewport_size["width"] >= 992:
        last = page.locator("#designer-steps li").last
        box = last.bounding_box()
        with page.expect_response(lambda response: "/reorder/" in response.url) as answer:
            page.locator("#step-end").drag_to(
                last, target_position={"x": 20, "y": box["height"] - 4}
            )
        assert answer.value.ok
        page.reload()
    else:
        for _ in range(4):
            page.locator("#step-end button[value=down]").click()
            page.wait_for_load_state()
    assert list(version.steps.order_by("position").values_list("key", flat=True))[-1] == "end"

    # The check names the unreachable step; publishing is refused.
    stray = key_of(version, "ขั้นตอนทดลองที่ไม่มีใครส่งมา")
    problem = page.locator(f".designer-problems li[data-step='{stray}']")
    assert "ขั้นตอนทดลองที่ไม่มีใครส่งมา" in problem.first.inner_text()
    fits_the_screen(page)
    page.locator("form[action$='/publish/'] button").click()
    page.wait_for_load_state()
    version.refresh_from_db()
    assert version.status == "draft"

    # Fix: delete the stray step, then publish.
    page.on("dialog", lambda dialog: dialog.accept())
    page.locator(f"#step-{stray} form[action$='/delete/'] button").click()
    page.wait_for_load_state()
    assert page.locator(".designer-problems li").count() == 0
    page.locator("form[action$='/publish/'] button").click()
    page.wait_for_load_state()
    version.refresh_from_db()
    assert version.status == "published"
    assert version.steps.count() == 5

    # Staff start a case and it runs to the end.
    log_in(page, "staff")
    page.goto("/processes/catalogue/lab-booking/start/")
    page.fill("input[name=title]", "ขอใช้ห้องคอมพิวเตอร์ 2 สำหรับอบรมครู")
    page.locator("main form button").click()
    page.wait_for_load_state()
    case = Case.objects.get(version=version)
    form = version.steps.get(name_th="ยื่นคำขอใช้ห้อง").form_schema
    date_name, table = form[0]["name"], form[1]
    day = datetime.date.today() + datetime.timedelta(days=7)
    page.fill(f"input[name={date_name}]", format_thai_date(day, "numeric"))
    page.fill(f"input[name={table['name']}__0__{table['columns'][0]['name']}]", "นายสมชาย ใจดี")
    page.fill(f"input[name={table['name']}__0__{table['columns'][1]['name']}]", "ครู")
    decide(page)
    decide(page, "option_1")  # the room is ready
    log_in(page, "director")
    page.goto(case.get_absolute_url())
    decide(page, "approve")
    log_in(page, "staff")
    page.goto(case.get_absolute_url())
    decide(page)
    case.refresh_from_db()
    assert case.state == Case.State.COMPLETED
    first = case.tasks.order_by("pk").first()
    assert first.data[date_name] == day.isoformat()
    assert first.data[table["name"]][0][table["columns"][0]["name"]] == "นายสมชาย ใจดี"
    assert ProcessDefinition.objects.get(code="lab-booking").changes.filter(action="published")
