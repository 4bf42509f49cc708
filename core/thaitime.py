"""Thai time: Buddhist-era dates, the government fiscal year and the office's working days.

Everything the portal shows or accepts as a date goes through here, so the conventions live in
one place:

* Display and input use the Buddhist era (B.E. = A.D. + 543), also when the UI is in English.
* The fiscal year is named by the B.E. year in which it ends and runs 1 October to 30 September.
* Working days are Monday-Friday minus the days off of Thai civil servants (the `holidays`
  package, see `HOLIDAY_CATEGORIES`) corrected by the office's own calendar: the engine's
  admin-edited `CalendarDay` table, plugged in with `set_calendar_source` (core imports no app).
* `working_days_between(a, b)` counts the working days in the half-open interval (a, b].
* `add_working_days(d, n)` with n >= 1 is the n-th working day strictly after d (so
  `working_days_between(d, add_working_days(d, n)) == n`); n == 0 is d itself if d is a working
  day, else the next one; n < 0 is the |n|-th working day strictly before d.
"""

from __future__ import annotations

import bisect
import contextlib
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from typing import Any, Literal

import holidays
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

DateStyle = Literal["short", "long", "numeric"]

BE_OFFSET = 543
# Years the parser accepts. Wide enough for historic records and long plans, narrow enough to
# catch typos; A.D. years (1900-2200 below) never overlap it.
MIN_BE_YEAR = 2400
MAX_BE_YEAR = 2700
# A four-digit year in this range is almost certainly A.D. typed by mistake.
AD_LOOKALIKE_YEARS = range(1900, 2201)

THAI_MONTHS = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
THAI_MONTHS_ABBR = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
# Fixed English names rather than the C library's locale: output must not depend on the host.
ENGLISH_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
ENGLISH_MONTHS_ABBR = tuple(name[:3] for name in ENGLISH_MONTHS)

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_THAI_DIGITS = str.maketrans("0123456789", THAI_DIGITS)
_TO_ARABIC_DIGITS = str.maketrans(THAI_DIGITS, "0123456789")


# ---------------------------------------------------------------------------------------------
# Display
# ---------------------------------------------------------------------------------------------


def to_thai_digits(text: object) -> str:
    """'21/11/2569' -> '๒๑/๑๑/๒๕๖๙'. None and '' give ''."""
    if text is None:
        return ""
    return str(text).translate(_TO_THAI_DIGITS)


def to_arabic_digits(text: str) -> str:
    return text.translate(_TO_ARABIC_DIGITS)


def be_year(value: date) -> int:
    return _local_date(value).year + BE_OFFSET


def _is_english(language: str | None) -> bool:
    # With translations deactivated get_language() is None: the portal's default (Thai) applies.
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    return language.lower().startswith("en")


