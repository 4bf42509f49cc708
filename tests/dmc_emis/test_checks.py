"""The rules themselves: the national ID checksum and its mask, grades, ages, jumps, dates."""

from __future__ import annotations

import datetime

import pytest

from accounts.models import RoleCode
from dmc_emis import checks
from tests.factories import make_user

from .helpers import with_check_digit


@pytest.mark.parametrize(
    "value, valid",
    [
        ("1234567890121", True),  # Σ = 352, 352 mod 11 = 0, (11 - 0) mod 10 = 1
        ("1234567890122", False),  # the same number with a wrong last digit
        ("3100600103042", False),
        (with_check_digit("310060010304"), True),
        ("123456789012", False),  # twelve digits
        ("12345678901234", False),  # fourteen
        ("12345678901a1", False),
        ("", False),
    ],
)
def test_the_national_id_checksum(value, valid):
    assert checks.national_id_is_valid(value) is valid


def test_the_table_checksum_agrees_with_the_rule_digit_by_digit():
    """The import's look-up tables give the same answer as Σ dᵢ·(13-i) over varied numbers."""
    import random

    rng = random.Random(13)
    for _ in range(3000):
        first12 = "".join(rng.choice("0123456789") for _ in range(12))
        for last in "0123456789":
            value = first12 + last
            assert checks.check_digit_matches(value) is (value == with_check_digit(first12))
    assert checks.national_id_is_valid("๑" * 13) is False  # Thai digits: cleaned first


def test_every_check_digit_is_caught_when_wrong():
    first12 = "110170020703"
    good = with_check_digit(first12)
    assert checks.national_id_is_valid(good)
    for digit in "0123456789":
        if digit != good[-1]:
            assert not checks.national_id_is_valid(first12 + digit)


def test_ids_are_cleaned_of_dashes_spaces_thai_digits_and_spreadsheet_floats():
    assert checks.clean_national_id("1-2345-67890-12-1") == "1234567890121"
    assert checks.clean_national_id(" 1 2345 67890 12 1 ") == "1234567890121"
    assert checks.clean_national_id("๑๒๓๔๕๖๗๘๙๐๑๒๑") == "1234567890121"
    assert checks.clean_national_id(1234567890121.0) == "1234567890121"


def test_the_mask_shows_the_first_five_and_the_last_digit_only():
    assert checks.mask_national_id("1234567890121") == "1-2345-xxxxx-xx-1"
    assert checks.mask_national_id("12345") == "1xxx5"
    assert checks.mask_national_id("") == ""
    assert checks.format_national_id("1234567890121") == "1-2345-67890-12-1"


@pytest.mark.parametrize(
    "role, full",
    [
        (RoleCode.ADMIN, True),
        (RoleCode.STAFF, False),
        (RoleCode.GROUP_HEAD, False),
        (RoleCode.DIRECTOR, False),
        (RoleCode.SCHOOL_USER, False),
        (RoleCode.SCHOOL_DIRECTOR, False),
    ],
)
def test_only_the_administrator_may_see_ids_in_full(db, role, full):
    assert checks.can_see_full_national_id(make_user(role)) is full


@pytest.mark.parametrize(
    "text, grade",
    [
        ("ป.1", "p1"),
        ("ป1", "p1"),
        ("ประถมศึกษาปีที่ 6", "p6"),
        ("P3", "p3"),
        ("อ.2", "k2"),
        ("อนุบาล 3", "k3"),
        ("ม.6", "m6"),
        ("มัธยมศึกษาปีที่ ๔", "m4"),
        ("ป.7", None),
        ("", None),
        ("เตรียมอนุบาล", None),
    ],
)
def test_grades_are_read_in_the_ways_exports_write_them(text, grade):
    assert checks.parse_grade(text) == grade


def test_ages_outside_the_grade_are_implausible():
    day = datetime.date(2026, 6, 10)
    assert checks.age_is_plausible("p1", datetime.date(2019, 8, 1), day)  # six
    assert checks.age_is_plausible("p1", datetime.date(2021, 1, 1), day)  # five: a year young
    assert not checks.age_is_plausible("p1", datetime.date(2022, 1, 1), day)  # four
    assert not checks.age_is_plausible("p1", datetime.date(2010, 1, 1), day)  # sixteen
    assert checks.age_is_plausible("m6", datetime.date(2008, 12, 1), day)  # seventeen
    assert checks.age_on(datetime.date(2019, 6, 11), day) == 6


def test_count_jump_in_percent():
    assert checks.count_jump_percent(100, 125) == 25
    assert checks.count_jump_percent(100, 80) == 20
    assert checks.count_jump_percent(0, 10) is None


def test_birth_dates_in_the_buddhist_era_from_text_or_cells():
    assert checks.parse_birth_date("21/11/2555") == datetime.date(2012, 11, 21)
    assert checks.parse_birth_date(datetime.datetime(2012, 11, 21)) == datetime.date(2012, 11, 21)
    assert checks.parse_birth_date(datetime.date(2555, 11, 21)) == datetime.date(2012, 11, 21)
    with pytest.raises(ValueError):
        checks.parse_birth_date("31/02/2555")
    with pytest.raises(ValueError):
        checks.parse_birth_date("21/11/2012")  # a Christian-era year is refused, not guessed
