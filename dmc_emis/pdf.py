"""The round's PDF summary for the director, rendered by WeasyPrint from a template here.

Kept to one small function so it can later move to the shared PDF layer of reports/.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string


def render_pdf(template: str, context: dict) -> bytes:
    """A4 PDF of `template`; the Sarabun font is read from static/vendor/sarabun."""
    from weasyprint import HTML

    fonts = Path(settings.BASE_DIR) / "static" / "vendor" / "sarabun"
    html = render_to_string(template, {**context, "font_dir": fonts.as_uri()})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