def _local(value: date) -> date:
    """Aware datetimes in the current time zone (Asia/Bangkok); naive ones are taken as local."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _local_date(value: date) -> date:
    value = _local(value)
    return value.date() if isinstance(value, datetime) else value


def _format_date_part(d: date, style: DateStyle, english: bool) -> str:
    year = d.year + BE_OFFSET
    if style == "numeric":
        return f"{d.day:02d}/{d.month:02d}/{year}"
    if style == "short":
        if english:
            return f"{d.day} {ENGLISH_MONTHS_ABBR[d.month - 1]} {year} BE"
        return f"{d.day} {THAI_MONTHS_ABBR[d.month - 1]} {year}"
    if style == "long":
        if english:
            return f"{d.day} {ENGLISH_MONTHS[d.month - 1]} {year} BE"
        return f"{d.day} {THAI_MONTHS[d.month - 1]} พ.ศ. {year}"
    raise ValueError(f"Unknown date style {style!r}; use 'short', 'long' or 'numeric'.")


def format_thai_date(
    value: date | None,
    style: DateStyle = "short",
    *,
    thai_digits: bool = False,
    language: str | None = None,
) -> str:
    """A date (or the local date of a datetime) in the Buddhist era.

    short: '21 พ.ย. 2569', long: '21 พฤศจิกายน พ.ศ. 2569', numeric: '21/11/2569'. In English
    (the active language, or `language`): '21 Nov 2569 BE', '21 November 2569 BE', '21/11/2569'.
    None and '' give ''.
    """
    if value is None or value == "":
        return ""
    if not isinstance(value, date):
        raise TypeError(f"Expected a date or datetime, got {type(value).__name__}.")
    text = _format_date_part(_local_date(value), style, _is_english(language))
    return to_thai_digits(text) if thai_digits else text


def format_thai_datetime(
    value: date | None,
    style: DateStyle = "short",
    *,
    thai_digits: bool = False,
    language: str | None = None,
) -> str:
    """Like `format_thai_date`, plus the local time: '21 พ.ย. 2569 14:05 น.'.

    The long style follows Thai official writing: '21 พฤศจิกายน พ.ศ. 2569 เวลา 14:05 น.'.
    English: '21 Nov 2569 BE, 14:05'. A plain date gives the date alone.
    """
    if value is None or value == "":
        return ""
    if not isinstance(value, datetime):
        return format_thai_date(value, style, thai_digits=thai_digits, language=language)
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    english = _is_english(language)
    text = _format_date_part(local.date(), style, english)
    clock = f"{local.hour:02d}:{local.minute:02d}"
    if english:
        text = f"{text}, {clock}"
    elif style == "long":
        text = f"{text} เวลา {clock} น."
    else:
        text = f"{text} {clock} น."
    return to_thai_digits(text) if thai_digits else text


# ---------------------------------------------------------------------------------------------
# Input
# ---------------------------------------------------------------------------------------------

# English msgids. Each "th:" comment is the intended Thai translation for locale/th (the
# "Translators:" prefix makes makemessages copy it into the .po file).
MESSAGES = {
    # Translators: th: กรุณากรอกวันที่เป็น วัน/เดือน/ปี พ.ศ. เช่น 21/11/2569
    "invalid": _("Enter a date as day/month/Buddhist-era year, e.g. 21/11/2569."),
    # Translators: th: ไม่มีวันที่ %(value)s ในปฏิทิน กรุณาตรวจสอบวันและเดือน
    "invalid_date": _("%(value)s is not a real date; check the day and the month."),
    # Translators: th: ปี %(year)s ดูเหมือนเป็นปีคริสต์ศักราช (ค.ศ.)
    # กรุณากรอกปีพุทธศักราช (พ.ศ.) เช่น %(suggestion)s
    "christian_era_year": _(
        "%(year)s looks like a Christian-era (A.D.) year; enter the Buddhist-era year, "
        "e.g. %(suggestion)s."
    ),
    # Translators: th: กรุณากรอกปี พ.ศ. ให้ครบสี่หลัก (เช่น %(example)s) ไม่ใช่ %(year)s
    "two_digit_year": _(
        "Enter the Buddhist-era year in full (four digits, e.g. %(example)s), not %(year)s."
    ),
    # Translators: th: ปี %(year)s อยู่นอกช่วงที่รับได้ คือ พ.ศ. %(min)s ถึง %(max)s
    "year_out_of_range": _(
        "The year %(year)s is outside the accepted range, B.E. %(min)s to %(max)s."
    ),
}

_MONTH_LOOKUP: dict[str, int] = {}
for _number, _names in enumerate(
    zip(THAI_MONTHS, THAI_MONTHS_ABBR, ENGLISH_MONTHS, ENGLISH_MONTHS_ABBR, strict=True), start=1
):
    for _name in _names:
        # Keys without dots or spaces: 'พ.ย.', 'พย' and 'พ. ย.' are all November.
        _MONTH_LOOKUP[re.sub(r"[.\s]", "", _name).casefold()] = _number
_MONTH_LOOKUP["sept"] = 9

_NUMERIC_DMY = re.compile(r"(\d{1,2})([/\-.])(\d{1,2})\2(\d+)")
_NUMERIC_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
# 8 digits, no separators: lets a phone's digits-only keypad (inputmode=numeric) enter a date.
_COMPACT_DMY = re.compile(r"(\d{2})(\d{2})(\d{4})")
_TEXT_DMY = re.compile(r"(\d{1,2})\s*(\D+?)\s*(\d+)")
# Era markers carry no information here (the year is always B.E.), so they are dropped.
_ERA_MARKER = re.compile(r"พ\.?\s*ศ\.?|\bB\.?\s*E\b\.?", re.IGNORECASE)
_LEADING_WORDS = re.compile(r"^(?:วันที่|ที่)\s*")


def _error(code: str, **params: object) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code, params=params or None)


def parse_thai_date(text: str) -> date:
    """A Buddhist-era date typed by a person -> `date`; raises `ValidationError` with a code.

    Accepts '21/11/2569', '21-11-2569', '21.11.2569', '21112569', '2569-11-21',
    '21 พ.ย. 2569', '21 พฤศจิกายน 2569', '21 พฤศจิกายน พ.ศ. 2569', '21 Nov 2569 BE',
    Thai digits and surrounding spaces. Error codes: invalid, invalid_date,
    christian_era_year, two_digit_year, year_out_of_range.
    """
    if not isinstance(text, str):
        raise _error("invalid")
    original = " ".join(text.split())
    cleaned = to_arabic_digits(original)
    cleaned = _LEADING_WORDS.sub("", cleaned)

    if match := _NUMERIC_DMY.fullmatch(cleaned):
        day_text, _sep, month_text, year_text = match.groups()
        month = int(month_text)
    elif match := _NUMERIC_YMD.fullmatch(cleaned):
        year_text, month_text, day_text = match.groups()
        month = int(month_text)
    elif match := _COMPACT_DMY.fullmatch(cleaned):
        day_text, month_text, year_text = match.groups()
        month = int(month_text)
    elif match := _TEXT_DMY.fullmatch(" ".join(_ERA_MARKER.sub(" ", cleaned).split())):
        day_text, month_name, year_text = match.groups()
        month = _MONTH_LOOKUP.get(re.sub(r"[.\s]", "", month_name).casefold(), 0)
        if not month:
            raise _error("invalid")
    else:
        raise _error("invalid")

    year = int(year_text)
    if len(year_text) <= 2:
        raise _error("two_digit_year", year=year_text, example=_current_be_year())
    if year in AD_LOOKALIKE_YEARS:
        raise _error("christian_era_year", year=year, suggestion=year + BE_OFFSET)
    if not MIN_BE_YEAR <= year <= MAX_BE_YEAR:
        raise _error("year_out_of_range", year=year, min=MIN_BE_YEAR, max=MAX_BE_YEAR)
    try:
        return date(year - BE_OFFSET, month, int(day_text))
    except ValueError:
        raise _error("invalid_date", value=original) from None


def _current_be_year() -> int:
    return timezone.localdate().year + BE_OFFSET


class ThaiDateInput(forms.TextInput):
    """A text box showing dates as dd/mm/yyyy in B.E.; anything else is shown as typed."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        # numeric: phones open a digit keypad; the parser also takes '21112569' for keypads
        # without '/'. autocomplete off: browsers would offer A.D. dates from other sites.
        super().__init__({"inputmode": "numeric", "autocomplete": "off", **(attrs or {})})

    def get_context(self, name: str, value: object, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context(name, value, attrs)
        # Decided at render time so it follows the language of the request.
        context["widget"]["attrs"].setdefault(
            "placeholder", "dd/mm/yyyy" if _is_english(None) else "วว/ดด/ปปปป"
        )
        return context

    def format_value(self, value: object) -> str | None:
        if isinstance(value, date):
            return format_thai_date(value, "numeric")
        # Raw user input on a bound form: re-render exactly what was typed.
        typed: str | None = super().format_value(value)
        return typed


class ThaiDateField(forms.DateField):
    """A `DateField` that reads and shows Buddhist-era dates (see `parse_thai_date`)."""

    widget = ThaiDateInput

    def to_python(self, value: object) -> date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, date):
            return _local_date(value)
        return parse_thai_date(str(value))


