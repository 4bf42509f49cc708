"""A DMC round from the import to the director: staff import a file with a bad national ID;
the school sees the issue, answers, corrects and confirms; the school director certifies; the
office acknowledges and the district director acknowledges the round."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from django.utils import timezone

from dmc_emis.models import Finding, Round, RoundSchool, SchoolStatus
from dmc_emis.services import round_open
from processes.definitions import definition_import
from processes.models import Case
from processes.services import task_complete

pytestmark = pytest.mark.django_db(transaction=True)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "processes"


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


def fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1


@pytest.fixture
def eager_celery(monkeypatch):
    """The import runs in the web process as soon as it is queued, as a worker would run it."""
    from dmc_emis.tasks import run_import_task

    monkeypatch.setattr(run_import_task, "delay", lambda *args: run_import_task.apply(args=args))


def test_a_round_from_a_faulty_import_to_the_directors_acknowledgement(
    page, people, school, office, tmp_path, eager_celery
):
    for code in ("dmc-round", "dmc-round-ack"):
        definition_import(json.loads((FIXTURES / f"{code}.json").read_text("utf-8")))
    deadline = timezone.localdate() + datetime.timedelta(days=10)
    data_round = Round.objects.create(
        office=office,
        kind="dmc_term2",
        academic_year=2569,
        title="ข้อมูลนักเรียน DMC ภาคเรียนที่ 2 ปีการศึกษา 2569",
        opens_on=deadline - datetime.timedelta(days=30),
        deadline_on=deadline,
    )
    round_open(round_=data_round, user=people["staff"])
    entry = RoundSchool.objects.get(round=data_round, school=school)
    task_complete(
        task=entry.case.tasks.get(status="open"), user=people["school_user"], outcome="done"
    )

    born = f"15/01/{deadline.year - 8 + 543}"
    export = tmp_path / "dmc.csv"
    export.write_text(
        "รหัสโรงเรียน,เลขประจำตัวประชาชน,ชื่อ,นามสกุล,ชั้น,เพศ,วันเกิด\n"
        f"{school.obec_code},1234567890121,สมชาย,ใจดี,ป.2,ช,{born}\n"
        f"{school.obec_code},1234567890122,สมหญิง,ใจงาม,ป.2,ญ,{born}\n",
        encoding="utf-8",
    )

    # Staff import the export; the progress page reports the issue found.
    log_in(page, "staff")
    page.goto(data_round.get_absolute_url())
    page.set_input_files("input[name=file]", str(export))
    page.locator("form[action*='/import/'] button").click()
    page.wait_for_selector("#import-progress[data-status=done]")
    assert Finding.objects.filter(entry=entry, rule="national_id").count() == 1
    fits(page)
    page.goto(entry.get_absolute_url())
    assert "1-2345-xxxxx-xx-2" in page.content() and "1234567890122" not in page.content()
    decide(page, "issues_found")

    # The school sees its issue, answers it, corrects and (after the re-check) confirms.
    log_in(page, "teacher")
    page.goto("/dmc/")
    page.locator(f"a[href='{entry.get_absolute_url()}']").click()
    page.wait_for_load_state()
    assert page.locator("[data-finding=national_id]").count() == 1
    finding = Finding.objects.get(entry=entry)
    page.fill(f"textarea[name=f{finding.pk}-answer]", "แก้เลขประจำตัวประชาชนในระบบ DMC แล้ว")
    page.locator(f"form[action*='/findings/{finding.pk}/answer/'] button").click()
    page.wait_for_load_state()
    decide(page)
    entry.refresh_from_db()
    assert entry.status == SchoolStatus.CORRECTED and entry.open_findings == 1
    fits(page)

    log_in(page, "staff")
    page.goto(entry.get_absolute_url())
    page.locator(f"form[action*='/findings/{finding.pk}/resolve/'] button").click()
    page.wait_for_load_state()
    decide(page, "clean")

    log_in(page, "teacher")
    page.goto(entry.get_absolute_url())
    decide(page)
    entry.refresh_from_db()
    assert entry.status == SchoolStatus.CONFIRMED

    # The school director certifies from the home page's list.
    log_in(page, "principal")
    page.locator(f"a[href='{entry.get_absolute_url()}']").first.click()
    page.wait_for_load_state()
    decide(page, "certified")
    entry.refresh_from_db()
    assert entry.status == SchoolStatus.CERTIFIED

    # The office's officer certifies the school and sends the round to the director.
    log_in(page, "staff")
    page.goto(entry.get_absolute_url())
    decide(page, "certified")
    page.goto(data_round.get_absolute_url())
    decide(page)
    entry.refresh_from_db()
    assert entry.status == SchoolStatus.ACKNOWLEDGED

    # The director sees the board read-only and acknowledges the round.
    log_in(page, "director")
    page.goto(data_round.get_absolute_url())
    assert page.locator("input[name=file]").count() == 0
    assert page.locator("[data-figure=certified]").inner_text().startswith("1 /")
    decide(page)  # one outcome: รับทราบ
    data_round.refresh_from_db()
    assert data_round.ack_case.state == Case.State.COMPLETED
    fits(page)
