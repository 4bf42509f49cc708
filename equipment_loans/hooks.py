"""A loan follows its case: status by step, the return task due on the return date, units
released when the case closes, and lent units back in stock when their repair is closed."""

from __future__ import annotations

from django.utils.translation import gettext as _

from equipment_loans.models import Loan, LoanLine
from processes.hooks import CaseChange, TaskPlan, on_case_change, on_task_opening
from processes.services import notify

STATUS_BY_STEP = {
    "head_approval": Loan.Status.PENDING,
    "revise": Loan.Status.REVISION,
    "prepare": Loan.Status.APPROVED,
    "checkout": Loan.Status.READY,
    "handover": Loan.Status.READY,
    "return": Loan.Status.ON_LOAN,
}
STATUS_WHEN_CLOSED = {"reject": Loan.Status.REJECTED, "not_collected": Loan.Status.NOT_COLLECTED}


@on_task_opening("equipment-loan")
@on_task_opening("equipment-use")
def return_due_with_the_equipment(case, step, level) -> TaskPlan | None:
    """The return step is due when the equipment is, not after a standard number of days."""
    if step.key != "return":
        return None
    loan = Loan.objects.filter(case=case).only("ends_on").first()
    return TaskPlan(due_on=loan.ends_on) if loan else None


@on_case_change("equipment-loan")
@on_case_change("equipment-use")
def follow_case(change: CaseChange) -> None:
    loan = Loan.objects.filter(case=change.case).select_related("requester").first()
    if loan is None:
        return  # the case is being started; the loan is created right after
    if change.kind == "entered":
        assert change.step is not None  # entered carries its step
        status = STATUS_BY_STEP.get(change.step.key, loan.status)
        if status == Loan.Status.READY:
            notify(
                recipients=[loan.requester],
                case=loan.case,
                kind="loan_ready",
                subject=_("%(reference)s is approved: pick it up at %(place)s")
                % {"reference": loan.reference, "place": loan.pickup_place},
                dedupe=f"loan-ready:{loan.pk}",
            )
        _set_status(loan, status)
    elif change.kind == "closed":
        LoanLine.objects.filter(loan=loan).update(holds=False)
        _set_status(loan, STATUS_WHEN_CLOSED.get(change.outcome, Loan.Status.RETURNED))


def _set_status(loan: Loan, status: str) -> None:
    if status != loan.status:
        Loan.objects.filter(pk=loan.pk).update(status=status)
        loan.status = status


@on_case_change("repair-ticket")
def return_repaired_units(change: CaseChange) -> None:
    """Units that came back damaged go back into stock when their repair ticket closes."""
    if change.kind != "closed" or change.outcome == "reject":
        return  # a refused purchase leaves the item broken
    from equipment_loans.services import repaired

    for line in LoanLine.objects.filter(repair_ticket__case=change.case):
        repaired(line=line)