# ---------------------------------------------------------------------------------------------
# Fiscal year (ปีงบประมาณ): 1 October of year N-1 to 30 September of year N, named by N in B.E.
# ---------------------------------------------------------------------------------------------


def fiscal_year_of(value: date) -> int:
    """The B.E. fiscal year a date falls in: 30 Sep 2026 -> 2569, 1 Oct 2026 -> 2570."""
    d = _local_date(value)
    return d.year + BE_OFFSET + (1 if d.month >= 10 else 0)


def fiscal_year_bounds(fiscal_year: int) -> tuple[date, date]:
    """First and last day of a B.E. fiscal year: 2570 -> (2026-10-01, 2027-09-30)."""
    if not MIN_BE_YEAR <= fiscal_year <= MAX_BE_YEAR:
        # Most likely an A.D. year passed by mistake; failing beats a range in the 1400s.
        raise ValueError(f"Fiscal year {fiscal_year} is not a Buddhist-era year.")
    end_year = fiscal_year - BE_OFFSET
    return date(end_year - 1, 10, 1), date(end_year, 9, 30)


def fiscal_quarter_of(value: date) -> int:
    """1 = Oct-Dec, 2 = Jan-Mar, 3 = Apr-Jun, 4 = Jul-Sep."""
    return (_local_date(value).month - 10) % 12 // 3 + 1


# ---------------------------------------------------------------------------------------------
# Working days
# ---------------------------------------------------------------------------------------------

