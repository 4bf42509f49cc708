"""Thai PDF documents from ordinary Django templates, rendered by WeasyPrint.

    from core.pdf import render_pdf, pdf_response

    data = render_pdf("myapp/pdf/letter.html", {"letter": letter}, request=request)
    return pdf_response(data, "letter-2570-0001.pdf")

A document template extends ``reports/pdf/base.html``, which sets up what every portal PDF
shares: A4 with the margins of Thai official documents, the bundled Sarabun font (TrueType
files in static/fonts/sarabun/, see the README there), a running header on every page (block
``running_header``, by default the office) and a running footer (block ``running_footer``, by
default the subject and the day printed) beside "หน้า ๑ / ๑๐"; the PDF's metadata (Title from
``{% block title %}``, Author = the office, Subject = ``{% block subject %}`` or
``pdf_subject``, Language th). With ``is_draft`` in the context every page carries ร่าง.
Pango breaks Thai lines at word boundaries with libthai (a Debian package installed by
scripts/system-packages.sh); tests/documents/test_pdf_layout.py proves it on extracted text.

Digits: with ``settings.THAI_DIGITS_IN_DOCUMENTS`` (the default) page numbers are Thai digits
and templates turn other numbers into Thai digits with the ``doc_digits`` filter
(``{% load pdf %}``); data tables may keep Arabic digits by not using it.

A PDF a person waits for is not rendered in a web request: the app registers a renderer with
core.render_jobs and a worker renders it there (`phases_reported_to` lets the job show when
WeasyPrint starts laying out and writing).

Nothing is fetched from the network: the renderer reads only the bundled font files, data:
URIs and SVG given inline, so user-typed text can never make the server load a URL.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation

# WeasyPrint logs every rendering step at INFO; one document would fill the worker's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts" / "sarabun"
FONT_FILES = {"400": FONT_DIR / "Sarabun-Regular.ttf", "700": FONT_DIR / "Sarabun-Bold.ttf"}


# Whether the document being rendered prints Thai digits; None: settings.THAI_DIGITS_IN_DOCUMENTS.
# Set by render_pdf for the length of one rendering, read by the `doc_digits` filters.
_thai_digits: contextvars.ContextVar[bool | None] = contextvars.ContextVar(
    "thai_digits", default=None
)


# Set by a background rendering (core.render_jobs) to hear when WeasyPrint starts laying out the
# pages and writing the file, the two long phases of a document; None outside such a job.
_phase_listener: contextvars.ContextVar[Callable[[str], None] | None] = contextvars.ContextVar(
    "phase_listener", default=None
)


@contextlib.contextmanager
def phases_reported_to(listener: Callable[[str], None]) -> Iterator[None]:
    """Within the block, every rendering calls `listener("layout")` once its HTML is ready and
    `listener("writing")` once its pages are laid out."""
    token = _phase_listener.set(listener)
    try:
        yield
    finally:
        _phase_listener.reset(token)


def _report_phase(phase: str) -> None:
    listener = _phase_listener.get()
    if listener is not None:
        listener(phase)


def thai_digits_on() -> bool:
    chosen = _thai_digits.get()
    return settings.THAI_DIGITS_IN_DOCUMENTS if chosen is None else chosen


class BlockedResource(ValueError):
    """A document asked for a resource outside the bundled fonts."""


def font_face_css() -> str:
    """@font-face rules for the bundled Sarabun, as file: URIs WeasyPrint reads directly."""
    return "\n".join(
        f'@font-face {{ font-family: "Sarabun"; font-weight: {weight}; '
        f'src: url("{path.as_uri()}") format("truetype"); }}'
        for weight, path in FONT_FILES.items()
    )


def _allowed(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme == "data":
        return True
    if parsed.scheme == "file":
        return Path(unquote(parsed.path)).resolve().parent == FONT_DIR.resolve()
    return False


def _fetcher() -> Any:
    from weasyprint.urls import URLFetcher

    class BundledOnlyFetcher(URLFetcher):
        """WeasyPrint's fetcher, refusing everything but data: URIs and the bundled fonts."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if not _allowed(url):
                raise BlockedResource(f"PDF documents load only the bundled fonts, not {url[:100]}")
            return super().fetch(url, headers)

    return BundledOnlyFetcher(allowed_protocols=("data", "file"))


def _office_name_in(context: dict[str, Any]) -> str:
    """The office a document belongs to, for its Author: `office` in the context, or the
    office of the first object in it that has one (a plan, a round, a loan)."""
    candidates: list[Any] = [context.get("office"), *context.values()]
    for value in candidates:
        office: Any = value if hasattr(value, "name_th") and hasattr(value, "schools") else None
        office = office or getattr(value, "office", None)
        name = getattr(office, "name_th", "") if office is not None else ""
        if name:
            return str(name)
    return ""


def render_document(
    template_name: str,
    context: dict[str, Any] | None = None,
    *,
    request: HttpRequest | None = None,
    language: str = "th",
    thai_digits: bool | None = None,
    author: str = "",
) -> Any:
    """The laid-out WeasyPrint document (pages and boxes) of `template_name`; render_pdf
    writes it. Tests read its boxes to prove nothing runs past a page's end."""
    from weasyprint import HTML

    token = _thai_digits.set(thai_digits)
    try:
        digits = thai_digits_on()
        author = author or _office_name_in(context or {})
        if not author and request is not None:
            author = _office_name_in({"user": request.user})
        context = {
            "pdf_author": author,
            "printed_on": timezone.localdate(),
            **(context or {}),
            "pdf_font_css": font_face_css(),
            "thai_digits_in_documents": digits,
            "page_counter_style": "thai" if digits else "decimal",
        }
        with translation.override(language):
            html = render_to_string(template_name, context, request=request)
    finally:
        _thai_digits.reset(token)
    _report_phase("layout")
    return HTML(string=html, base_url=str(FONT_DIR), url_fetcher=_fetcher()).render()


def render_pdf(
    template_name: str,
    context: dict[str, Any] | None = None,
    *,
    request: HttpRequest | None = None,
    language: str = "th",
    thai_digits: bool | None = None,
    author: str = "",
    pdf_variant: str | None = None,
) -> bytes:
    """Render `template_name` with `context` (and the request, for the user) to PDF.

    Official documents are Thai whatever language the person's screen is in, so labels that
    come from translations (decisions, states) are rendered in `language`, Thai by default.
    `thai_digits` chooses the digits of this document (None: the setting).
    """
    document = render_document(
        template_name,
        context,
        request=request,
        language=language,
        thai_digits=thai_digits,
        author=author,
    )
    _report_phase("writing")
    # pdf_variant "pdf/a-3b" for documents that are kept (PDF/A allows the Garuda's alpha).
    pdf: bytes = document.write_pdf(pdf_variant=pdf_variant)
    return pdf


def pdf_response(data: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
