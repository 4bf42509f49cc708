"""core.thaitext: Thai word edges from PyThaiNLP, width estimates, wrapping and cutting short."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest

from core.thaitext import (
    ZWSP,
    baht_words,
    char_width,
    fit,
    is_attached,
    syllable_boundaries,
    syllables,
    text_width,
    word_boundaries,
    words,
    wrap,
)

# Vowels and tone marks that sit on the letter before them; leading vowels that come before it.
ATTACHED = set("ะัาำิีึืฺุูๅๆ็่้๊๋์ํ๎ฯ")
LEADING = set("เแโใไ")

SAMPLES = [
    "จัดทำร่างแผนพัฒนาคุณภาพด้านเทคโนโลยีดิจิทัลเพื่อการศึกษา",
    "ที่นี่มีน้ำใจไมตรีกับผู้มาเยือนทุกคนตั้งแต่เช้าจรดค่ำ",
    "สำรวจความต้องการครุภัณฑ์คอมพิวเตอร์ของโรงเรียนในสังกัดสำนักงาน",
    "ศึกษา วิเคราะห์ข้อมูลสภาพปัจจุบันและปัญหา",
    "แจ้งผล (ผ่าน/ไม่ผ่าน) ให้ผู้ยื่นคำขอทราบทาง e-mail ภายใน 3 วันทำการ",
]


def test_words_come_from_the_dictionary_and_join_back():
    assert words("จัดทำร่างแผนพัฒนาคุณภาพ") == ("จัดทำ", "ร่าง", "แผน", "พัฒนา", "คุณภาพ")
    # Words the portal never listed anywhere are found too: the dictionary is PyThaiNLP's.
    assert {"ไมตรี", "จรด", "ค่ำ"} <= set(words(SAMPLES[1]))
    for text in SAMPLES:
        assert "".join(words(text)) == text
    assert words("") == ()


def test_word_boundaries_are_the_offsets_between_words():
    text = "ศึกษา วิเคราะห์ข้อมูล"
    assert word_boundaries(text) == {5, 6, 15}
    assert text[:5] == "ศึกษา" and text[6:15] == "วิเคราะห์"
    assert word_boundaries("") == frozenset()
    assert word_boundaries("แผน") == frozenset()


def test_syllables_come_from_the_dictionary_and_include_every_word_edge():
    assert syllables("ความต้องการ") == ("ความ", "ต้อง", "การ")
    assert syllable_boundaries("สำรวจความต้องการ") == {2, 5, 9, 13}
    for text in SAMPLES:
        assert word_boundaries(text) <= syllable_boundaries(text)
        assert "".join(syllables(text)) == text


def test_a_line_ends_at_a_word_edge_where_one_fills_it_well_enough():
    # The syllable "คุณ" of the next word would still fit, but a word edge that fills the line
    # well enough wins over a later syllable edge.
    lines = wrap(SAMPLES[0], 150, 14)
    assert lines[0] == "จัดทำร่างแผนพัฒนา"
    assert text_width("จัดทำร่างแผนพัฒนาคุณ", 14) <= 150


def test_marks_and_invisible_characters_take_no_room():
    assert char_width("\u0e48", 14) == 0  # mai ek sits on the letter before it
    assert char_width("\u0e34", 14) == 0  # sara i
    assert char_width(ZWSP, 14) == 0
    assert char_width("ก", 14) > 0 and char_width("า", 14) > 0
    assert char_width("W", 10) > char_width("a", 10) > char_width("i", 10)
    assert char_width("中", 10) == 10  # wide East Asian characters take the full size
    assert text_width("ก่", 14) == text_width("ก", 14)
    assert text_width("แผน", 14, bold=True) == pytest.approx(text_width("แผน", 14) * 1.06)


def test_is_attached_names_the_characters_that_never_start_a_line():
    assert all(is_attached(ch) for ch in ATTACHED)
    assert not any(is_attached(ch) for ch in "กขเแ aZ1")


@pytest.mark.parametrize("budget", [30, 60, 90, 140, 222])
@pytest.mark.parametrize("text", SAMPLES)
def test_wrap_keeps_letters_with_their_marks_and_loses_nothing(text, budget):
    lines = wrap(text, budget, 14)
    for line in lines:
        assert line and line[0] not in ATTACHED, lines
        assert line[-1] not in LEADING, lines
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


@pytest.mark.parametrize("text", SAMPLES)
def test_wrapped_lines_fit_their_budget(text):
    for line in wrap(text, 140, 14):
        assert text_width(line, 14) <= 140, line


@pytest.mark.parametrize("text", SAMPLES[:3])
@pytest.mark.parametrize("budget", [120, 150])
def test_thai_lines_break_at_word_or_syllable_edges(text, budget):
    edges = {0, len(text)} | syllable_boundaries(text)
    lines = wrap(text, budget, 14)
    assert len(lines) > 2
    offset = 0
    for line in lines:
        assert offset in edges, lines
        offset += len(line)


def test_wrap_prefers_spaces_and_never_splits_a_latin_word():
    text = "Draft the quality development plan for the office"
    lines = wrap(text, 120, 14)
    assert len(lines) > 1
    assert " ".join(lines) == text
    assert wrap("  ", 100, 14) == [""]
    assert wrap("a   b", 100, 14) == ["a b"]


def test_a_single_character_wider_than_the_budget_gets_a_line_of_its_own():
    assert wrap("ก่ข้", 1, 14) == ["ก่", "ข้"]


def test_fit_cuts_short_with_an_ellipsis_but_never_between_a_letter_and_its_mark():
    assert fit("แผน", 200, 13) == "แผน"
    cut = fit("ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา", 60, 13)
    assert cut.endswith("…")
    assert text_width(cut, 13) <= 60
    body = cut[:-1]
    assert "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา".startswith(body)
    following = "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา"[len(body)]
    assert char_width(following, 13) > 0  # the next character was not a mark of the last kept


def test_thaitext_imports_no_app_of_the_project():
    code = (
        "import sys, core.thaitext; "
        "apps = {'accounts', 'processes', 'workplans', 'repairs', 'equipment_loans',"
        " 'dmc_emis', 'reports', 'portal', 'config'}; "
        "core.thaitext.words('แผนพัฒนา'); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in apps))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# Money in words (baht_words, from pythainlp's bahttext)


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (12000, "หนึ่งหมื่นสองพันบาทถ้วน"),
        (Decimal("12000.00"), "หนึ่งหมื่นสองพันบาทถ้วน"),
        (Decimal("1500.25"), "หนึ่งพันห้าร้อยบาทยี่สิบห้าสตางค์"),
        (Decimal("0.50"), "ห้าสิบสตางค์"),
        (1_000_000, "หนึ่งล้านบาทถ้วน"),
        (21_000_000, "ยี่สิบเอ็ดล้านบาทถ้วน"),
        (Decimal("2500000.75"), "สองล้านห้าแสนบาทเจ็ดสิบห้าสตางค์"),
        (Decimal("101.01"), "หนึ่งร้อยเอ็ดบาทหนึ่งสตางค์"),
        (Decimal("110000.005"), "หนึ่งแสนหนึ่งหมื่นบาทหนึ่งสตางค์"),  # rounded half up
    ],
)
def test_amounts_in_thai_words(amount, words):
    assert baht_words(amount) == words


def test_a_negative_amount_is_refused():
    with pytest.raises(ValueError):
        baht_words(Decimal("-1"))
