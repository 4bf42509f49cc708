"""Requests and availability: double booking refused with the dates named, stock counted by
units, bad dates explained, and the form keeping what was typed."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.thaitime import format_thai_date
from equipment_loans.models import Loan, LoanItem, LoanLine
from equipment_loans.selectors import availability
from equipment_loans.services import Wanted, quantity_key, wanted_from_quantities
from tests.equipment_loans.conftest import days, decide, open_task

pytestmark = pytest.mark.django_db


def messages_of(error: ValidationError) -> str:
    return " ".join(m for ms in error.message_dict.values() for m in ms)


def test_a_request_holds_its_units_and_waits_for_the_group_head(request_loan, projector):
    loan = request_loan(projector)
    assert loan.reference.startswith("LN-")
    assert loan.status == Loan.Status.PENDING
    assert loan.case.subject == loan
    task = open_task(loan)
    assert (task.step.key, task.role) == ("head_approval", "group_head")
    assert LoanLine.objects.get(loan=loan).holds


def test_a_clashing_request_is_refused_naming_the_dates(request_loan, projector, teacher_b):
    request_loan(projector, start=3, end=5)
    with pytest.raises(ValidationError) as refused:
        request_loan(projector, user=teacher_b, start=5, end=7)
    text = messages_of(refused.value)
    assert projector.name in text and format_thai_date(days(5)) in text
    assert format_thai_date(days(6)) not in text
    assert Loan.objects.count() == 1


def test_back_to_back_bookings_do_not_clash(request_loan, projector, teacher_b):
    request_loan(projector, start=3, end=5)
    assert request_loan(projector, user=teacher_b, start=6, end=8).status == Loan.Status.PENDING


def test_stock_items_count_units_per_day(request_loan, tablets, teacher_b, people):
    request_loan(Wanted(tablets, 2), start=1, end=3)
    request_loan(Wanted(tablets, 1), user=teacher_b, start=3, end=4)
    with pytest.raises(ValidationError) as refused:
        request_loan(Wanted(tablets, 1), user=people["staff"], start=2, end=3)
    text = messages_of(refused.value)
    assert "0" in text and format_thai_date(days(3)) in text
    assert format_thai_date(days(2)) not in text  # one of three still free on day 2
    # Day 4 has two free units.
    assert request_loan(Wanted(tablets, 2), user=people["staff"], start=4, end=4)


def test_quantity_above_stock_is_refused(request_loan, tablets):
    with pytest.raises(ValidationError) as refused:
        request_loan(Wanted(tablets, 5))
    assert "5" in messages_of(refused.value) and "3" in messages_of(refused.value)


@pytest.mark.parametrize(
    "start, end, field",
    [(3, 1, "ends_on"), (-1, 2, "starts_on"), (400, 401, "starts_on"), (1, 90, "ends_on")],
)
def test_bad_dates_are_explained(request_loan, projector, start, end, field):
    with pytest.raises(ValidationError) as refused:
        request_loan(projector, start=start, end=end)
    assert field in refused.value.message_dict


def test_retired_and_broken_single_items_cannot_be_booked(request_loan, projector):
    projector.status = LoanItem.Status.IN_REPAIR
    projector.save()
    with pytest.raises(ValidationError):
        request_loan(projector)


def test_a_school_books_only_for_itself_and_only_its_office_items(
    people, other_school, projector, outsider
):
    from equipment_loans.services import loan_request

    common = dict(
        kind="borrow",
        wanted=[Wanted(projector, 1)],
        purpose="x",
        starts_on=days(1),
        ends_on=days(1),
        pickup_place="a",
        return_place="a",
        contact_phone="1",
    )
    with pytest.raises(PermissionDenied):
        loan_request(requester=people["school_user"], school=other_school, **common)
    with pytest.raises(ValidationError):
        loan_request(requester=outsider, school=None, **common)


def test_rejecting_releases_the_units(request_loan, projector, people, teacher_b):
    loan = request_loan(projector)
    decide(loan, people["group_head"], "reject", comment="ไม่ว่าง")
    loan.refresh_from_db()
    assert loan.status == Loan.Status.REJECTED
    assert not loan.lines.get().holds
    assert request_loan(projector, user=teacher_b)


def test_availability_shows_free_units_and_references_only_on_request(request_loan, tablets):
    loan = request_loan(Wanted(tablets, 2), start=1, end=1)
    rows = availability([tablets], days(0), days(1), show_references=True)
    today, tomorrow = rows[0].cells
    assert (today.free, today.level) == (3, "free")
    assert (tomorrow.free, tomorrow.level, tomorrow.references) == (1, "partly", [loan.reference])
    assert availability([tablets], days(1), days(1))[0].cells[0].references == []


def test_the_form_keeps_what_was_typed_and_explains_in_thai(client, people, projector):
    client.force_login(people["school_user"])
    response = client.post(
        reverse("equipment_loans:new"),
        {
            "kind": "borrow",
            f"qty_{projector.pk}": "1",
            "starts_on": "5/1/2027",  # an A.D. year typed by mistake
            "ends_on": "3/1/2570",
            "purpose": "สอนดาราศาสตร์",
            "pickup_place": "ห้องกลุ่ม",
            "return_place": "ห้องกลุ่ม",
            "contact_phone": "0812345678",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "สอนดาราศาสตร์" in html and "5/1/2027" in html
    assert "พ.ศ." in html  # the BE/CE explanation
    assert Loan.objects.count() == 0


def test_the_form_refuses_more_than_the_stock_on_the_field(client, people, tablets):
    client.force_login(people["school_user"])
    response = client.post(
        reverse("equipment_loans:new"),
        {
            "kind": "borrow",
            f"qty_{tablets.pk}": "9",
            "starts_on": format_thai_date(days(1), "numeric"),
            "ends_on": format_thai_date(days(2), "numeric"),
            "purpose": "สอบ",
            "pickup_place": "ห้องกลุ่ม",
            "return_place": "ห้องกลุ่ม",
            "contact_phone": "0812345678",
        },
    )
    assert response.status_code == 400
    assert "มีเพียง 3" in response.content.decode()
    form = response.context["form"]
    assert form.errors[f"qty_{tablets.pk}"] == ["สำนักงานมีเพียง 3"]
    assert form["purpose"].value() == "สอบ"  # what was typed is kept


def test_the_units_asked_for_are_read_from_the_numbers_typed(tablets, projector):
    wanted = wanted_from_quantities([tablets, projector], {tablets.pk: 2, projector.pk: None})
    assert wanted == [Wanted(tablets, 2)]


def test_asking_beyond_what_the_office_can_lend_is_refused_on_that_item(tablets, projector):
    projector.status = LoanItem.Status.RETIRED
    projector.save()
    with pytest.raises(ValidationError) as refused:
        wanted_from_quantities([tablets, projector], {tablets.pk: 4, projector.pk: 1})
    errors = refused.value.message_dict
    assert errors == {
        quantity_key(tablets.pk): ["สำนักงานมีเพียง 3"],
        quantity_key(projector.pk): ["สำนักงานมีเพียง 0"],
    }
    # Exactly the units the office has is fine.
    assert wanted_from_quantities([tablets], {tablets.pk: 3}) == [Wanted(tablets, 3)]


def test_asking_for_nothing_is_refused_for_the_whole_request(tablets):
    with pytest.raises(ValidationError) as refused:
        wanted_from_quantities([tablets], {tablets.pk: 0})
    assert not hasattr(refused.value, "error_dict")
    assert refused.value.messages == ["กรุณาระบุจำนวนที่ต้องการอย่างน้อย 1 รายการ"]


def test_the_form_without_any_quantity_explains_and_keeps_what_was_typed(client, people, tablets):
    client.force_login(people["school_user"])
    response = client.post(
        reverse("equipment_loans:new"),
        {
            "kind": "borrow",
            f"qty_{tablets.pk}": "",
            "starts_on": format_thai_date(days(2), "numeric"),
            "ends_on": format_thai_date(days(1), "numeric"),
            "purpose": "สอบปลายภาค",
            "pickup_place": "ห้องกลุ่ม",
            "return_place": "ห้องกลุ่ม",
            "contact_phone": "0812345678",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "กรุณาระบุจำนวนที่ต้องการอย่างน้อย 1 รายการ" in html and "สอบปลายภาค" in html
    assert Loan.objects.count() == 0


def test_a_valid_form_files_the_request(client, people, tablets):
    client.force_login(people["school_user"])
    response = client.post(
        reverse("equipment_loans:new"),
        {
            "kind": "use",
            f"qty_{tablets.pk}": "2",
            "starts_on": format_thai_date(days(1), "numeric"),
            "ends_on": format_thai_date(days(2), "numeric"),
            "purpose": "สอบ",
            "pickup_place": "ห้องกลุ่ม",
            "return_place": "ห้องกลุ่ม",
            "contact_phone": "0812345678",
        },
    )
    loan = Loan.objects.get()
    assert response.status_code == 302 and response["Location"] == loan.get_absolute_url()
    assert loan.kind == "use" and loan.reference.startswith("LU-")
    assert loan.lines.get().quantity == 2
