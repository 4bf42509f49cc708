"""Helpers of the documents tests: an office with document settings, a decided plan case."""

from __future__ import annotations

import io

from documents.models import IssuedDocument, OfficeDocumentSettings
from documents.services import document_render
from tests.reports.helpers import approved_by_acting_director, open_task, pdf_text, plan_case

__all__ = ["approved_by_acting_director", "open_task", "pdf_text", "plan_case"]


def office_settings(office, **extra) -> OfficeDocumentSettings:
    values = {
        "office_name": "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาทดสอบ เขต 1",
        "group_name": "กลุ่มส่งเสริมการศึกษาทางไกล เทคโนโลยีสารสนเทศและการสื่อสาร",
        "letter_code": "ศธ 04123",
        "group_suffix": "17",
        "telephone": "0 4300 0000 ต่อ 17",
        **extra,
    }
    return OfficeDocumentSettings.objects.create(office=office, **values)


def issued_memo(case) -> IssuedDocument:
    """The memo issued at the case's final decision, rendered (as the Celery task would)."""
    document = IssuedDocument.objects.get(case=case, kind=IssuedDocument.Kind.MEMO)
    return document_render(document.pk)


def pdf_pages_text(data: bytes) -> list[str]:
    import pypdf

    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]
