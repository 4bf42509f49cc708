"""The public verification page, the office's PAdES signature and the PDF/A output."""

from __future__ import annotations

import io

import pypdf
import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.signing import check_signature, self_signed_pkcs12
from tests.documents.helpers import (
    approved_by_acting_director,
    issued_memo,
    office_settings,
    pdf_text,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def signed_office(office, settings):
    settings.DOCUMENT_SIGNING_PASSPHRASE = "s3cret-demo"
    current = office_settings(office)
    current.signing_certificate.save(
        "office.p12", ContentFile(self_signed_pkcs12("สพป.ทดสอบ", b"s3cret-demo"))
    )
    return current


@pytest.fixture
def memo(signed_office, plan_definition, people):
    case, _head, _director = approved_by_acting_director(plan_definition, people)
    return issued_memo(case)


def stored(document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def test_issued_memo_is_signed_and_pyhanko_validates_it(memo, signed_office):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from documents.signing import office_certificate, outside_event_loop

    data = stored(memo)
    assert memo.signed
    (signature,) = PdfFileReader(io.BytesIO(data)).embedded_signatures
    # The browser tests' Playwright loop may still run in this thread; pyHanko starts its own.
    status = outside_event_loop(
        validate_pdf_signature,
        signature,
        ValidationContext(trust_roots=[office_certificate(signed_office)]),
    )
    assert status.intact and status.valid and status.trusted
    assert status.coverage.name == "ENTIRE_FILE"
    report = check_signature(data, signed_office)
    assert report.intact and report.valid and report.trusted and "สพป.ทดสอบ" in report.signer
    # A single changed byte after signing breaks it.
    assert b"WeasyPrint" in data
    tampered = data.replace(b"WeasyPrint", b"WeasyPrinX", 1)
    assert not check_signature(tampered, signed_office).intact


def test_issued_memo_is_pdfa_with_metadata(memo):
    reader = pypdf.PdfReader(io.BytesIO(stored(memo)))
    info = reader.metadata
    assert info.title.startswith("บันทึกข้อความ ที่ ศธ 04123.17/1")
    assert info.author == "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาทดสอบ เขต 1"
    assert info.subject.startswith("บันทึกข้อความ เรื่อง ขออนุมัติ")
    assert reader.trailer["/Root"]["/Lang"] == "th"
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert "pdfaid:part" in xmp and "3" in xmp.split("pdfaid:part")[1][:10]


def test_printed_verification_address_leads_to_the_public_page(client, memo):
    text = pdf_text(stored(memo))
    address = f"http://127.0.0.1:8000/verify/{memo.token}/"
    assert address in text.replace("\n", "")
    response = client.get(f"/verify/{memo.token}/")  # anonymous
    assert response.status_code == 200
    page = response.content.decode()
    for shown in (memo.sha256, "ศธ 04123.17/1", memo.subject, "อนุมัติ"):
        assert shown in page
    assert "ลายมือชื่ออิเล็กทรอนิกส์" in page or 'data-verify="signature"' in page
    signature_cell = page.split('data-verify="signature"')[1][:400]
    assert any(word in signature_cell for word in ("Valid", "ถูกต้อง", "ใช้ได้"))


def test_uploading_the_issued_file_says_genuine_and_a_changed_copy_not_issued(client, memo):
    data = stored(memo)
    url = reverse("documents:verify", args=[memo.token])
    genuine = client.post(url, {"file": SimpleUploadedFile("m.pdf", data)})
    assert 'data-verify="genuine"' in genuine.content.decode()
    changed = client.post(url, {"file": SimpleUploadedFile("m.pdf", data + b"\n%edited")})
    assert 'data-verify="not-issued"' in changed.content.decode()
    # Without a token: found by its SHA-256 among every issued document.
    found = client.post(
        reverse("documents:verify_upload"), {"file": SimpleUploadedFile("m.pdf", data)}
    )
    assert 'data-verify="genuine"' in found.content.decode()
    assert memo.sha256 in found.content.decode()


def test_unknown_token_is_404_and_the_page_is_throttled(client, settings, memo):
    settings.DOCUMENT_VERIFY_RATE = "3/m"
    assert client.get("/verify/not-a-token/").status_code == 404
    assert client.get(f"/verify/{memo.token}/").status_code == 200
    assert client.get(f"/verify/{memo.token}/").status_code == 200
    limited = client.get(f"/verify/{memo.token}/")
    assert limited.status_code == 429
    assert "คำขอมากเกินไป" in limited.content.decode()
    # Uploads count against the same limit; another address is not held back.
    assert client.post("/verify/", {}).status_code == 429
    assert client.get(f"/verify/{memo.token}/", REMOTE_ADDR="192.0.2.8").status_code == 200


def test_a_bare_number_as_the_verify_rate_is_per_minute(client, settings, memo):
    settings.DOCUMENT_VERIFY_RATE = 1
    assert client.get(f"/verify/{memo.token}/").status_code == 200
    assert client.get(f"/verify/{memo.token}/").status_code == 429
