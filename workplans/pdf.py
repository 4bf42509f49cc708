"""PDFs of this app, through the portal's shared Thai PDF layer (core.pdf); the templates
extend reports/pdf/base.html for the page, font and Thai page numbers."""

from __future__ import annotations

from django.http import HttpResponse

from core import pdf


def pdf_response(template_name: str, context: dict, filename: str) -> HttpResponse:
    return pdf.pdf_response(pdf.render_pdf(template_name, context), filename)


def public_plan_pdf(plan) -> bytes:
    """The public PDF of an approved plan: its content without the working papers."""
    from workplans import charts
    from workplans.selectors import plan_document

    context = plan_document(plan)
    # Working papers and schools' free-text answers stay inside the office.
    context.update(attachments=[], public=True)
    charts.add_charts(context["survey_summaries"])
    return pdf.render_pdf("workplans/plan_pdf.html", context)
