"""The printable loan slip. Rendered by WeasyPrint from an ordinary template with the bundled
Sarabun font, so the PDF needs no network and no system font."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from equipment_loans.models import Loan


def loan_slip_pdf(loan: Loan) -> bytes:
    from weasyprint import HTML  # heavy import, only when a slip is asked for

    html = render_to_string(
        "equipment_loans/slip_pdf.html",
        {"loan": loan, "lines": loan.lines.select_related("item"), "printed": timezone.now()},
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR / "static")).write_pdf()
