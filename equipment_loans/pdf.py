"""The printable loan slip, through the portal's shared Thai PDF layer (core.pdf), so it
has the same A4 page, bundled Sarabun and Thai page numbers as every other document."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from core.pdf import render_pdf
from equipment_loans.models import Loan
from processes.models import Outcome, StepKind, Task


def loan_approval(loan: Loan) -> Task | None:
    """The decision that approved the loan (the last approving level), None before it."""
    return (
        Task.objects.filter(
            case_id=loan.case_id,
            step__kind=StepKind.APPROVAL,
            status=Task.Status.DONE,
            outcome=Outcome.APPROVE,
        )
        .select_related("step", "finished_by", "acting_for")
        .order_by("-finished_at", "-pk")
        .first()
    )


def loan_slip_pdf(loan: Loan, *, request: HttpRequest | None = None) -> bytes:
    approval = loan_approval(loan) if loan.case_id else None
    context = {
        "loan": loan,
        "office": loan.case.office if loan.case_id else None,
        "lines": loan.lines.select_related("item"),
        "approval": approval,
        "printed": timezone.now(),
        # Not yet approved: the slip is a draft and says so on every page.
        "is_draft": approval is None,
    }
    return render_pdf("equipment_loans/slip_pdf.html", context, request=request)
