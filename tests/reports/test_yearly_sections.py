"""The loans, data rounds and plans sections of the yearly report and their files in the
export pack, on a small year built through each app's services."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Office, RoleCode
from core import thaitime
from core.charts import horizontal_bar_svg
from core.pdf import render_document
from dmc_emis.models import Finding, Round, RoundSchool
from dmc_emis.report_providers import rounds_section
from dmc_emis.services import finding_answer, round_open
from documents.models import OfficeDocumentSettings
from documents.selectors import settings_for
from equipment_loans.models import Condition, ItemCategory, Loan, LoanItem
from equipment_loans.report_providers import loans_section
from equipment_loans.services import Wanted, loan_check_in, loan_check_out, loan_request
from processes.models import Case, Task
from processes.services import task_complete
from reports.models import ReportJob, YearlyReportText
from reports.services import (
    build_yearly_report,
    default_foreword,
    report_job_run,
    yearly_report_context,
)
from tests.dmc_emis.helpers import STUDENT_HEADER, csv_upload, run_import, with_check_digit
from tests.factories import make_user
from tests.reports.helpers import check_workbook, content_past_page_end, pdf_text, plan_case
from tests.workplans.factories import (
    fill_plan,
    load_definitions,
    make_plan,
    make_spec_item,
    work_until,
)
from workplans.models import Activity, SpecDraft
from workplans.report_providers import plans_section
from workplans.services import plan_decide, progress_record, spec_draft_create, spec_line_add

pytestmark = pytest.mark.django_db

YEAR = thaitime.fiscal_year_of(timezone.localdate())
FIRST_DAY, LAST_DAY = thaitime.fiscal_year_bounds(YEAR)
# A student's ID a school typed in full into its answer: it must never reach the pack.
TYPED_ID = with_check_digit("350010000123")
OFFICE_SETTINGS = {
    "office_name": "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาทดสอบ เขต 1",
    "group_name": "กลุ่มส่งเสริมการศึกษาทางไกลฯ",
    "letter_code": "ศธ 04123",
}


@pytest.fixture
def processes(db):
    load_definitions(
        "equipment-loan",
        "repair-ticket",
        "dmc-round",
        "dmc-round-ack",
        "digital-tech-plan",
        "spec-draft",
    )


def open_task(case) -> Task:
    return case.tasks.select_related("step").get(status=Task.Status.OPEN)


def figures_of(section) -> dict:
    return {label: value for label, value in section.figures}


# ---------------------------------------------------------------------------------------------
# The year's data
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def loans(processes, people, office):
    """Four requests: returned on time, returned late and damaged, still out past its date,
    refused. 1 + 2 + 1 units handed over."""
    projector = LoanItem.objects.create(
        office=office, name="โปรเจคเตอร์ Epson", category=ItemCategory.PROJECTOR
    )
    tablets = LoanItem.objects.create(
        office=office, name="แท็บเล็ต", category=ItemCategory.TABLET, quantity=3
    )
    camera = LoanItem.objects.create(office=office, name="กล้องถ่ายภาพ", category=ItemCategory.CAMERA)
    borrower = people["school_user"]
    today = timezone.localdate()

    def request(item, units=1):
        loan = loan_request(
            requester=borrower,
            kind=Loan.Kind.BORROW,
            school=borrower.school,
            wanted=[Wanted(item, units)],
            purpose="สอนวิทยาศาสตร์",
            starts_on=today + datetime.timedelta(days=1),
            ends_on=today + datetime.timedelta(days=3),
            pickup_place="ห้องกลุ่ม",
            return_place="ห้องกลุ่ม",
            contact_phone="081-234-5678",
        )
        return loan

    def hand_over(loan):
        task_complete(task=open_task(loan.case), user=people["group_head"], outcome="approve")
        task_complete(task=open_task(loan.case), user=people["staff"], outcome="done")
        loan.refresh_from_db()
        return loan_check_out(
            loan=loan,
            user=people["staff"],
            conditions={line.pk: Condition.GOOD for line in loan.lines.all()},
            accessories="",
            acknowledgement=f"{borrower.first_name} {borrower.last_name}",
        )

    def take_back(loan, condition, note=""):
        return loan_check_in(
            loan=loan,
            user=people["staff"],
            conditions={line.pk: condition for line in loan.lines.all()},
            note=note,
        )

    def as_if_due(loan, days_ago):
        # The return date passes without waiting for it: the loan was due `days_ago` days ago.
        due = today - datetime.timedelta(days=days_ago)
        Loan.objects.filter(pk=loan.pk).update(
            starts_on=due - datetime.timedelta(days=2), ends_on=due
        )
        loan.refresh_from_db()

    on_time = hand_over(request(projector))
    take_back(on_time, Condition.GOOD)
    late = hand_over(request(tablets, 2))
    as_if_due(late, 2)
    take_back(late, Condition.DAMAGED, note="จอแตก")
    still_out = hand_over(request(camera))
    as_if_due(still_out, 1)
    refused = request(projector)
    task_complete(
        task=open_task(refused.case),
        user=people["group_head"],
        outcome="reject",
        comment="มีผู้จองไว้แล้ว",
    )
    return {"late": late, "still_out": still_out}


@pytest.fixture
def data_round(processes, people, office, school):
    """One round, two schools: one certifies exactly at the cut-off, the other a minute after.
    A student file with a checksum error and a student listed twice."""
    second = school.__class__.objects.create(
        office=office, obec_code="1090010002", smis_code="90010002", name_th="โรงเรียนบ้านสอง"
    )
    second_user = make_user(
        [RoleCode.SCHOOL_USER, RoleCode.SCHOOL_DIRECTOR], school=second, username="second"
    )
    deadline = FIRST_DAY + datetime.timedelta(days=60)
    round_ = Round.objects.create(
        office=office,
        kind="dmc_term2",
        academic_year=YEAR - 1,
        title="DMC ภาคเรียนที่ 2",
        opens_on=deadline - datetime.timedelta(days=30),
        deadline_on=deadline,
    )
    round_open(round_=round_, user=people["staff"])
    round_.refresh_from_db()
    born = deadline - datetime.timedelta(days=365 * 8 + 40)
    born_text = f"{born.day:02d}/{born.month:02d}/{born.year + 543}"
    twice = with_check_digit("110000000010")
    run_import(
        round_,
        people["staff"],
        csv_upload(
            [
                STUDENT_HEADER,
                [school.obec_code, "1234567890122", "สมหญิง", "ใจงาม", "ป.3", "ญ", born_text],
                [school.obec_code, twice, "ก", "ข", "ป.3", "ช", born_text],
                [school.obec_code, twice, "ก", "ข", "ป.3", "ช", born_text],
            ]
        ),
    )
    walkers = [
        (school, people["school_user"], people["school_director"]),
        (second, second_user, second_user),
    ]
    for at_school, clerk, director in walkers:
        entry = RoundSchool.objects.get(round=round_, school=at_school)
        for user, outcome in [
            (clerk, "done"),
            (people["staff"], "clean"),
            (clerk, "done"),
            (director, "certified"),
        ]:
            task_complete(task=open_task(entry.case), user=user, outcome=outcome)
    # When each director certified: the first exactly at the cut-off, the second just after.
    for at_school, offset in [(school, 0), (second, 1)]:
        Task.objects.filter(
            case__round_entry__round=round_,
            case__round_entry__school=at_school,
            step__key="school_certify",
        ).update(finished_at=round_.deadline_at + datetime.timedelta(minutes=offset))
    finding = Finding.objects.filter(entry__school=school, rule="duplicate_school").get()
    finding_answer(finding=finding, user=people["school_user"], answer=f"ลบแถวซ้ำของ {TYPED_ID} แล้ว")
    return round_


@pytest.fixture
def plan(processes, people):
    """An approved plan of this year (budget 175,500.50 baht); two quarters reported: 60,500.75
    spent, one of its two indicators met. And a spec draft handed to procurement."""
    office = people["staff"].office  # its memos pass the group head and the deputy
    office.chain_via_group_head = office.chain_via_deputy = True
    office.save()
    plan = make_plan(people["staff"], title="แผนพัฒนาดิจิทัลเพื่อการศึกษา")
    plan.fiscal_year_start = plan.fiscal_year_end = YEAR
    plan.save(update_fields=["fiscal_year_start", "fiscal_year_end"])
    rows = fill_plan(plan)
    task_complete(
        task=work_until(plan, "propose", people["staff"]),
        user=people["group_head"],
        outcome="approve",
    )
    task_complete(task=open_task(plan.case), user=people["deputy_director"], outcome="approve")
    director = people["director"]
    plan_decide(
        plan=plan,
        task=open_task(plan.case),
        user=director,
        outcome="approve",
        signed_name=director.display_name,
    )
    plan.refresh_from_db()
    activities = list(Activity.objects.filter(project__plan=plan).order_by("pk"))
    first_kpi, second_kpi = rows["kpis"]
    for quarter, spent, kpis in [
        (1, ["10000", "5000", "0"], {first_kpi.pk: Decimal("40")}),
        (2, ["20000.25", "0", "25500.50"], {first_kpi.pk: Decimal("92"), second_kpi.pk: 150}),
    ]:
        progress_record(
            plan=plan,
            user=people["staff"],
            fiscal_year=YEAR,
            quarter=quarter,
            activities={
                a.pk: {"status": Activity.Status.IN_PROGRESS, "spent": Decimal(s)}
                for a, s in zip(activities, spent, strict=True)
            },
            kpis=kpis,
        )

    draft = spec_draft_create(
        user=people["staff"],
        title="จัดซื้อคอมพิวเตอร์ห้องเรียน",
        requested_by_unit="กลุ่มนิเทศฯ",
        purpose="ทดแทนเครื่องเก่า",
        fiscal_year=YEAR,
    )
    spec_line_add(
        draft=draft, user=people["staff"], source=make_spec_item(draft.office), quantity=5
    )
    task_complete(task=open_task(draft.case), user=people["staff"], outcome="done")
    task_complete(task=open_task(draft.case), user=people["group_head"], outcome="approve")
    task_complete(task=open_task(draft.case), user=people["director"], outcome="approve")
    task_complete(
        task=open_task(draft.case),
        user=people["staff"],
        outcome="done",
        data={"letter_no": "ศธ 04057/123", "handed_on": "1/12/2569"},
    )
    draft.refresh_from_db()
    assert draft.status == SpecDraft.Status.HANDED_OFF
    return plan


# ---------------------------------------------------------------------------------------------
# The sections' figures
# ---------------------------------------------------------------------------------------------


def test_loans_section_counts_items_out_late_returns_and_repairs(loans, office):
    section = loans_section(office, YEAR)
    figures = figures_of(section)
    assert figures["คำขอทั้งหมด"] == 4
    assert figures["ส่งมอบแล้ว (ครั้ง)"] == 3
    assert figures["จำนวนชิ้นที่ยืมออก"] == 4
    assert figures["คืนแล้ว"] == 2
    assert figures["คืนช้ากว่ากำหนด"] == 1
    assert figures["ยังไม่คืน"] == 1 and figures["ค้างคืนเกินกำหนด"] == 1
    assert figures["ไม่อนุมัติ"] == 1
    assert figures["รับคืนชำรุด / สูญหาย (รายการ)"] == "1 / 0"
    assert figures["ใบแจ้งซ่อมที่เปิดจากการรับคืน"] == 1
    top, late = section.tables
    # Most lent first, then most units: the refused request lent nothing.
    assert [(row[0], row[2], row[3]) for row in top.rows] == [
        ("แท็บเล็ต", 1, 2),
        ("กล้องถ่ายภาพ", 1, 1),
        ("โปรเจคเตอร์ Epson", 1, 1),
    ]
    assert [row[0] for row in late.rows] == [loans["late"].reference, loans["still_out"].reference]
    assert late.rows[1][4] == "ยังไม่คืน"
    assert len(section.charts) == 2 and all(c.startswith("<svg") for c in section.charts)
    # Another year, another office: nothing to report.
    assert loans_section(office, YEAR - 1) is None
    other = Office.objects.create(code="9008", name_th="สพป.อื่น", kind=Office.Kind.PRIMARY)
    assert loans_section(other, YEAR) is None


def test_rounds_section_judges_certification_against_the_cut_off(data_round, office):
    section = rounds_section(office, YEAR)
    figures = figures_of(section)
    assert figures["จำนวนรอบ"] == 1
    assert figures["โรงเรียน (รวมทุกรอบ)"] == RoundSchool.objects.filter(round=data_round).count()
    assert figures["รับรองข้อมูลแล้ว (รวมทุกรอบ)"] == 2
    assert figures["รับรองทันกำหนด"] == 1  # at the cut-off itself
    assert figures["รับรองหลังกำหนด"] == 1  # one minute after
    (block,) = section.blocks
    by_rule = {label: n for label, n in block.tables[0].rows}
    findings = dict(
        (str(label), Finding.objects.filter(entry__round=data_round, rule=rule).count())
        for rule, label in Finding._meta.get_field("rule").choices
    )
    assert by_rule == findings
    assert findings[str(Finding._meta.get_field("rule").choices[0][1])] == 1  # the checksum
    assert sum(by_rule.values()) == Finding.objects.filter(entry__round=data_round).count()
    assert section.tables[0].rows[0][2:7] == [figures["โรงเรียน (รวมทุกรอบ)"], 2, 1, 1, 0]
    assert rounds_section(office, YEAR + 1) is None


def test_plans_section_uses_the_follow_up_figures(plan, office):
    section = plans_section(office, YEAR)
    figures = figures_of(section)
    assert figures["จำนวนแผน"] == 1
    assert figures["งบประมาณตามแผน (บาท)"] == "175,500.50"
    assert figures["ใช้จ่ายในปีงบประมาณ (บาท)"] == "60,500.75"
    assert figures["ร้อยละการใช้จ่าย"] == "34.5%"
    assert figures["ตัวชี้วัดที่บรรลุเป้าหมาย"] == "1 จาก 2"  # 92 of 90 met, 150 of 200 not
    assert figures["ร่างคุณลักษณะเฉพาะที่ส่งงานพัสดุ"] == 1
    (block,) = section.blocks
    assert figures_of(block)["สถานะ"] == "อนุมัติแล้ว"
    kpis = block.tables[0].rows
    assert kpis[0][2:] == ["92 %", "102.2%"] and kpis[1][2:] == ["150 คน", "75%"]
    (draft_row,) = section.tables[1].rows
    assert draft_row[0] == "จัดซื้อคอมพิวเตอร์ห้องเรียน" and draft_row[3] == "ศธ 04057/123"
    assert draft_row[4] == "110,000.00"
    assert plans_section(office, YEAR + 5) is None


# ---------------------------------------------------------------------------------------------
# The report and the pack
# ---------------------------------------------------------------------------------------------


def test_the_yearly_report_carries_the_three_sections_in_order(loans, data_round, plan, people):
    job = ReportJob.objects.create(
        office=people["director"].office, kind=ReportJob.Kind.YEARLY_REPORT, fiscal_year=YEAR
    )
    job = report_job_run(job_id=job.pk)
    assert job.status == ReportJob.Status.DONE
    text = pdf_text((Path(settings.MEDIA_ROOT) / job.file).read_bytes())
    # Each app's section is a part of its area's chapter: listed in the contents, then in the
    # chapter, in the order of the areas.
    parts = [
        "การยืม-คืนวัสดุอุปกรณ์",
        "ข้อมูลนักเรียนและสารสนเทศ (DMC/EMIS)",
        "แผนงานและการติดตามผล",
    ]
    assert all(text.count(title) >= 2 for title in parts)
    chapters = ["งานแผนงานและโครงการ", "งานข้อมูลนักเรียน (DMC/EMIS)", "งานบริการสถานศึกษา"]
    starts = [text.index(f"{title}\n", text.index("บทสรุปผู้บริหาร\n")) for title in chapters]
    assert starts == sorted(starts)
    shown = thaitime.to_thai_digits if settings.THAI_DIGITS_IN_DOCUMENTS else str
    assert shown(loans["late"].reference) in text  # listed among the late returns
    assert "การรับรองข้อมูลของโรงเรียนในแต่ละรอบ" in text  # the rounds' chart
    assert "แผนพัฒนาดิจิทัลเพื่อการศึกษา" in text
    assert shown("ศธ 04057/123") in text  # the spec draft handed to procurement


def sheet_rows(archive: zipfile.ZipFile, name: str) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(archive.read(name))).active
    _title, *rows = sheet.iter_rows(values_only=True)
    return rows


def test_the_pack_holds_loans_rounds_and_plans_in_thai_with_ids_masked(
    loans, data_round, plan, people, office
):
    admin = make_user(RoleCode.ADMIN, office=office, username="packadmin")
    job = ReportJob.objects.create(
        office=office, kind=ReportJob.Kind.EXPORT_PACK, fiscal_year=YEAR, requested_by=admin
    )
    job = report_job_run(job_id=job.pk)
    archive = zipfile.ZipFile(Path(settings.MEDIA_ROOT) / job.file)
    assert {
        "loans/loans.xlsx",
        "loans/loan-items.xlsx",
        "dmc-emis/rounds-board.xlsx",
        "dmc-emis/round-findings.xlsx",
        "workplans/plans.xlsx",
        "workplans/plan-activities.xlsx",
        "workplans/plan-kpis.xlsx",
    } <= set(archive.namelist())

    # Every workbook of the pack calculates: typed cells, formats, widths, frozen header, filter.
    for name in archive.namelist():
        check_workbook(archive.read(name))
    loan_columns = check_workbook(archive.read("loans/loans.xlsx"))
    assert all(isinstance(day, datetime.datetime) for day in loan_columns["วันที่ขอ"])

    loan_rows = sheet_rows(archive, "loans/loans.xlsx")
    assert loan_rows[0][:3] == ("เลขที่คำขอ", "ประเภทคำขอ", "วันที่ขอ")
    assert len(loan_rows) == 1 + 4
    assert sheet_rows(archive, "loans/loan-items.xlsx")[0][:2] == ("รายการ", "ประเภท")

    board = sheet_rows(archive, "dmc-emis/rounds-board.xlsx")
    assert board[0][:3] == ("รอบข้อมูล", "รหัสโรงเรียน", "ชื่อโรงเรียน")
    assert len(board) == 1 + RoundSchool.objects.filter(round=data_round).count()
    findings = sheet_rows(archive, "dmc-emis/round-findings.xlsx")
    assert findings[0][:4] == ("รอบข้อมูล", "รหัสโรงเรียน", "ชื่อโรงเรียน", "การตรวจ")
    assert len(findings) == 1 + Finding.objects.filter(entry__round=data_round).count()
    cells = " ".join(str(cell) for row in findings[1:] for cell in row if cell is not None)
    assert TYPED_ID not in cells and "1234567890122" not in cells
    assert f"{TYPED_ID[0]}-{TYPED_ID[1:5]}-xxxxx-xx-{TYPED_ID[12]}" in cells
    assert "1-2345-xxxxx-xx-2" in cells  # the checksum finding names the ID masked

    plans = sheet_rows(archive, "workplans/plans.xlsx")
    assert plans[0][:4] == ("ชื่อแผน", "ประเภทแผน", "ปีงบประมาณ", "สถานะ")
    assert plans[1][0] == "แผนพัฒนาดิจิทัลเพื่อการศึกษา" and plans[1][-1] == 175500.5
    activities = sheet_rows(archive, "workplans/plan-activities.xlsx")
    assert activities[0][2] == "กิจกรรม" and len(activities) == 1 + 3
    assert [row[-1] for row in activities[1:]] == [30000.25, 5000, 25500.5]
    assert {row[-2] for row in activities[1:]} == {"กำลังดำเนินการ"}
    kpis = sheet_rows(archive, "workplans/plan-kpis.xlsx")
    assert kpis[0] == ("แผน", "ตัวชี้วัด", "หน่วย", "ค่าเป้าหมาย", "ผลล่าสุดในปี", "บรรลุเป้าหมาย")
    assert [row[4:] for row in kpis[1:]] == [(92, "บรรลุ"), (150, "ไม่บรรลุ")]


# ---------------------------------------------------------------------------------------------
# The report as an area office publishes it
# ---------------------------------------------------------------------------------------------


def squeezed(text: str) -> str:
    """PDF text without spaces, line breaks and contents leaders: a table cell may wrap."""
    return re.sub(r"\s+", "", text.replace("\f", "")).replace("..", "")


def report_pages(office) -> list[str]:
    return pdf_text(build_yearly_report(office, YEAR)).split("\f")


def test_the_report_has_the_parts_offices_publish_in_order(loans, data_round, plan, office):
    pages = report_pages(office)
    cover = pages[0]
    assert "รายงานผลการดำเนินงานประจำปี" in cover and "สารบัญ" not in cover
    assert "หน้า" not in cover  # the cover carries no page number
    assert pages[1].lstrip().startswith("คำนำ")
    assert office.ict_group_name in pages[1].replace("\n", " ")  # signed by the group
    assert pages[2].lstrip().startswith("สารบัญ")  # the contents start a page of their own
    assert pages[3].lstrip().startswith("บทสรุปผู้บริหาร")
    body = "\f".join(pages[3:])
    order = [
        "บทสรุปผู้บริหาร",
        "ผลการดำเนินงานในรอบปี",
        "ผลการดำเนินงานตามตัวชี้วัดของแผน",
        "บทที่ ๑",
        "ผลงานเด่นและข้อสังเกต",
        "ปัญหาและข้อเสนอแนะ",
        "ภาคผนวก ก",
    ]
    lines = [line.strip() for line in body.splitlines()]
    positions = [lines.index(part) for part in order]  # each a heading on a line of its own
    assert positions == sorted(positions)
    # The Garuda is on the cover, as an image.
    assert b"/Subtype /Image" in build_yearly_report(office, YEAR)


def test_every_figure_repeated_in_the_report_has_one_value(loans, data_round, plan, office):
    context = yearly_report_context(office, YEAR)
    text = squeezed("\f".join(report_pages(office)))
    summary_start = text.index("ผลการดำเนินงานในรอบปี")
    chapters_start = text.index("บทที่๑", summary_start)
    summary, chapters = text[summary_start:chapters_start], text[chapters_start:]
    digits = thaitime.to_thai_digits
    checked = 0
    for section in context["summary_sections"]:
        for label, value in section.headline_figures:
            printed = squeezed(digits(f"{label}{value}"))
            # The executive summary and the chapter print the same value for the figure ...
            assert printed in summary, (section.title, label)
            assert printed in chapters, (section.title, label)
            checked += 1
    assert checked >= 12
    # ... and the chapters' stories say the same numbers as their figures.
    rounds = next(s for s in context["summary_sections"] if s.key == "dmc-emis")
    figures = figures_of(rounds)
    certified = figures["รับรองข้อมูลแล้ว (รวมทุกรอบ)"]
    assert squeezed(digits(f"รับรองข้อมูลแล้ว {certified} โรงเรียน")) in text
    assert (
        certified
        == RoundSchool.objects.filter(
            round=data_round, status__in=["certified", "acknowledged"]
        ).count()
    )


def test_certified_schools_count_as_the_board_does_without_a_recorded_step(office, school):
    """Imported or generated history: entries certified with no certification step run in the
    portal. The report says what the board and the round summary say (was: 0 certified)."""
    deadline = FIRST_DAY + datetime.timedelta(days=40)
    round_ = Round.objects.create(
        office=office,
        kind="dmc_term1",
        academic_year=YEAR - 1,
        title="DMC ภาคเรียนที่ 1",
        opens_on=deadline - datetime.timedelta(days=30),
        deadline_on=deadline,
    )
    schools = [school] + [
        school.__class__.objects.create(
            office=office,
            obec_code=f"10900200{n:02d}",
            smis_code=f"900200{n:02d}",
            name_th=f"โรงเรียนที่ {n}",
        )
        for n in range(4)
    ]
    statuses = ["acknowledged", "certified", "certified", "confirmed", "not_started"]
    RoundSchool.objects.bulk_create(
        RoundSchool(round=round_, school=s, status=st)
        for s, st in zip(schools, statuses, strict=True)
    )
    section = rounds_section(office, YEAR)
    figures = figures_of(section)
    assert figures["รับรองข้อมูลแล้ว (รวมทุกรอบ)"] == 3
    block = figures_of(section.blocks[0])
    assert block["รับรองข้อมูลแล้ว"] == 3
    assert block["รับรองแล้ว ไม่มีบันทึกเวลารับรอง"] == 3
    assert block["ยังไม่รับรอง"] == 2
    assert block["รับรองข้อมูลทันกำหนด"] == 0 and block["รับรองหลังกำหนด"] == 0


def test_no_page_content_runs_past_the_page_end(loans, data_round, plan, office):
    # A long chart (30 categories) and long problem texts, as a big office's year has them.
    done = Task.objects.filter(case__office=office, status=Task.Status.DONE).order_by("pk")
    for n, task in enumerate(done[:30]):
        Task.objects.filter(pk=task.pk).update(
            data={"problems": f"ปัญหาเครือข่ายอินเทอร์เน็ตของโรงเรียนขนาดเล็ก ข้อที่ {n} " * 4}
        )
    context = yearly_report_context(office, YEAR)
    context["sections"][0].charts.append(
        horizontal_bar_svg([(f"หมวด {n}", n) for n in range(1, 31)], title="ยาว", show_title=True)
    )
    document = render_document(
        "reports/pdf/yearly_report.html", context, thai_digits=context["thai_digits"]
    )
    assert len(document.pages) > 20
    assert content_past_page_end(document) == []
    # Wide tables sit on landscape pages in the appendices; the rest are portrait.
    sizes = {(round(p.width), round(p.height)) for p in document.pages}
    assert sizes == {(794, 1123), (1123, 794)}


@pytest.mark.parametrize("first", [False, True])
def test_thai_digits_are_the_offices_choice(data_round, people, office, first):
    """Chosen once on the office's settings page, for every year's report."""
    head, admin = Client(), Client()
    head.force_login(people["group_head"])
    admin.force_login(make_user(RoleCode.ADMIN, office=office, username="officeadmin"))
    data = {"foreword": "คำนำของกลุ่ม ปี 2570", "summary": "", "problems": ""}
    assert head.post(reverse("reports:texts", args=[YEAR]), data).status_code == 302
    assert (
        "thai_digits" not in head.get(reverse("reports:texts", args=[YEAR])).context["form"].fields
    )
    settings_page = reverse("documents:settings")
    for choice in (first, not first):
        values = {**OFFICE_SETTINGS, **({"thai_digits": "on"} if choice else {})}
        assert admin.post(settings_page, values).status_code == 302
        assert OfficeDocumentSettings.objects.get(office=office).thai_digits is choice
        body = pdf_text(build_yearly_report(office, YEAR)).split("\f", 1)[1]
        if choice:
            assert "คำนำของกลุ่ม ปี ๒๕๗๐" in body and not re.search(r"[0-9]", body)
        else:
            assert "คำนำของกลุ่ม ปี 2570" in body
            assert not re.search(thaitime.to_thai_digits("[0-9]"), body)


def test_problems_come_from_the_evaluation_steps_until_the_group_head_edits_them(
    data_round, people, office
):
    task = Task.objects.filter(case__office=office, status=Task.Status.DONE).first()
    Task.objects.filter(pk=task.pk).update(
        data={**task.data, "problems": "โรงเรียนขนาดเล็กขาดผู้ดูแลระบบ", "suggestions": "อบรมครู"}
    )
    text = squeezed(pdf_text(build_yearly_report(office, YEAR)))
    problems = text[text.rindex("ปัญหาและข้อเสนอแนะ") :]
    assert "โรงเรียนขนาดเล็กขาดผู้ดูแลระบบ" in problems and "อบรมครู" in problems

    client = Client()
    client.force_login(people["group_head"])
    url = reverse("reports:texts", args=[YEAR])
    page = client.get(url).content.decode()
    assert "โรงเรียนขนาดเล็กขาดผู้ดูแลระบบ" in page  # prefilled from the cases
    response = client.post(
        url,
        {"foreword": "", "summary": "ปีนี้เน้นเครือข่าย", "problems": "งบประมาณไม่พอ\nครูย้ายบ่อย"},
    )
    assert response.status_code == 302
    text = squeezed(pdf_text(build_yearly_report(office, YEAR)))
    problems = text[text.rindex("ปัญหาและข้อเสนอแนะ") :]
    assert "งบประมาณไม่พอ" in problems and "ครูย้ายบ่อย" in problems
    assert "โรงเรียนขนาดเล็กขาดผู้ดูแลระบบ" not in problems
    assert "ปีนี้เน้นเครือข่าย" in text
    # An empty foreword: the standard one, in the digits the office prints.
    shown = thaitime.to_thai_digits if settings_for(office).thai_digits else str
    assert shown(squeezed(default_foreword(office, YEAR))[:40]) in text


@pytest.mark.parametrize(
    ("who", "get_status", "post_status"),
    [
        ("group_head", 200, 302),
        ("director", 403, 403),
        ("deputy_director", 403, 403),
        ("staff", 403, 403),
        ("admin", 403, 403),
        ("school_user", 403, 403),
        ("school_director", 403, 403),
        ("outsider", 200, 302),  # a group head of another office: writes for that office
    ],
)
def test_only_the_group_head_writes_the_report_texts(people, office, who, get_status, post_status):
    if who == "admin":
        user = make_user(RoleCode.ADMIN, office=office, username="textadmin")
    elif who == "outsider":
        other = Office.objects.create(code="9011", name_th="สพป.อื่น", kind=Office.Kind.PRIMARY)
        user = make_user(RoleCode.GROUP_HEAD, office=other, username="otherhead")
    else:
        user = people[who]
    client = Client()
    client.force_login(user)
    url = reverse("reports:texts", args=[YEAR])
    assert client.get(url).status_code == get_status
    response = client.post(url, {"foreword": "ข้อความ", "summary": "", "problems": ""})
    assert response.status_code == post_status
    # Whoever writes, it is for their own office only.
    assert YearlyReportText.objects.filter(office=office).exists() == (who == "group_head")


def test_the_report_page_opens_on_the_year_with_data(people, office, plan_definition):
    client = Client()
    client.force_login(people["director"])
    page = client.get(reverse("reports:index")).content.decode()
    # No case at all yet: the current year, marked as having no data.
    assert re.search(rf'<option value="{YEAR}" selected>{YEAR} \(', page)
    assert f"{YEAR - 1} (ไม่มีข้อมูล)" in page or f"{YEAR - 1} (no data)" in page
    plan_case(plan_definition, people)
    Case.objects.update(fiscal_year=YEAR - 2)
    page = client.get(reverse("reports:index")).content.decode()
    assert re.search(rf'<option value="{YEAR - 2}" selected>{YEAR - 2} \(1 ', page)
    form_year = re.search(r'<select name="fiscal_year"[^>]*>(.*?)</select>', page, re.S).group(1)
    assert f'value="{YEAR - 2}" selected' in form_year
