"""PDFs of this app, through the portal's shared Thai PDF layer (core.pdf); the templates
extend reports/pdf/base.html for the page, font and Thai page numbers."""

from __future__ import annotations

from django.http import HttpResponse

from core import pdf


def pdf_response(template_name: str, context: dict, filename: str) -> HttpResponse:
    return pdf.pdf_response(pdf.render_pdf(template_name, context), filename)
