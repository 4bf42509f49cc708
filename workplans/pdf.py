"""PDFs of this app: a Django template rendered by WeasyPrint with the vendored Sarabun font.

Kept to one function so it can later hand over to the shared Thai PDF layer in reports/.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string


def render_pdf(template_name: str, context: dict) -> bytes:
    import weasyprint  # imported here: loading it costs time every page need not pay

    html = render_to_string(template_name, context)
    # Relative URLs in the template (the fonts) resolve against the static folder.
    base_url = (settings.BASE_DIR / "static").as_uri() + "/"
    return weasyprint.HTML(string=html, base_url=base_url).write_pdf()


def pdf_response(template_name: str, context: dict, filename: str) -> HttpResponse:
    response = HttpResponse(render_pdf(template_name, context), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
