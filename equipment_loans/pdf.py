"""The printable loan slip, through the portal's shared Thai PDF layer (core.pdf), so it
has the same A4 page, bundled Sarabun and Thai page numbers as every other document; rendered
in the background (core.render_jobs) for whoever may see the loan."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from core.pdf import render_pdf
from core.render_jobs import digest, register_renderer, rows
from equipment_loans.models import Loan, LoanLine
from equipment_loans.selectors import get_loan_for_user
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


def loan_slip_version(loan: Loan) -> str:
    """What the slip prints: the loan, its lines and its case's decisions (the last event)."""
    last_event = loan.case.events.order_by("-pk").values_list("pk", flat=True).first()
    return digest(
        rows(Loan.objects.filter(pk=loan.pk)),
        rows(LoanLine.objects.filter(loan=loan)),
        last_event,
    )


def _render(loan: Loan, arguments: dict[str, Any]) -> tuple[bytes, str]:
    return loan_slip_pdf(loan), f"{loan.reference}.pdf"


register_renderer(
    "equipment_loans.slip",
    access=lambda user, arguments: get_loan_for_user(user, arguments["reference"]),
    render=_render,
    title=lambda loan: f"ใบยืม-คืนวัสดุอุปกรณ์ {loan.reference}",
    version=loan_slip_version,
)
