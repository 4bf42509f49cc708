"""Staff draft the digital-quality plan and survey the schools; two schools answer; the director
returns it with a comment, staff revise, the director signs it; the public sees it without login."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from accounts.models import Role, RoleCode, School
from accounts.services import user_create
from workplans.models import Plan, SurveyResponse

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, username):
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "x")
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.wait_for_load_state()


def work_step(page, pdf):
    """Fill the open work step's required inputs on the plan page and record it as done."""
    form = page.locator("form[action*='/decide/']").first
    for field in form.locator("textarea:visible, input[type=text]:visible").all():
        name = field.get_attribute("name") or ""
        if name == "comment" or "__" in name or field.input_value():
            continue
        mode = field.get_attribute("inputmode")
        field.fill({"numeric": "21/11/2569", "decimal": "3"}.get(mode, "ทดสอบ"))
    for select in form.locator("select:visible").all():
        select.select_option(index=1)
    for upload in form.locator("input[type=file]").all():
        upload.set_input_files(str(pdf))
    form.locator("button.btn-primary").click()
    page.wait_for_load_state()
    assert page.locator(".alert-success").count(), page.locator("main").inner_text()[:1500]


def work_until(page, plan, step_key, pdf):
    for _ in range(12):
        plan.case.refresh_from_db()
        task = plan.case.tasks.filter(status="open").select_related("step").first()
        if task.step.key == step_key:
            return
        page.goto(f"/workplans/{plan.pk}/")
        work_step(page, pdf)
    raise AssertionError(f"never reached {step_key}")


def approve_on_reading_view(page, plan, username, signature=""):
    log_in(page, username)
    page.goto(f"/workplans/{plan.pk}/read/")
    form = page.locator("#approve-form")
    if signature:
        form.locator("input[name=signed_name]").fill(signature)
    form.locator("button").click()
    page.wait_for_load_state()


def answer_survey(page, username):
    log_in(page, username)
    page.goto("/workplans/")
    page.locator("a", has_text="ความต้องการด้านเทคโนโลยีดิจิทัล").first.click()
    page.wait_for_load_state()
    page.locator("input[type=radio][value='4']").first.check()
    page.get_by_label("อุปกรณ์").check()
    page.locator("form button.btn-primary").click()
    page.wait_for_load_state()


