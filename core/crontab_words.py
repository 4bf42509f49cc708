"""A crontab schedule in words, in the active language (Thai in the portal).

django-celery-beat describes its schedules with cron-descriptor, which has no Thai ("At 07:00
AM, only on Monday…" on the admin's Thai pages). `describe_crontab` says the same in our
catalogue's words for the shapes schedules take (every minute, every n minutes, at a time,
every hour within hours, on week days, on days of the month, in months); any other shape falls
back to the fields themselves, still in words.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# cron counts week days from Sunday (0, and 7 again).
WEEKDAYS = (
    gettext_lazy("Sunday"),
    gettext_lazy("Monday"),
    gettext_lazy("Tuesday"),
    gettext_lazy("Wednesday"),
    gettext_lazy("Thursday"),
    gettext_lazy("Friday"),
    gettext_lazy("Saturday"),
)
MONTHS = (
    gettext_lazy("January"),
    gettext_lazy("February"),
    gettext_lazy("March"),
    gettext_lazy("April"),
    gettext_lazy("May"),
    gettext_lazy("June"),
    gettext_lazy("July"),
    gettext_lazy("August"),
    gettext_lazy("September"),
    gettext_lazy("October"),
    gettext_lazy("November"),
    gettext_lazy("December"),
)
_NUMBER = re.compile(r"\d{1,2}")
_RANGE = re.compile(r"(\d{1,2})-(\d{1,2})")
_STEP = re.compile(r"\*/(\d{1,2})")
_LIST = re.compile(r"\d{1,2}(,\d{1,2})+")


def _clock(hour: int, minute: int) -> str:
    return f"{hour:02d}:{minute:02d}"


def _minutes_and_hours(minute: str, hour: str) -> str:
    """The time of day part: 'every 10 minutes', 'at 07:00', 'every hour from 08:30 to 16:30'."""
    if _NUMBER.fullmatch(minute):
        m = int(minute)
        if _NUMBER.fullmatch(hour):
            return _("at %(time)s") % {"time": _clock(int(hour), m)}
        if _LIST.fullmatch(hour):
            times = ", ".join(_clock(int(h), m) for h in hour.split(","))
            return _("at %(time)s") % {"time": times}
        if hour == "*":
            return _("every hour at minute %(minute)s") % {"minute": m}
        if found := _RANGE.fullmatch(hour):
            first, last = int(found[1]), int(found[2])
            return _("every hour from %(first)s to %(last)s") % {
                "first": _clock(first, m),
                "last": _clock(last, m),
            }
    often = None
    if minute == "*":
        often = _("every minute")
    elif found := _STEP.fullmatch(minute):
        often = _("every %(count)s minutes") % {"count": int(found[1])}
    if often is not None:
        if hour == "*":
            return often
        hours = _RANGE.fullmatch(hour) or (_NUMBER.fullmatch(hour) and (hour, hour, hour))
        if hours:
            return _("%(often)s from %(first)s to %(last)s") % {
                "often": often,
                "first": _clock(int(hours[1]), 0),
                "last": _clock(int(hours[2]), 59),
            }
    return _("at minute %(minute)s of hour %(hour)s") % {"minute": minute, "hour": hour}


def _names(field: str, names: tuple[object, ...], first: int) -> str | None:
    """'1-5' -> 'Monday to Friday', '1,3' -> 'Monday, Wednesday' (None: another shape)."""
    if found := _RANGE.fullmatch(field):
        low, high = int(found[1]) - first, int(found[2]) - first
        if 0 <= low < high < len(names) + (first == 0):
            return _("%(first)s to %(last)s") % {
                "first": names[low % len(names)],
                "last": names[high % len(names)],
            }
    if _NUMBER.fullmatch(field) or _LIST.fullmatch(field):
        numbers = [int(n) - first for n in field.split(",")]
        if all(0 <= n < len(names) + (first == 0) for n in numbers):
            return ", ".join(str(names[n % len(names)]) for n in numbers)
    return None


def _days(day_of_month: str, month_of_year: str, day_of_week: str) -> str:
    """The days part: '' (every day), 'every Monday to Friday', 'on day 1 of the month'."""
    parts = []
    if day_of_week != "*" and day_of_month == "*":
        days = _names(day_of_week, WEEKDAYS, 0)
        parts.append(
            _("every %(days)s") % {"days": days}
            if days
            else _("on week days %(days)s") % {"days": day_of_week}
        )
    elif day_of_month != "*" and day_of_week == "*":
        parts.append(_("on day %(days)s of the month") % {"days": day_of_month})
    elif day_of_month != "*":
        parts.append(
            _("on day %(days)s of the month or on week days %(week_days)s")
            % {"days": day_of_month, "week_days": day_of_week}
        )
    if month_of_year != "*":
        months = _names(month_of_year, MONTHS, 1) or month_of_year
        parts.append(_("in %(months)s") % {"months": months})
    return " ".join(parts)


def describe_crontab(
    *,
    minute: str = "*",
    hour: str = "*",
    day_of_month: str = "*",
    month_of_year: str = "*",
    day_of_week: str = "*",
    timezone: str = "",
) -> str:
    """'every day at 07:00 (Thailand time)' in the active language."""
    fields = [str(f).replace(" ", "") or "*" for f in (minute, hour, day_of_month)]
    fields += [str(f).replace(" ", "") or "*" for f in (month_of_year, day_of_week)]
    minute, hour, day_of_month, month_of_year, day_of_week = fields
    time = _minutes_and_hours(minute, hour)
    days = _days(day_of_month, month_of_year, day_of_week)
    if not days and _NUMBER.fullmatch(minute) and hour != "*":
        days = _("every day")
    text = f"{days} {time}" if days else time
    zone = str(timezone or settings.TIME_ZONE)
    where = _("Thailand time") if zone == "Asia/Bangkok" else zone
    return f"{text} ({where})"
