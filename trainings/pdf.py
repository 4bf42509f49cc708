"""The certificate PDF, through the portal's Thai PDF layer (core.pdf: bundled Sarabun,
nothing fetched from the network). Rendered once per certificate; services.certificate_pdf
keeps the file and its SHA-256."""

from __future__ import annotations

from django.conf import settings

from core.pdf import render_pdf
from trainings.models import Certificate


def render_certificate(certificate: Certificate) -> bytes:
    return render_pdf(
        "trainings/pdf/certificate.html",
        {
            "certificate": certificate,
            "office": certificate.office,
            "lookup_url": settings.PORTAL_BASE_URL.rstrip("/")
            + certificate.training.get_absolute_url(),
        },
    )