def test_plan_from_survey_to_public_page(page, people, office, school, tmp_path):
    pdf = tmp_path / "document.pdf"
    pdf.write_bytes(b"%PDF-1.4 test")
    call_command("load_catalogue", verbosity=0)
    # This office's memos to the director pass the group head and the deputy (office setting).
    office.chain_via_group_head = office.chain_via_deputy = True
    office.save()
    other_school = School.objects.create(
        office=office, obec_code="1090010002", smis_code="90010002", name_th="โรงเรียนบ้านสอง"
    )
    user_create(
        username="teacher2",
        password="x",
        office=office,
        school=other_school,
        roles=[Role.objects.get(code=RoleCode.SCHOOL_USER)],
        first_name="ครูสอง",
    )

    # Staff create the plan from the digital-quality definition.
    log_in(page, "staff")
    page.goto("/workplans/new/")
    page.select_option("select[name=kind]", "digital_quality")
    page.fill("input[name=title]", "แผนพัฒนาคุณภาพด้านเทคโนโลยีดิจิทัลเพื่อการศึกษา 2570")
    page.locator("form button.btn-primary").click()
    page.wait_for_load_state()
    plan = Plan.objects.get()
    assert plan.case.definition.code == "digital-tech-plan"
    assert "แผนพัฒนาคุณภาพด้านเทคโนโลยีดิจิทัลเพื่อการศึกษา 2570" in page.content()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1

    # A KPI, so the director has a section to comment on.
    page.goto(f"/workplans/{plan.pk}/edit/kpis/")
    page.fill("input[name='kpis-0-name']", "ร้อยละของโรงเรียนที่มีอินเทอร์เน็ตความเร็วสูง")
    page.fill("input[name='kpis-0-unit']", "ร้อยละ")
    page.fill("input[name='kpis-0-target']", "80")
    page.locator("form button.btn-primary").click()
    page.wait_for_load_state()

    # The stakeholder survey: one rating and one choice question, sent to the schools.
    page.locator("[data-new-survey]").click()
    page.wait_for_load_state()
    page.fill("input[name=title]", "ความต้องการด้านเทคโนโลยีดิจิทัล")
    page.fill("input[name='questions-0-text']", "ความพร้อมของอินเทอร์เน็ตในโรงเรียน")
    page.select_option("select[name='questions-1-kind']", "choice")
    page.fill("input[name='questions-1-text']", "สิ่งที่โรงเรียนต้องการมากที่สุด")
    page.fill("textarea[name='questions-1-choices']", "อุปกรณ์\nการอบรม")
    page.locator("form button.btn-primary").click()
    page.wait_for_load_state()
    page.locator("[data-send-survey]").click()
    page.wait_for_load_state()
    survey_url = page.url

    # Two schools answer, once each.
    answer_survey(page, "teacher")
    answer_survey(page, "teacher2")
    assert SurveyResponse.objects.count() == 2
    log_in(page, "teacher")
    page.goto(f"{survey_url.rstrip('/')}/answer/")
    assert page.locator(".alert-success").count() == 1  # already answered

    log_in(page, "staff")
    page.goto(survey_url)
    assert "โรงเรียนบ้านทดสอบ" in page.content() and "โรงเรียนบ้านสอง" in page.content()
    assert page.locator(".survey-chart svg").count() == 2

    # Staff work the steps up to the proposal.
    work_until(page, plan, "propose", pdf)
    approve_on_reading_view(page, plan, "head")
    approve_on_reading_view(page, plan, "deputy")

    # The director reads the plan and returns it with a comment on the indicators.
    log_in(page, "director")
    page.goto("/processes/inbox/")
    page.goto(f"/workplans/{plan.pk}/read/")
    assert "ร้อยละของโรงเรียนที่มีอินเทอร์เน็ตความเร็วสูง" in page.content()
    assert page.locator(".survey-chart svg").count() == 2
    form = page.locator("#return-form")
    form.locator("textarea[name=comment_kpis]").fill("ตัวชี้วัดควรมีค่าเป้าหมายรายปี")
    form.locator("button").click()
    page.wait_for_load_state()
    plan.refresh_from_db()
    assert plan.status == Plan.Status.RETURNED

    # Staff see the comment at the indicators and revise.
    log_in(page, "staff")
    page.goto(f"/workplans/{plan.pk}/")
    assert "ตัวชี้วัดควรมีค่าเป้าหมายรายปี" in page.locator("#section-kpis").inner_text()
    page.goto(f"/workplans/{plan.pk}/edit/kpis/")
    page.fill("input[name='kpis-0-target']", "85")
    page.locator("form button.btn-primary").click()
    page.wait_for_load_state()
    work_until(page, plan, "propose", pdf)
    approve_on_reading_view(page, plan, "head")
    approve_on_reading_view(page, plan, "deputy")

    # The director signs with a typed name: a wrong name is explained, the right one approves.
    approve_on_reading_view(page, plan, "director", signature="ชื่อคนอื่น")
    assert page.locator(".invalid-feedback, .alert-danger, .errorlist").count() > 0
    plan.refresh_from_db()
    assert plan.status == Plan.Status.PROPOSED
    approve_on_reading_view(page, plan, "director", signature=people["director"].display_name)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED

    # Anyone, without logging in, reads the approved plan.
    page.context.clear_cookies()
    page.goto(f"/workplans/public/{plan.public_slug}/")
    assert re.search("แผนพัฒนาคุณภาพด้านเทคโนโลยีดิจิทัลเพื่อการศึกษา 2570", page.content())
    assert "85" in page.locator("#read-kpis").inner_text()
    assert people["director"].display_name in page.locator("#read-signature").inner_text()
    assert "/login/" not in page.url
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1
