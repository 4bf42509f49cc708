"""The PDF layout every document of the portal shares (reports/pdf/base.html): Thai lines break
only between words (Pango asks libthai; proven on the extracted text), running header and
footer on every page, metadata (Title, Author = office, Subject, Lang)."""

from __future__ import annotations

import io
import re

import pypdf
import pytest
from django.urls import reverse

from processes.services import task_complete
from tests.documents.helpers import office_settings, open_task, pdf_text, plan_case
from tests.render_jobs import fetch_pdf

pytestmark = pytest.mark.django_db

WORDS = [
    "ประเทศ", "ไทย", "มี", "โรงเรียน", "จำนวน", "มาก", "ที่", "ต้องการ",
    "คอมพิวเตอร์", "สำหรับ", "นักเรียน", "ใน", "ชนบท",
]  # fmt: skip
SENTENCE = "".join(WORDS)


def boundaries() -> set[int]:
    """Positions (in one sentence) where a line may end: after a whole word."""
    positions, at = set(), 0
    for word in WORDS:
        at += len(word)
        positions.add(at)
    return positions


def test_thai_breaks_only_between_words(client, office, plan_definition, people):
    office_settings(office)
    case = plan_case(plan_definition, people)
    task_complete(
        task=open_task(case), user=people["staff"], outcome="done", data={"summary": SENTENCE * 6}
    )
    client.force_login(people["staff"])
    text = pdf_text(fetch_pdf(client, reverse("documents:memo", args=[open_task(case).pk])).content)
    paragraph = text.split("สาระสำคัญ", 1)[1].split("จึงเรียนมา", 1)[0].strip()
    lines = [line.strip() for line in paragraph.split("\n") if line.strip()]
    assert len(lines) >= 4  # the paragraph really wraps
    assert "".join(lines) == SENTENCE * 6  # nothing lost, nothing inserted
    allowed = boundaries()
    at = 0
    for line in lines[:-1]:
        at += len(line)
        assert at % len(SENTENCE) in allowed | {0}, f"broken inside a word after {line!r}"


def test_every_page_has_the_running_header_footer_and_metadata(
    client, office, plan_definition, people
):
    case = plan_case(plan_definition, people)
    for round_ in range(8):  # returns and re-drafts make a long dossier
        task_complete(
            task=open_task(case),
            user=people["staff"],
            outcome="done",
            data={"summary": f"ร่างที่ {round_} " + SENTENCE * 3},
        )
        task_complete(
            task=open_task(case),
            user=people["group_head"],
            outcome="return",
            comment="ขอให้ปรับปรุง " + SENTENCE,
        )
    client.force_login(people["staff"])
    data = fetch_pdf(client, reverse("reports:dossier", args=[case.reference])).content
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        page_text = re.sub(r"\s+", "", page.extract_text())
        assert "แฟ้มเรื่อง" in page_text  # running header
        assert "สพป.ทดสอบเขต" in page_text  # running footer
        assert "หน้า" in page_text
    info = reader.metadata
    assert info.title.startswith("แฟ้มเรื่อง")
    assert info.author == office.name_th  # the office of the person printing
    assert reader.trailer["/Root"]["/Lang"] == "th"
