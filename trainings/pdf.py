"""The certificate PDF, through the portal's Thai PDF layer (core.pdf: bundled Sarabun,
nothing fetched from the network). A certificate is an issued document: the documents app
renders `trainings/pdf/certificate.html` from its frozen content (registered in
TrainingsConfig.ready), with the verification address and QR code. Certificates issued before
that render here once, from their own row, with the same template."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from core.pdf import render_pdf
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
