"""The PDF set-up: Thai text comes back intact, lines break between words, A4, page numbers."""

from __future__ import annotations

import pytest

from core.pdf import BlockedResource, _fetcher, render_pdf
from tests.reports.helpers import pdf_fonts, pdf_info, pdf_text

# A known sentence whose words we know; each must come back whole on one line.
SENTENCE = (
    "กลุ่มส่งเสริมการศึกษาทางไกล เทคโนโลยีสารสนเทศและการสื่อสาร สำนักงานเขตพื้นที่การศึกษา"
    "ประถมศึกษาเชียงราย เขต ๑ ขออนุมัติจัดซื้อวัสดุคอมพิวเตอร์เพื่อซ่อมแซมเครื่องคอมพิวเตอร์"
    "ของโรงเรียนที่ชำรุด โดยให้ผู้อำนวยการพิจารณาน้ำหนักของความจำเป็นไม่ต่ำกว่าเกณฑ์ที่กำหนด"
)
WORDS = [
    "กลุ่ม",
    "ส่งเสริม",
    "เทคโนโลยี",
    "สารสนเทศ",
    "สำนักงาน",
    "เชียงราย",
    "อนุมัติ",
    "จัดซื้อ",
    "วัสดุ",
    "คอมพิวเตอร์",
    "ซ่อมแซม",
    "โรงเรียน",
    "ชำรุด",
    "น้ำหนัก",
    "จำเป็น",
    "ต่ำ",
    "เกณฑ์",
    "กำหนด",
]


@pytest.fixture
def narrow_document(settings, tmp_path):
    """A template with the sentence in a narrow column, so it wraps many times over 2 pages."""
    template = tmp_path / "narrow.html"
    template.write_text(
        '{% extends "reports/pdf/base.html" %}{% block body %}'
        '<p style="width: 5.5cm">{{ sentence }}</p>'
        '<p style="break-before: page">{{ sentence }}</p>{% endblock %}',
        encoding="utf-8",
    )
    engine = {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    settings.TEMPLATES = [engine]  # assigning sends setting_changed: the engines are rebuilt
    return "narrow.html"


def test_thai_comes_back_intact_and_breaks_only_between_words(narrow_document):
    data = render_pdf(narrow_document, {"sentence": SENTENCE})
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    first_page = text.split("\f")[0]
    body = [
        line.strip()
        for line in first_page.splitlines()
        # Not the page number nor the running footer (subject and print date by default).
        if line.strip() and not line.strip().startswith("หน้า") and "พิมพ์เมื่อ" not in line
    ]
    # Joined back, the sentence is exactly what went in (SARA AM included: ำ, not ํา).
    assert "".join(body).replace(" ", "") == SENTENCE.replace(" ", "")
    assert "ํา" not in text
    # It did wrap, and no known word is cut across two lines.
    assert len(body) > 6
    for word in WORDS:
        assert any(word in line for line in body), f"{word} was split across lines"


def test_pages_are_a4_with_thai_page_numbers_and_the_bundled_font(narrow_document, tmp_path):
    data = render_pdf(narrow_document, {"sentence": SENTENCE})
    text = pdf_text(data)
    assert "หน้า ๑ / ๒" in text
    assert "หน้า ๒ / ๒" in text
    assert "A4" in pdf_info(data, tmp_path)
    fonts = pdf_fonts(data, tmp_path)
    assert "Sarabun" in fonts
    # Every font is embedded: no box for a missing glyph, no substitute on the reader's side.
    for line in fonts.splitlines()[2:]:
        assert " yes " in line


def test_page_numbers_in_arabic_digits_when_the_setting_is_off(narrow_document, settings):
    settings.THAI_DIGITS_IN_DOCUMENTS = False
    text = pdf_text(render_pdf(narrow_document, {"sentence": SENTENCE}))
    assert "หน้า 1 / 2" in text


def test_documents_cannot_load_anything_but_the_bundled_fonts():
    fetcher = _fetcher()
    with pytest.raises(BlockedResource):
        fetcher.fetch("http://169.254.169.254/latest/meta-data/")
    with pytest.raises(BlockedResource):
        fetcher.fetch("file:///etc/passwd")
    assert fetcher.fetch("data:text/plain;base64,SGVsbG8=").read() == b"Hello"
