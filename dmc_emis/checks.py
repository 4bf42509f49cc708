"""The rules an imported row is checked against, as plain functions: the Thai national ID
checksum, its masked form, grades and the ages plausible for them, and a count's jump."""

from __future__ import annotations

import datetime
import re
from functools import cache, lru_cache

from accounts.models import RoleCode, User
from core import thaitime
from core.params import is_ascii_digits
from dmc_emis.models import Grade

# The age a student usually has on the data date, by grade (ป.1 at six, ม.1 at twelve).
NOMINAL_AGE = {
    Grade.K1: 3,
    Grade.K2: 4,
    Grade.K3: 5,
    **{getattr(Grade, f"P{n}"): 5 + n for n in range(1, 7)},
    **{getattr(Grade, f"M{n}"): 11 + n for n in range(1, 7)},
}
# A year younger (born just after the cut-off) to four years older (late start, repeated years).
AGE_BELOW, AGE_ABOVE = 1, 4

_GRADE_PREFIX = {"อ": "k", "ป": "p", "ม": "m", "k": "k", "p": "p", "m": "m"}
GRADE_VALUES = frozenset(Grade.values)
_GRADE_WORDS = re.compile(r"อนุบาล|ประถมศึกษาปีที่|มัธยมศึกษาปีที่|ชั้น|[\s.\-/]")


def _weighted_sums(offset: int) -> dict[str, int]:
    """Σ dᵢ·(13-i) of every four-digit group starting at `offset` of an ID."""
    return {
        f"{n:04d}": sum(int(d) * (13 - offset - i) for i, d in enumerate(f"{n:04d}"))
        for n in range(10_000)
    }


@cache
def _weighted() -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """The checksum of the million IDs of an import: three look-ups per ID instead of twelve
    products. Built on first use (about 30 ms), not when a web process starts."""
    return _weighted_sums(0), _weighted_sums(4), _weighted_sums(8)


def national_id_is_valid(value: str) -> bool:
    """The 13-digit Thai ID's check digit: (11 - Σ dᵢ·(13-i) mod 11) mod 10 over the first 12."""
    return len(value) == 13 and is_ascii_digits(value) and check_digit_matches(value)


def check_digit_matches(digits: str) -> bool:
    """The check digit of thirteen ASCII digits (already known to be such) is right."""
    first, second, third = _weighted()
    total = first[digits[:4]] + second[digits[4:8]] + third[digits[8:12]]
    return (11 - total % 11) % 10 == ord(digits[12]) - 48


def clean_national_id(value: object) -> str:
    """Digits only: '1-2345-67890-12-3', '1 2345 67890 12 3' and Thai digits all read alike."""
    text = thaitime.to_arabic_digits(str(value or ""))
    if text.endswith(".0"):  # a number cell read from a spreadsheet
        text = text[:-2]
    return re.sub(r"[\s\-]", "", text)


def mask_national_id(value: str) -> str:
    """`1-2345-xxxxx-xx-3`: enough to tell two students apart, not enough to use the number."""
    if not value:
        return ""
    if len(value) == 13 and is_ascii_digits(value):
        return f"{value[0]}-{value[1:5]}-xxxxx-xx-{value[12]}"
    return value[0] + "x" * max(len(value) - 2, 0) + (value[-1] if len(value) > 1 else "")


# Thirteen digits, in any of the ways people type them (1-2345-67890-12-3, spaces, Thai digits).
_DIGIT = r"[0-9\u0e50-\u0e59]"  # Arabic or Thai digits
_ID_IN_TEXT = re.compile(rf"(?<!{_DIGIT}){_DIGIT}(?:[\s\-]?{_DIGIT}){{12}}(?!{_DIGIT})")


def mask_national_ids_in_text(text: str) -> str:
    """Free text (a school's answer, a note) with every valid national ID in it masked."""

    def mask(match: re.Match) -> str:
        digits = clean_national_id(match.group(0))
        return mask_national_id(digits) if national_id_is_valid(digits) else match.group(0)

    return _ID_IN_TEXT.sub(mask, text or "")


def mask_digit_runs(text: str) -> str:
    """Free text with every run of thirteen digits masked, valid or not: a mistyped ID is still
    someone's ID (import errors, logs)."""
    return _ID_IN_TEXT.sub(
        lambda match: mask_national_id(clean_national_id(match.group(0))), text or ""
    )


def format_national_id(value: str) -> str:
    """The full number, grouped as printed on the card (1-2345-67890-12-3)."""
    if len(value) == 13 and is_ascii_digits(value):
        return f"{value[0]}-{value[1:5]}-{value[5:10]}-{value[10:12]}-{value[12]}"
    return value


def can_see_full_national_id(user: User) -> bool:
    """Only the administrator, and only through the audited export; screens always mask."""
    return user.is_active and (user.is_superuser or user.has_role(RoleCode.ADMIN))


@lru_cache(maxsize=512)  # a file spells its grades a handful of ways, a million times over
def parse_grade(value: object) -> str | None:
    """'ป.1', 'ป1', 'ประถมศึกษาปีที่ 1', 'P1', 'p1', 'อ.2', 'ม.6' -> a Grade value; None if unknown."""
    text = _GRADE_WORDS.sub("", thaitime.to_arabic_digits(str(value or ""))).casefold()
    if not text:
        return None
    original = str(value or "")
    if text.isdigit():  # "ประถมศึกษาปีที่ 1" lost its word; the prefix tells which level
        prefix = (
            "p"
            if "ประถม" in original
            else "m"
            if "มัธยม" in original
            else "k"
            if "อนุบาล" in original
            else ""
        )
        text = prefix + text
    code = _GRADE_PREFIX.get(text[0], "") + text[1:]
    return code if code in GRADE_VALUES else None


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def age_is_plausible(grade: str, birth_date: datetime.date, on: datetime.date) -> bool:
    nominal = NOMINAL_AGE.get(grade)
    if nominal is None:
        return True
    return nominal - AGE_BELOW <= age_on(birth_date, on) <= nominal + AGE_ABOVE


def count_jump_percent(previous: int, current: int) -> float | None:
    """How far `current` moved from `previous`, in percent; None with nothing to compare."""
    if previous <= 0:
        return None
    return abs(current - previous) * 100.0 / previous


def parse_birth_date(value: object) -> datetime.date:
    """A birth date from an export: a spreadsheet date or Buddhist-era text
    ('21/11/2555', '2555-11-21', '21 พ.ย. 2555'); raises ValueError with a Thai message."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        # Some exports store Buddhist-era years in real date cells.
        if value.year > 2400:
            return value.replace(year=value.year - thaitime.BE_OFFSET)
        return value
    from django.core.exceptions import ValidationError

    try:
        return thaitime.parse_thai_date(str(value))
    except ValidationError as error:
        raise ValueError(" ".join(error.messages)) from None
