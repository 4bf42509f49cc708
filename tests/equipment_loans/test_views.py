"""Loan screens for every role: who may file, hand over, take back and revise; who sees what."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse

from core.thaitime import format_thai_date
from equipment_loans.models import Condition, Loan
from equipment_loans.services import Wanted, loan_check_out
from tests.equipment_loans.conftest import days, decide
from tests.render_jobs import fetch_pdf

pytestmark = pytest.mark.django_db

ROLES = [
    "school_user",
    "teacher_b",
    "school_director",
    "staff",
    "group_head",
    "director",
    "admin",
    "outsider",
    "anonymous",
]


@pytest.fixture
def login(client, people, teacher_b, admin_user, outsider):
    def as_(role):
        user = {"teacher_b": teacher_b, "admin": admin_user, "outsider": outsider}.get(role)
        user = user or people.get(role)
        if user is not None:
            client.force_login(user)
        return client

    return as_


def form_data(item, **extra):
    data = {
        "kind": "borrow",
        f"qty_{item.pk}": "1",
        "starts_on": format_thai_date(days(1), "numeric"),
        "ends_on": format_thai_date(days(2), "numeric"),
        "purpose": "สอน",
        "pickup_place": "ห้องกลุ่ม",
        "return_place": "ห้องกลุ่ม",
        "contact_phone": "081",
    }
    data.update(extra)
    return data


@pytest.mark.parametrize(
    "role, status",
    list(zip(ROLES, [302, 302, 302, 302, 302, 302, 302, 400, 302], strict=True)),
)
def test_who_may_file_a_request(login, projector, role, status):
    response = login(role).post(reverse("equipment_loans:new"), form_data(projector))
    assert response.status_code == status
    filed = Loan.objects.exists()
    assert filed == (status == 302 and role != "anonymous")


DESK_ONLY = [403, 404, 403, 302, 302, 403, 403, 404, 302]


@pytest.mark.parametrize("role, status", list(zip(ROLES, DESK_ONLY, strict=True)))
def test_who_may_hand_over(login, approved_loan, role, status):
    response = login(role).post(
        reverse("equipment_loans:check_out", args=[approved_loan.reference]),
        {f"condition_{approved_loan.lines.get().pk}": "good", "acknowledgement": "teacher"},
    )
    assert response.status_code == status
    approved_loan.refresh_from_db()
    handed = approved_loan.status == Loan.Status.ON_LOAN
    assert handed == (status == 302 and role != "anonymous")


@pytest.mark.parametrize("role, status", list(zip(ROLES, DESK_ONLY, strict=True)))
def test_who_may_release_a_booking(login, approved_loan, role, status):
    response = login(role).post(
        reverse("equipment_loans:not_collected", args=[approved_loan.reference]),
        {"comment": "ไม่มารับ"},
    )
    assert response.status_code == status


@pytest.mark.parametrize("role, status", list(zip(ROLES, DESK_ONLY, strict=True)))
def test_who_may_take_back(login, approved_loan, people, role, status):
    loan = loan_check_out(
        loan=approved_loan,
        user=people["staff"],
        conditions={line.pk: Condition.GOOD for line in approved_loan.lines.all()},
        accessories="",
        acknowledgement="teacher",
    )
    response = login(role).post(
        reverse("equipment_loans:check_in", args=[loan.reference]),
        {f"condition_{loan.lines.get().pk}": "good"},
    )
    assert response.status_code == status
    loan.refresh_from_db()
    assert (loan.status == Loan.Status.RETURNED) == (status == 302 and role != "anonymous")


@pytest.mark.parametrize(
    "role, status",
    list(zip(ROLES, [302, 404, 403, 403, 403, 403, 403, 404, 302], strict=True)),
)
def test_only_the_requester_revises(login, request_loan, people, projector, role, status):
    loan = request_loan(projector)
    decide(loan, people["group_head"], "return", comment="เลื่อนวัน")
    response = login(role).post(
        reverse("equipment_loans:revise", args=[loan.reference]),
        form_data(
            projector,
            starts_on=format_thai_date(days(3), "numeric"),
            ends_on=format_thai_date(days(3), "numeric"),
        ),
    )
    assert response.status_code == status
    loan.refresh_from_db()
    assert (loan.starts_on == days(3)) == (status == 302 and role != "anonymous")


def test_a_revision_asking_beyond_the_stock_is_refused_on_the_item(
    login, request_loan, people, tablets
):
    loan = request_loan(Wanted(tablets, 1))
    decide(loan, people["group_head"], "return", comment="ลดจำนวน")
    response = login("school_user").post(
        reverse("equipment_loans:revise", args=[loan.reference]),
        form_data(tablets, **{f"qty_{tablets.pk}": "9", "purpose": "สอบกลางภาค"}),
    )
    assert response.status_code == 400
    form = response.context["revise_form"]
    assert form.errors[f"qty_{tablets.pk}"] == ["สำนักงานมีเพียง 3"]
    assert form["purpose"].value() == "สอบกลางภาค"
    assert loan.lines.get().quantity == 1


def test_a_bad_hand_over_keeps_the_form_and_explains(login, approved_loan):
    response = login("staff").post(
        reverse("equipment_loans:check_out", args=[approved_loan.reference]),
        {f"condition_{approved_loan.lines.get().pk}": "good", "acknowledgement": "นายสมชาย"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "นายสมชาย" in html and "teacher" in html


@pytest.mark.parametrize(
    "name, role, status",
    [
        ("equipment_loans:desk", "school_user", 403),
        ("equipment_loans:desk", "staff", 200),
        ("equipment_loans:desk", "group_head", 200),
        ("equipment_loans:item_export", "school_user", 403),
        ("equipment_loans:item_export", "staff", 200),
        ("equipment_loans:calendar", "school_user", 200),
        ("equipment_loans:calendar", "outsider", 200),
        ("equipment_loans:items", "teacher_b", 200),
        ("equipment_loans:index", "anonymous", 302),
    ],
)
def test_pages_by_role(login, approved_loan, name, role, status):
    assert login(role).get(reverse(name)).status_code == status


def test_a_school_sees_its_own_loans_only(login, approved_loan, request_loan, teacher_b, tablets):
    other = request_loan(tablets, user=teacher_b)
    client = login("school_user")
    listing = client.get(reverse("equipment_loans:index")).content.decode()
    assert approved_loan.reference in listing and other.reference not in listing
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(reverse("equipment_loans:slip", args=[other.reference])).status_code == 404


def test_the_list_filters_by_the_chosen_or_the_typed_school(
    login, approved_loan, request_loan, teacher_b, tablets, other_school
):
    other = request_loan(tablets, user=teacher_b)
    client = login("staff")

    def listed(**params) -> set[str]:
        html = client.get(reverse("equipment_loans:index"), params).content.decode()
        return {loan.reference for loan in (approved_loan, other) if loan.reference in html}

    both = {approved_loan.reference, other.reference}
    assert listed() == both
    assert listed(school=other_school.pk) == {other.reference}
    # Typed without picking a suggestion, or without JavaScript: part of the name.
    assert listed(school_name="บ้านอื่น") == {other.reference}
    # A picked school wins over the text left in the box; junk is ignored.
    assert listed(school=approved_loan.school_id, school_name="บ้านอื่น") == {approved_loan.reference}
    assert listed(school="x") == both


SCHOOL_SIDE = ("school_user", "teacher_b", "school_director")
OFFICE_SIDE = ("staff", "group_head", "deputy_director", "director", "admin", "outsider")


@pytest.mark.parametrize("role", [*SCHOOL_SIDE, *OFFICE_SIDE])
def test_every_role_reloads_the_list_with_the_chosen_school_and_no_list_of_schools(
    login, approved_loan, other_school, role
):
    response = login(role).get(reverse("equipment_loans:index"), {"school": other_school.pk})
    assert response.status_code == 200
    html = response.content.decode()
    if role in SCHOOL_SIDE:
        # A school's people see their own school's loans: there is nothing to choose.
        assert 'name="school_name"' not in html
        return
    assert reverse("portal:school_search") in html
    assert f'name="school" id="f-school-id" value="{other_school.pk}"' in html
    # The chosen school is named back, to those who may see it; no option per school.
    named = 'value="โรงเรียนบ้านอื่น"' in html
    assert named == (role != "outsider")
    assert "<option" not in html.split('id="f-school-options"')[1].split("</datalist>")[0]
    assert approved_loan.school.name_th not in html
    assert approved_loan.reference not in html


def test_the_calendar_hides_who_booked_from_schools(login, approved_loan):
    week = {"view": "week", "start": format_thai_date(days(1), "numeric")}
    school_view = login("school_user").get(reverse("equipment_loans:calendar"), week)
    assert approved_loan.reference not in school_view.content.decode()
    staff_view = login("staff").get(reverse("equipment_loans:calendar"), week)
    assert approved_loan.reference in staff_view.content.decode()


def test_the_desk_lists_pickups_and_overdue(login, approved_loan, people):
    response = login("staff").get(reverse("equipment_loans:desk"))
    assert approved_loan.reference not in response.content.decode()  # picked up tomorrow
    Loan.objects.filter(pk=approved_loan.pk).update(starts_on=days(0))
    response = login("staff").get(reverse("equipment_loans:desk"))
    assert approved_loan.reference in response.content.decode()


def test_the_item_page_shows_its_history(login, approved_loan, projector):
    response = login("staff").get(projector.get_absolute_url())
    assert approved_loan.reference in response.content.decode()


def test_exports_are_scoped_thai_and_defused(login, request_loan, teacher_b, projector, tablets):
    from equipment_loans.services import Wanted, loan_request

    loan_request(
        requester=teacher_b,
        kind="borrow",
        school=teacher_b.school,
        wanted=[Wanted(tablets, 1)],
        purpose='=HYPERLINK("http://evil")',
        starts_on=days(1),
        ends_on=days(1),
        pickup_place="a",
        return_place="a",
        contact_phone="1",
    )
    request_loan(projector)
    rows = list(
        csv.reader(
            io.StringIO(
                login("staff")
                .get(reverse("equipment_loans:export"), {"format": "csv"})
                .content.decode("utf-8-sig")
            )
        )
    )
    assert rows[0][0] == "เลขที่คำขอ" and len(rows) == 3
    assert any(cell.startswith("'=HYPERLINK") for row in rows for cell in row)
    school_rows = list(
        csv.reader(
            io.StringIO(
                login("school_user")
                .get(reverse("equipment_loans:export"), {"format": "csv", "kind": "borrow"})
                .content.decode("utf-8-sig")
            )
        )
    )
    assert len(school_rows) == 2  # its own request only
    xlsx = login("staff").get(reverse("equipment_loans:item_export"))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_home_card_counts_the_schools_loans(login, approved_loan):
    html = login("school_user").get(reverse("portal:home")).content.decode()
    assert reverse("equipment_loans:new") in html
    assert f"{reverse('equipment_loans:index')}?status=ready" in html


def test_the_home_card_counts_loans_in_hand_by_line_and_never_returned_ones(people, approved_loan):
    """The card reads only loans still in hand (returned ones pile up); each line still counts
    what it names."""
    import datetime

    from django.utils import timezone

    from equipment_loans.home import loans_card

    today = timezone.localdate()
    loans = Loan.objects.filter(pk=approved_loan.pk)

    def counts() -> list[int]:
        return [line.count for line in loans_card(people["staff"], today).lines]

    assert counts()[:2] == [0, 1]  # ready for pick-up
    loans.update(
        status=Loan.Status.ON_LOAN,
        starts_on=today - datetime.timedelta(days=3),
        ends_on=today - datetime.timedelta(days=1),
    )
    assert counts() == [0, 0, 1, 1]  # out, and overdue
    loans.update(status=Loan.Status.RETURNED)
    assert counts() == [0, 0, 0, 0]


def test_the_loan_slip_names_the_office_the_approver_and_both_parties(login, approved_loan, people):
    import shutil

    loan_check_out(
        loan=approved_loan,
        user=people["staff"],
        conditions={line.pk: Condition.GOOD for line in approved_loan.lines.all()},
        accessories="สาย HDMI",
        acknowledgement="teacher",
    )
    response = fetch_pdf(
        login("school_user"), reverse("equipment_loans:slip", args=[approved_loan.reference])
    )
    assert response.response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is installed by scripts/system-packages.sh")
    from tests.reports.helpers import pdf_text

    text = pdf_text(response.content)
    assert approved_loan.reference in text
    assert "โปรเจคเตอร์" in text
    office = approved_loan.case.office
    text = " ".join(text.split())
    assert office.name_th in text and office.ict_group_name in text  # the office
    borrower, issuer, approver = people["school_user"], people["staff"], people["group_head"]
    # Borrower, issuer and approver by full name in the signature blocks, never by login.
    for person in (borrower, issuer, approver):
        assert f"({person.display_name})" in text
    assert "ผู้ยืม" in text and "ผู้ส่งมอบ" in text and "ผู้อนุมัติ" in text
    assert "ร่าง" not in text  # approved: not a draft


def test_a_slip_before_approval_is_marked_as_a_draft(login, request_loan, projector):
    from tests.reports.helpers import pdf_text

    loan = request_loan(projector)
    response = fetch_pdf(
        login("school_user"), reverse("equipment_loans:slip", args=[loan.reference])
    )
    pages = [page for page in pdf_text(response.content).split("\f") if page.strip()]
    assert pages and all("ร่าง" in page for page in pages)
    assert "ยังไม่ได้พิจารณา" in pages[0]


def test_the_loan_form_says_it_sends_a_loan_request_not_a_repair(client, people):
    client.force_login(people["school_user"])
    html = client.get(reverse("equipment_loans:new")).content.decode()
    button = re.search(
        r'<button type="submit" class="btn btn-primary">([^<]*)</button>', html
    ).group(1)
    assert button == "ส่งคำขอยืม/ใช้"
    assert "ซ่อม" not in button