# Days off of a civil servant at a government office:
# * PUBLIC: the Holidays Act days plus their in-lieu days and the cabinet's special
#   (bridge) days off, which are declared for government offices.
# * GOVERNMENT: the Royal Ploughing Ceremony, a day off for government offices only.
# Not taken: BANK (bank closing days), ARMED_FORCES (Armed Forces Day, military only),
# SCHOOL (Teacher's Day, 16 Jan: not a government day off; schools close so that teachers can
# attend the ceremonies; if the office closes too, add a CalendarDay) and WORKDAY
# (observances that are worked).
HOLIDAY_CATEGORIES = (holidays.PUBLIC, holidays.GOVERNMENT)
# In PUBLIC but worked by civil servants: the package itself notes National Labour Day is
# "only observed by financial and private sectors". Removing the name also removes its in-lieu
# day ('ชดเชยวันแรงงานแห่งชาติ'). If the cabinet grants it, add a CalendarDay.
NOT_DAYS_OFF = ("วันแรงงานแห่งชาติ",)
# The package knows Thai holidays for 1914-2100 but Royal Ploughing dates and the cabinet's
# special days off only as far as its release (2026 in holidays 0.109); later ones must be
# entered as CalendarDay rows.

# How often a process checks whether another process edited CalendarDay (one small query).
# Edits made in this process are seen at once through the post_save/post_delete receivers.
CALENDAR_RECHECK_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class _YearCalendar:
    working: tuple[int, ...]  # sorted ordinals of the year's working days
    working_set: frozenset[int]
    days_off: tuple[tuple[date, str], ...]  # named days off, sorted, for display


@dataclass(slots=True)
class _CalendarCache:
    years: dict[int, _YearCalendar] = field(default_factory=dict)
    fingerprint: tuple[object, ...] | None = None
    checked_at: float = float("-inf")


_cache = _CalendarCache()
_build_lock = threading.Lock()


def clear_calendar_cache() -> None:
    """Forget every computed year; the next call rebuilds from the package and CalendarDay."""
    global _cache
    _cache = _CalendarCache()


def calendar_day_changed(**kwargs: object) -> None:
    """Receiver for a change of the office's calendar (the engine connects it to its rows)."""
    clear_calendar_cache()
    # Again after commit: a rebuild between the save and the commit would read the old rows.
    transaction.on_commit(clear_calendar_cache)


@dataclass(frozen=True, slots=True)
class CalendarSource:
    """Where the office's own calendar days come from.

    `fingerprint()` changes whenever the days change (so cached years are rebuilt);
    `days_of_year(year)` yields ``(date, is_working_day, name)`` for each corrected day.
    """

    fingerprint: Callable[[], tuple[object, ...]]
    days_of_year: Callable[[int], Iterable[tuple[date, bool, str]]]


_NO_OFFICE_DAYS = CalendarSource(fingerprint=lambda: (), days_of_year=lambda year: ())
_source = _NO_OFFICE_DAYS


def set_calendar_source(source: CalendarSource | None) -> None:
    """Plug in the office's calendar (the engine does, at start-up); None removes it."""
    global _source
    _source = source or _NO_OFFICE_DAYS
    clear_calendar_cache()


def _fingerprint() -> tuple[object, ...]:
    return _source.fingerprint()


def _year_calendar(year: int) -> _YearCalendar:
    global _cache
    cache = _cache
    now = time.monotonic()
    if now - cache.checked_at >= CALENDAR_RECHECK_SECONDS:
        fingerprint = _fingerprint()
        if fingerprint != cache.fingerprint:
            # A new object, not clear(): a build still running on old rows lands in the old one.
            cache = _cache = _CalendarCache(fingerprint=fingerprint)
        cache.checked_at = now
    calendar = cache.years.get(year)
    if calendar is None:
        with _build_lock:
            calendar = cache.years.get(year)
            if calendar is None:
                calendar = cache.years[year] = _build_year(year)
    return calendar


def _build_year(year: int) -> _YearCalendar:
    if not date.min.year <= year <= date.max.year:
        raise OverflowError(f"Year {year} is outside the supported date range.")
    package = holidays.country_holidays(
        "TH", years=year, language="th", categories=HOLIDAY_CATEGORIES
    )
    for name in NOT_DAYS_OFF:
        with contextlib.suppress(KeyError):  # not a holiday that year
            package.pop_named(name)
    days_off: dict[date, str] = dict(package.items())
    worked: set[date] = set()
    for day, is_working_day, name in _source.days_of_year(year):
        if is_working_day:
            worked.add(day)
            days_off.pop(day, None)
        elif day in days_off and name not in days_off[day]:
            days_off[day] = f"{days_off[day]}; {name}"
        else:
            days_off[day] = name

    working: list[int] = []
    day = date(year, 1, 1)
    one_day = timedelta(days=1)
    while day.year == year:
        if day in worked or (day.weekday() < 5 and day not in days_off):
            working.append(day.toordinal())
        if day == date.max:
            break
        day += one_day
    return _YearCalendar(
        working=tuple(working),
        working_set=frozenset(working),
        days_off=tuple(sorted(days_off.items())),
    )


