"""The whole loan on the engine: approval, return for revision, hand-over with the borrower's
typed name, not collected, return in good order, and damage opening a repair ticket."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from equipment_loans.models import Condition, Loan, LoanItem
from equipment_loans.services import (
    Wanted,
    loan_check_in,
    loan_check_out,
    loan_not_collected,
    loan_revise,
)
from processes.models import Case, Notification
from processes.services import task_complete
from repairs.models import RepairTicket
from tests.equipment_loans.conftest import days, decide, open_task

pytestmark = pytest.mark.django_db


def hand_over(loan, user, name="teacher"):
    return loan_check_out(
        loan=loan,
        user=user,
        conditions={line.pk: Condition.GOOD for line in loan.lines.all()},
        accessories="สาย HDMI, รีโมท",
        acknowledgement=name,
    )


def take_back(loan, user, condition=Condition.GOOD, note=""):
    return loan_check_in(
        loan=loan,
        user=user,
        conditions={line.pk: condition for line in loan.lines.all()},
        note=note,
    )


def test_borrow_from_request_to_return(approved_loan, people, projector):
    assert approved_loan.status == Loan.Status.READY
    assert Notification.objects.filter(recipient=people["school_user"], kind="loan_ready").exists()
    loan = hand_over(approved_loan, people["staff"], name="  Teacher ")
    assert loan.status == Loan.Status.ON_LOAN
    assert loan.handed_over_by == people["staff"] and loan.checked_out_at
    assert loan.borrower_acknowledgement == "Teacher"
    projector.refresh_from_db()
    assert projector.status == LoanItem.Status.ON_LOAN
    # The return step is due on the return date, not after standard days.
    assert open_task(loan).due_on == loan.ends_on

    loan = take_back(loan, people["staff2"])
    assert loan.status == Loan.Status.RETURNED
    assert loan.case.state == Case.State.COMPLETED
    assert loan.received_by == people["staff2"]
    assert not loan.lines.get().holds
    projector.refresh_from_db()
    assert projector.status == LoanItem.Status.AVAILABLE


def test_the_borrower_must_type_their_own_name(approved_loan, people):
    with pytest.raises(ValidationError) as refused:
        hand_over(approved_loan, people["staff"], name="somebody else")
    assert "acknowledgement" in refused.value.message_dict
    approved_loan.refresh_from_db()
    assert approved_loan.status == Loan.Status.READY and approved_loan.checked_out_at is None


@pytest.mark.parametrize("who", ["school_user", "school_director", "director"])
def test_only_the_desk_hands_over(approved_loan, people, who):
    with pytest.raises(PermissionDenied):
        hand_over(approved_loan, people[who])


def test_the_group_head_may_do_the_desk_work(approved_loan, people):
    assert hand_over(approved_loan, people["group_head"]).status == Loan.Status.ON_LOAN


def test_not_collected_frees_the_booking(approved_loan, people, request_loan, teacher_b, projector):
    with pytest.raises(ValidationError):
        loan_not_collected(loan=approved_loan, user=people["staff"], comment=" ")
    loan = loan_not_collected(loan=approved_loan, user=people["staff"], comment="ไม่มารับ")
    assert loan.status == Loan.Status.NOT_COLLECTED
    assert request_loan(projector, user=teacher_b).status == Loan.Status.PENDING


def test_returned_for_revision_then_resubmitted(request_loan, people, projector, tablets):
    loan = request_loan(projector)
    decide(loan, people["group_head"], "return", comment="ขอเปลี่ยนเป็นแท็บเล็ต")
    loan.refresh_from_db()
    assert loan.status == Loan.Status.REVISION
    assert open_task(loan).role == "requester"
    revise = dict(
        wanted=[Wanted(tablets, 2)],
        purpose="สอนออนไลน์",
        starts_on=days(2),
        ends_on=days(3),
        pickup_place="ห้องกลุ่ม",
        return_place="ห้องกลุ่ม",
        contact_phone="081",
    )
    with pytest.raises(PermissionDenied):
        loan_revise(loan=loan, user=people["staff"], **revise)
    loan = loan_revise(loan=loan, user=people["school_user"], **revise)
    assert loan.status == Loan.Status.PENDING
    assert [(line.item, line.quantity) for line in loan.lines.all()] == [(tablets, 2)]
    assert loan.starts_on == days(2)


def test_a_revision_cannot_double_book(request_loan, people, projector, teacher_b):
    loan = request_loan(projector, start=1, end=1)
    request_loan(projector, user=teacher_b, start=5, end=5)
    decide(loan, people["group_head"], "return", comment="เลื่อนวัน")
    with pytest.raises(ValidationError):
        loan_revise(
            loan=loan,
            user=people["school_user"],
            wanted=[Wanted(projector, 1)],
            purpose="x",
            starts_on=days(4),
            ends_on=days(6),
            pickup_place="a",
            return_place="a",
            contact_phone="1",
        )
    # Its own earlier dates never count against it.
    loan_revise(
        loan=loan,
        user=people["school_user"],
        wanted=[Wanted(projector, 1)],
        purpose="x",
        starts_on=days(1),
        ends_on=days(2),
        pickup_place="a",
        return_place="a",
        contact_phone="1",
    )


def test_damage_opens_a_repair_ticket_and_the_repair_returns_the_item(
    approved_loan, people, projector
):
    loan = hand_over(approved_loan, people["staff"])
    with pytest.raises(ValidationError) as refused:
        take_back(loan, people["staff"], Condition.DAMAGED)
    assert "note" in refused.value.message_dict
    loan = take_back(loan, people["staff"], Condition.DAMAGED, note="เลนส์แตก")
    line = loan.lines.get()
    ticket = line.repair_ticket
    assert ticket is not None and "เลนส์แตก" in ticket.symptom and loan.reference in ticket.symptom
    assert ticket.school is None and ticket.category == "projector"
    projector.refresh_from_db()
    assert projector.status == LoanItem.Status.IN_REPAIR

    # The desk repairs it; when the ticket closes, the projector can be lent again.
    from repairs.services import ticket_triage

    ticket = ticket_triage(
        ticket=ticket, user=people["group_head"], priority="normal", technician=people["staff"]
    )
    for outcome in ("repair", "done", "accepted"):
        task = ticket.case.tasks.get(status="open")
        task_complete(
            task=task,
            user=people["staff"],
            outcome=outcome,
            data={"finding": "เลนส์แตก", "resolution": "เปลี่ยนเลนส์", "rating": "5"},
        )
    assert RepairTicket.objects.get(pk=ticket.pk).status == RepairTicket.Status.CLOSED
    projector.refresh_from_db()
    assert projector.status == LoanItem.Status.AVAILABLE


def test_damaged_stock_units_leave_the_pool_until_repaired(request_loan, people, tablets):
    loan = request_loan(Wanted(tablets, 2))
    decide(loan, people["group_head"], "approve")
    decide(loan, people["staff"])
    loan = hand_over(loan, people["staff"])
    loan = take_back(loan, people["staff"], Condition.MISSING, note="หาย 2 เครื่อง")
    tablets.refresh_from_db()
    assert tablets.units_in_repair == 2 and tablets.lendable_units == 1


def test_a_use_request_is_handed_over_right_after_approval(request_loan, people, projector):
    loan = request_loan(projector, kind=Loan.Kind.USE)
    assert loan.reference.startswith("LU-")
    decide(loan, people["group_head"], "approve")
    loan.refresh_from_db()
    assert loan.status == Loan.Status.READY
    assert open_task(loan).step.key == "handover"
    loan = take_back(hand_over(loan, people["staff"]), people["staff"])
    assert loan.status == Loan.Status.RETURNED
