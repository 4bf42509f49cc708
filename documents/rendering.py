"""From an issued document's frozen content to the PDF that is stored: layout, Garuda, QR code
and verification address, PDF/A with metadata, then the office's PAdES signature."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from django.conf import settings

from core.pdf import render_pdf
from documents.models import IssuedDocument, OfficeDocumentSettings
from documents.selectors import settings_for

DEFAULT_GARUDA = Path(settings.BASE_DIR) / "static" / "documents" / "garuda.png"
TEMPLATES: dict[str, str] = {
    IssuedDocument.Kind.MEMO: "documents/pdf/memo.html",
    IssuedDocument.Kind.ORDER: "documents/pdf/order.html",
}


def register_template(kind: str, template_name: str) -> None:
    """A domain app that issues documents of `kind` (trainings: certificates) names the
    template that prints their frozen content, from its AppConfig.ready()."""
    TEMPLATES[kind] = template_name


def garuda_data_uri(office_settings: OfficeDocumentSettings) -> str:
    data = b""
    if office_settings.pk and office_settings.garuda:
        with office_settings.garuda.open("rb") as handle:
            data = handle.read()
    if not data:
        data = DEFAULT_GARUDA.read_bytes()
    return "data:image/png;base64," + base64.b64encode(data).decode()


def verify_address(token: str) -> str:
    from django.urls import reverse

    return settings.PORTAL_BASE_URL.rstrip("/") + reverse("documents:verify", args=[token])


def qr_data_uri(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=4, border=1)


def document_context(
    kind: str,
    content: dict[str, Any],
    office_settings: OfficeDocumentSettings,
    *,
    token: str = "",
    is_draft: bool = False,
) -> dict[str, Any]:
    context = {
        "doc": content,
        "kind": kind,
        "garuda": garuda_data_uri(office_settings),
        "is_draft": is_draft,
        "pdf_subject": content.get("subject", ""),
    }
    if token:
        address = verify_address(token)
        context.update(verify_address=address, verify_qr=qr_data_uri(address), token=token)
    return context


def render_draft(kind: str, content: dict[str, Any], office) -> bytes:
    """A document not yet decided, from the live case: marked ร่าง on every page."""
    office_settings = settings_for(office)
    return render_pdf(
        TEMPLATES[kind],
        document_context(kind, content, office_settings, is_draft=True),
        author=office_settings.office_name,
    )


def render_issued(document: IssuedDocument) -> tuple[bytes, bool]:
    """The bytes to store for `document` (PDF/A-3b, signed when the office has a certificate)
    and whether they are signed."""
    from documents.signing import sign_pdf

    office_settings = settings_for(document.office)
    data = render_pdf(
        TEMPLATES[document.kind],
        document_context(document.kind, document.content, office_settings, token=document.token),
        author=office_settings.office_name,
        pdf_variant="pdf/a-3b",
    )
    return sign_pdf(
        data,
        office_settings,
        reason=f"{document.get_kind_display()} {document.entry.display_number}",
        location=office_settings.office_name,
    )
