"""Certificates are issued documents: numbered from the documents app's certificate register,
frozen with their SHA-256, printing the verification address and QR code of /verify/."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.models import IssuedDocument, RegisterEntry, RegisterKind
from documents.selectors import register_entries
from tests.documents.helpers import pdf_text
from tests.trainings.test_services import attend_all
from trainings.models import Certificate
from trainings.selectors import lookup_certificate
from trainings.services import certificate_cancel, certificate_issue, certificate_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def certificate(training, people, teacher_participant) -> Certificate:
    training.evaluation_required = False
    training.save()
    attend_all(training, people["staff"], teacher_participant)
    return certificate_issue(user=people["school_user"], participant=teacher_participant)


def test_certificate_is_a_registered_document_with_its_verification_address(
    client, certificate, people
):
    document = certificate.document
    assert document is not None and document.kind == IssuedDocument.Kind.CERTIFICATE
    entry = document.entry
    assert entry.kind == RegisterKind.CERTIFICATE
    assert certificate.number == entry.display_number == f"{entry.number}/{entry.year}"
    data = certificate_pdf(certificate)
    document.refresh_from_db()
    assert document.is_issued and document.sha256 == certificate.sha256
    text = " ".join(pdf_text(data).split())
    address = settings.PORTAL_BASE_URL.rstrip("/") + f"/verify/{document.token}/"
    assert address in text
    assert "เกียรติบัตร" in text and certificate.recipient_name in text
    # The register of the documents app lists it; the training page's lookup still finds it.
    assert entry in register_entries(people["staff"], RegisterKind.CERTIFICATE)
    assert lookup_certificate(certificate.office_id, certificate.number) == certificate
    # The verify page confirms the file, and refuses a changed copy.
    page = client.get(reverse("documents:verify", args=[document.token]))
    assert page.status_code == 200 and document.sha256 in page.content.decode()
    genuine = client.post(
        reverse("documents:verify", args=[document.token]),
        {"file": SimpleUploadedFile("c.pdf", data)},
    )
    assert 'data-verify="genuine"' in genuine.content.decode()
    changed = client.post(
        reverse("documents:verify_upload"),
        {"file": SimpleUploadedFile("c.pdf", data.replace(b"%%EOF", b"%%EOF\n% x", 1))},
    )
    assert 'data-verify="not-issued"' in changed.content.decode()
    # No personal data of the holder on the public page.
    assert certificate.recipient_name not in page.content.decode()


def test_the_stored_file_is_served_again_whatever_changes(certificate, training):
    data = certificate_pdf(certificate)
    training.title = "ชื่อใหม่ของการอบรม"
    training.save()
    again = certificate_pdf(Certificate.objects.get(pk=certificate.pk))
    assert again == data
    assert "ชื่อใหม่ของการอบรม" not in pdf_text(again)


def test_cancelled_certificate_is_cancelled_in_the_register_and_on_the_verify_page(
    client, certificate, people
):
    certificate_pdf(certificate)
    certificate_cancel(user=people["staff"], certificate=certificate, reason="พิมพ์ชื่อผิด")
    entry = RegisterEntry.objects.get(pk=certificate.document.entry_id)
    assert entry.is_cancelled and entry.cancel_reason == "พิมพ์ชื่อผิด"
    page = client.get(
        reverse("documents:verify", args=[certificate.document.token]), HTTP_ACCEPT_LANGUAGE="th"
    ).content.decode()
    assert 'data-verify="cancelled"' in page and "พิมพ์ชื่อผิด" in page


def test_certificate_numbers_continue_in_the_documents_register(training, people):
    training.evaluation_required = False
    training.save()
    from trainings.services import register_self

    first = register_self(user=people["school_user"], training=training)
    second = register_self(user=people["staff2"], training=training)
    attend_all(training, people["staff"], first, second)
    one = certificate_issue(user=people["staff"], participant=first)
    two = certificate_issue(user=people["staff"], participant=second)
    assert (one.sequence, two.sequence) == (1, 2)
    assert RegisterEntry.objects.filter(kind=RegisterKind.CERTIFICATE).count() == 2
    # Not listed among the case's memos and orders.
    from documents.selectors import documents_of_case

    assert documents_of_case(training.case) == []
