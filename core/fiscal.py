"""The Thai fiscal year (1 October to 30 September, named by the B.E. year in which it ends) as
months and datetime ranges, for dashboards and reports."""

from __future__ import annotations

import datetime

from django.utils import timezone, translation

from core import thaitime

FISCAL_MONTHS = (10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9)


def month_label(month: int) -> str:
    """Short month name in the active language: 10 -> 'ต.ค.' (Thai) or 'Oct' (English)."""
    language = translation.get_language() or ""
    names = (
        thaitime.ENGLISH_MONTHS_ABBR
        if language.lower().startswith("en")
        else thaitime.THAI_MONTHS_ABBR
    )
    return names[month - 1]


def fiscal_year_range(fiscal_year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) of a B.E. fiscal year as aware datetimes at midnight in the office's zone."""
    first, last = thaitime.fiscal_year_bounds(fiscal_year)
    zone = timezone.get_default_timezone()
    return (
        datetime.datetime.combine(first, datetime.time.min, tzinfo=zone),
        datetime.datetime.combine(
            last + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
        ),
    )
