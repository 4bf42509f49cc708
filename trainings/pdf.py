"""The certificate PDF, through the portal's Thai PDF layer (core.pdf: bundled Sarabun,
nothing fetched from the network). A certificate is an issued document: the documents app
renders `trainings/pdf/certificate.html` from its frozen content (registered in
TrainingsConfig.ready), with the verification address and QR code. Certificates issued before
that render here once, from their own row, with the same template. A certificate whose file is
not kept yet is rendered in the background (core.render_jobs, registered below), which keeps
it: after that, its address serves the kept file at once."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from core.pdf import render_pdf
from core.render_jobs import digest, register_renderer
from documents.rendering import garuda_data_uri
from documents.selectors import settings_for
from trainings.models import Certificate

TEMPLATE = "trainings/pdf/certificate.html"


def certificate_content(certificate: Certificate) -> dict[str, Any]:
    """What an older certificate prints, in the shape of an issued certificate's content."""
    from documents.memo import long_date

    return {
        "office_name": settings_for(certificate.office).office_name,
        "number": certificate.number,
        "subject": f"เกียรติบัตรการอบรม {certificate.training_title}",
        "recipient_name": certificate.recipient_name,
        "recipient_affiliation": certificate.recipient_affiliation,
        "training_title": certificate.training_title,
        "hours": f"{certificate.hours:g}",
        "training_dates": certificate.training_date_text,
        "issued_on": long_date(certificate.issued_on),
        "signer": {"name": certificate.signer_name, "position": certificate.signer_position},
    }


def render_certificate(certificate: Certificate) -> bytes:
    office_settings = settings_for(certificate.office)
    return render_pdf(
        TEMPLATE,
        {
            "doc": certificate_content(certificate),
            "garuda": garuda_data_uri(office_settings),
            "cancelled": not certificate.is_valid,
            "lookup_url": settings.PORTAL_BASE_URL.rstrip("/")
            + certificate.training.get_absolute_url(),
        },
        author=office_settings.office_name,
    )


def certificate_filename(certificate: Certificate) -> str:
    return f"certificate-{certificate.number.replace('/', '-')}.pdf"


def _render(certificate: Certificate, arguments: dict[str, Any]) -> tuple[bytes, str]:
    from trainings.services import certificate_pdf

    return certificate_pdf(certificate), certificate_filename(certificate)


def _access(user: Any, arguments: dict[str, Any]) -> Certificate:
    from trainings.selectors import get_certificate_for_user

    return get_certificate_for_user(user, arguments["pk"])


register_renderer(
    "trainings.certificate",
    access=_access,
    render=_render,
    title=lambda certificate: f"เกียรติบัตร เลขที่ {certificate.number}",
    # Kept once rendered, never rendered again: only a cancellation changes what it says.
    version=lambda certificate: digest(certificate.number, certificate.is_valid),
    back_url=lambda certificate: certificate.training.get_absolute_url(),
)
