"""The printable loan slip, through the portal's shared Thai PDF layer (core.pdf), so it
has the same A4 page, bundled Sarabun and Thai page numbers as every other document."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from core.pdf import render_pdf
from equipment_loans.models import Loan


def loan_slip_pdf(loan: Loan, *, request: HttpRequest | None = None) -> bytes:
    context = {"loan": loan, "lines": loan.lines.select_related("item"), "printed": timezone.now()}
    return render_pdf("equipment_loans/slip_pdf.html", context, request=request)
