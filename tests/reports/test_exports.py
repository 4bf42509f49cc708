"""Exports of the engine's lists and the user list: access, filters, Thai headers, formulas."""

from __future__ import annotations

import csv
import io

import pytest
import tablib
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Office, RoleCode, School
from core.spreadsheets import csv_bytes, neutralise_formula, xlsx_bytes
from processes.services import case_start, task_complete
from tests.factories import make_user
from tests.reports.helpers import open_task, plan_case

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example","คลิก")'


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel shows Thai only with the BOM
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_rows(response) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True))


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
