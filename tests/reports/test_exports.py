"""Exports of the engine's lists and the user list: access, filters, Thai headers, formulas."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
import tablib
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Office, RoleCode, School
from core import thaitime
from core.spreadsheets import csv_bytes, neutralise_formula, xlsx_bytes
from processes.services import case_start, task_complete
from tests.factories import make_user
from tests.reports.helpers import check_workbook, open_task, plan_case

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example","คลิก")'


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel shows Thai only with the BOM
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_rows(response) -> list[tuple]:
    """The header row and the data rows, below the title row."""
    sheet = load_workbook(io.BytesIO(response.content)).active
    title, *rows = sheet.iter_rows(values_only=True)
    assert title[0] and not any(title[1:])
    return rows


def test_neutralising_keeps_text_and_stops_formulas():
    assert neutralise_formula("=1+1") == "'=1+1"
    assert neutralise_formula("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise_formula("โรงเรียน") == "โรงเรียน"
    assert neutralise_formula(5) == 5
    dataset = tablib.Dataset(["-2+3", "ปกติ"], headers=["ค่า", "หมายเหตุ"])
    assert "'-2+3" in csv_bytes(dataset).decode("utf-8")
    cell = load_workbook(io.BytesIO(xlsx_bytes(dataset))).active["A2"]
    assert cell.value == "-2+3" and cell.data_type == "s"


def test_my_tasks_export_holds_what_the_filtered_page_shows(client, plan_definition, people):
    plan_case(plan_definition, people, title=FORMULA)
    other = plan_case(plan_definition, people, title="แผนที่สอง")
    task_complete(
        task=open_task(other), user=people["staff"], outcome="done", data={"summary": "x"}
    )
    client.force_login(people["staff"])
    response = client.get(reverse("reports:export_my_tasks"), {"format": "csv"})
    rows = csv_rows(response)
    assert rows[0][:4] == ["เลขที่เรื่อง", "เรื่อง", "กระบวนงาน", "ขั้นตอน"]
    assert [row[1] for row in rows[1:]] == ["'" + FORMULA]  # formula neutralised
    # The process filter of the page applies.
    response = client.get(reverse("reports:export_my_tasks"), {"process": "nothing-like-this"})
    assert len(xlsx_rows(response)) == 1
    # The group head's approval inbox holds the other case only.
    client.force_login(people["group_head"])
    rows = xlsx_rows(client.get(reverse("reports:export_inbox")))
    assert [row[1] for row in rows[1:]] == ["แผนที่สอง"]
    assert rows[1][4] == 1  # approval level


def test_cases_export_is_scoped_to_the_school_and_filtered(
    client, plan_definition, people, school, office
):
    other_school = School.objects.create(
        office=office, obec_code="1090010009", name_th="โรงเรียนอื่น", district="เมือง"
    )
    mine = case_start(
        definition=plan_definition, requester=people["staff"], title="ของโรงเรียนเรา", school=school
    )
    case_start(
        definition=plan_definition,
        requester=people["staff"],
        title="ของโรงเรียนอื่น",
        school=other_school,
    )
    client.force_login(people["school_user"])
    rows = xlsx_rows(client.get(reverse("reports:export_cases")))
    assert rows[0][:3] == ("เลขที่เรื่อง", "เรื่อง", "กระบวนงาน")
    assert [row[0] for row in rows[1:]] == [mine.reference]
    client.force_login(people["staff"])
    assert len(xlsx_rows(client.get(reverse("reports:export_cases")))) == 3
    filtered = client.get(reverse("reports:export_cases"), {"fy": "1999"})
    assert len(xlsx_rows(filtered)) == 1
    by_state = client.get(reverse("reports:export_cases"), {"state": "completed"})
    assert len(xlsx_rows(by_state)) == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin", 200), ("director", 403), ("staff", 403), ("school_user", 403), ("outsider", 403)],
)
def test_user_list_export_is_for_the_office_admin(client, people, office, who, status):
    people["staff"].position = "=cmd|' /C calc'!A0"
    people["staff"].save()
    if who == "admin":
        user = make_user(RoleCode.ADMIN, office=office, username="officeadmin")
    elif who == "outsider":
        other = Office.objects.create(code="9005", name_th="สพป.อื่น", kind=Office.Kind.PRIMARY)
        user = make_user(RoleCode.STAFF, office=other, username="outsider")
    else:
        user = people[who]
    client.force_login(user)
    response = client.get(reverse("reports:export_users"), {"format": "csv"})
    assert response.status_code == status
    if status == 200:
        rows = csv_rows(response)
        assert rows[0][:3] == ["ชื่อผู้ใช้", "ชื่อ-สกุล", "ตำแหน่ง"]
        positions = {row[0]: row[2] for row in rows[1:]}
        assert positions["staff"] == "'=cmd|' /C calc'!A0"
        assert "outsider" not in positions


def test_list_pages_link_their_exports_with_the_filters(client, plan_definition, people):
    plan_case(plan_definition, people)
    client.force_login(people["staff"])
    page = client.get(reverse("processes:my_tasks"), {"state": "overdue"}).content.decode()
    assert reverse("reports:export_my_tasks") + "?state=overdue" in page
    client.force_login(people["group_head"])
    assert (
        reverse("reports:export_inbox") in client.get(reverse("processes:inbox")).content.decode()
    )


def test_every_list_export_is_a_spreadsheet_that_calculates(client, plan_definition, people):
    """Dates are date cells shown in the Buddhist era, numbers are numbers, widths fit, the
    header row is frozen under a title row, and an auto-filter covers the list."""
    case = plan_case(plan_definition, people, title="แผน " + "ยาวมาก" * 30)
    task_complete(task=open_task(case), user=people["staff"], outcome="done", data={"summary": "x"})
    admin = make_user(RoleCode.ADMIN, office=people["staff"].office, username="sheetadmin")
    exports = [
        (people["group_head"], "reports:export_inbox", "เริ่มขั้นตอนเมื่อ"),
        (people["staff"], "reports:export_cases", "เริ่มเมื่อ"),
        (admin, "reports:export_users", "เข้าระบบล่าสุด"),
    ]
    for user, name, date_header in exports:
        client.force_login(user)
        response = client.get(reverse(name))
        columns = check_workbook(response.content)
        dates = [value for value in columns[date_header] if value is not None]
        if name != "reports:export_users":
            assert dates and all(isinstance(value, datetime.datetime) for value in dates)
    client.force_login(people["staff"])
    columns = check_workbook(client.get(reverse("reports:export_cases")).content)
    assert columns["ปีงบประมาณ"] == [case.fiscal_year]  # a number, not the text "2570"
    started = columns["เริ่มเมื่อ"][0]
    assert started == timezone.localtime(case.started_at).replace(tzinfo=None, microsecond=0)
    # A long title wraps in a column of the widest width instead of widening it forever.
    sheet = load_workbook(io.BytesIO(client.get(reverse("reports:export_cases")).content)).active
    assert sheet.column_dimensions["B"].width == 60 and sheet["B3"].alignment.wrap_text


def test_csv_stays_utf8_with_bom_and_writes_dates_in_the_buddhist_era(
    client, plan_definition, people
):
    case = plan_case(plan_definition, people)
    client.force_login(people["staff"])
    rows = csv_rows(client.get(reverse("reports:export_cases"), {"format": "csv"}))
    started = thaitime.format_thai_datetime(case.started_at, "numeric", language="th")
    assert rows[1][rows[0].index("เริ่มเมื่อ")] == started
    assert str(thaitime.be_year(timezone.localdate())) in started


def test_the_date_format_is_a_thai_buddhist_calendar_code():
    dataset = tablib.Dataset(
        [datetime.date(2026, 12, 3), Decimal("12000.50"), 7, "ข้อความ"],
        headers=["วันที่", "เงิน", "จำนวน", "หมายเหตุ"],
    )
    sheet = load_workbook(io.BytesIO(xlsx_bytes(dataset, title="ทดสอบ"))).active
    date, money, count, text = sheet[3]
    assert date.is_date and date.value == datetime.datetime(2026, 12, 3)
    # 041E: the Thai language; 07: the Thai Buddhist calendar (Excel and LibreOffice).
    assert date.number_format == "[$-107041E]d mmm yyyy"
    assert money.value == 12000.5 and money.number_format == "#,##0.00"
    assert count.value == 7 and count.number_format == "#,##0"
    assert text.data_type == "s"