def is_working_day(value: date) -> bool:
    d = _local_date(value)
    return d.toordinal() in _year_calendar(d.year).working_set


def add_working_days(start: date, n: int) -> date:
    """The date n working days after `start` (see the module docstring for n <= 0)."""
    d = _local_date(start)
    ordinal = d.toordinal()
    year = d.year
    if n == 0:
        # First working day on or after start.
        while True:
            working = _year_calendar(year).working
            i = bisect.bisect_left(working, ordinal)
            if i < len(working):
                return date.fromordinal(working[i])
            year += 1
    if n > 0:
        remaining = n
        while True:
            working = _year_calendar(year).working
            i = bisect.bisect_right(working, ordinal)  # first working day after start
            if remaining <= len(working) - i:
                return date.fromordinal(working[i + remaining - 1])
            remaining -= len(working) - i
            year += 1
    remaining = -n
    while True:
        working = _year_calendar(year).working
        i = bisect.bisect_left(working, ordinal)  # working days before start in this year
        if remaining <= i:
            return date.fromordinal(working[i - remaining])
        remaining -= i
        year -= 1


def next_working_day(value: date) -> date:
    """The first working day strictly after `value`."""
    return add_working_days(value, 1)


def working_days_between(start: date, end: date) -> int:
    """Working days d with start < d <= end; negative when end is before start.

    E.g. received on Friday, today is Monday: 1 working day has passed; due on Friday,
    today is Monday: 1 working day late.
    """
    a, b = _local_date(start), _local_date(end)
    if b < a:
        return -working_days_between(b, a)
    a_ordinal, b_ordinal = a.toordinal(), b.toordinal()
    count = 0
    for year in range(a.year, b.year + 1):
        working = _year_calendar(year).working
        count += bisect.bisect_right(working, b_ordinal) - bisect.bisect_right(working, a_ordinal)
    return count


def pause_extension(
    due_on: date | None, paused_since: date, resumed_on: date
) -> tuple[int, date | None]:
    """Working days a clock stood still, and the due date moved on by them (waiting for a school
    or a vendor does not count against the standard time)."""
    paused = working_days_between(paused_since, resumed_on)
    if due_on is None or not paused:
        return paused, due_on
    return paused, add_working_days(due_on, paused)


# Thai government office hours; service targets in working hours count only these.
OFFICE_OPENS = clock_time(8, 30)
OFFICE_CLOSES = clock_time(16, 30)


def add_working_hours(start: datetime, hours: float) -> datetime:
    """The moment `hours` of office time (08:30-16:30 on working days) after `start`.

    A start outside office hours counts from the next opening, so a request filed on Friday
    evening with a 2-hour target is due at 10:30 on the next working day.
    """
    remaining = timedelta(hours=hours)
    cursor = timezone.localtime(start) if timezone.is_aware(start) else timezone.make_aware(start)
    while True:
        day = cursor.date()
        opens = timezone.make_aware(datetime.combine(day, OFFICE_OPENS))
        closes = timezone.make_aware(datetime.combine(day, OFFICE_CLOSES))
        if not is_working_day(day) or cursor >= closes:
            cursor = timezone.make_aware(datetime.combine(next_working_day(day), OFFICE_OPENS))
            continue
        cursor = max(cursor, opens)
        if remaining <= closes - cursor:
            return cursor + remaining
        remaining -= closes - cursor
        cursor = timezone.make_aware(datetime.combine(next_working_day(day), OFFICE_OPENS))


def holidays_between(start: date, end: date) -> list[tuple[date, str]]:
    """Named days off from start to end, both included, for display.

    Includes holidays on weekends (e.g. 5 Dec on a Saturday, next to its in-lieu Monday) and
    CalendarDay extra days off; a CalendarDay working day removes the date. Several holidays on
    one date share one entry, names joined by '; '.
    """
    a, b = _local_date(start), _local_date(end)
    result: list[tuple[date, str]] = []
    for year in range(a.year, b.year + 1):
        result.extend(item for item in _year_calendar(year).days_off if a <= item[0] <= b)
    return result
