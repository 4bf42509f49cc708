"""core.thaitime: B.E. display and parsing, the fiscal year and working days.

Holiday facts below were read from the `holidays` package (0.109) with the categories the
module uses (PUBLIC + GOVERNMENT, Labour Day removed), not guessed. Years after 2025 follow the
package's rules; the cabinet may still announce extra days off for them (CalendarDay rows).
"""

from datetime import UTC, date, datetime, timedelta

import holidays
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from core import thaitime
from core.thaitime import (
    add_working_days,
    fiscal_quarter_of,
    fiscal_year_bounds,
    fiscal_year_of,
    format_thai_date,
    format_thai_datetime,
    holidays_between,
    is_working_day,
    next_working_day,
    parse_thai_date,
    to_thai_digits,
    working_days_between,
)
from processes.models import CalendarDay

D = date(2026, 11, 21)  # Saturday 21 November 2026 = B.E. 2569


# --- display ----------------------------------------------------------------------------------


def test_short_long_numeric():
    assert format_thai_date(D) == "21 พ.ย. 2569"
    assert format_thai_date(D, "short") == "21 พ.ย. 2569"
    assert format_thai_date(D, "long") == "21 พฤศจิกายน พ.ศ. 2569"
    assert format_thai_date(D, "numeric") == "21/11/2569"


def test_numeric_pads_day_and_month_but_text_styles_do_not():
    assert format_thai_date(date(2027, 1, 5), "numeric") == "05/01/2570"
    assert format_thai_date(date(2027, 1, 5)) == "5 ม.ค. 2570"
    assert format_thai_date(date(2027, 1, 5), "long") == "5 มกราคม พ.ศ. 2570"


@pytest.mark.parametrize(
    ("month", "abbr", "full"),
    [
        (1, "ม.ค.", "มกราคม"),
        (2, "ก.พ.", "กุมภาพันธ์"),
        (3, "มี.ค.", "มีนาคม"),
        (4, "เม.ย.", "เมษายน"),
        (5, "พ.ค.", "พฤษภาคม"),
        (6, "มิ.ย.", "มิถุนายน"),
        (7, "ก.ค.", "กรกฎาคม"),
        (8, "ส.ค.", "สิงหาคม"),
        (9, "ก.ย.", "กันยายน"),
        (10, "ต.ค.", "ตุลาคม"),
        (11, "พ.ย.", "พฤศจิกายน"),
        (12, "ธ.ค.", "ธันวาคม"),
    ],
)
def test_every_month_name(month, abbr, full):
    assert format_thai_date(date(2026, month, 1)) == f"1 {abbr} 2569"
    assert format_thai_date(date(2026, month, 1), "long") == f"1 {full} พ.ศ. 2569"


def test_thai_digits():
    assert to_thai_digits("21/11/2569") == "๒๑/๑๑/๒๕๖๙"
    assert to_thai_digits(2569) == "๒๕๖๙"
    assert to_thai_digits(None) == ""
    assert to_thai_digits("") == ""
    assert format_thai_date(D, thai_digits=True) == "๒๑ พ.ย. ๒๕๖๙"
    assert format_thai_date(D, "long", thai_digits=True) == "๒๑ พฤศจิกายน พ.ศ. ๒๕๖๙"
    assert format_thai_date(D, "numeric", thai_digits=True) == "๒๑/๑๑/๒๕๖๙"


def test_empty_values_give_empty_text():
    assert format_thai_date(None) == ""
    assert format_thai_date("") == ""
    assert format_thai_datetime(None) == ""
    assert format_thai_datetime("") == ""


def test_wrong_type_or_style_raises_for_python_callers():
    with pytest.raises(TypeError):
        format_thai_date("2026-11-21")
    with pytest.raises(ValueError, match="style"):
        format_thai_date(D, "medium")


def test_aware_datetime_is_shown_in_bangkok_time_across_midnight_utc():
    # 18:30 UTC on the 20th is 01:30 on the 21st in Bangkok (UTC+7).
    moment = datetime(2026, 11, 20, 18, 30, tzinfo=UTC)
    assert format_thai_datetime(moment) == "21 พ.ย. 2569 01:30 น."
    assert format_thai_date(moment) == "21 พ.ย. 2569"
    assert format_thai_datetime(moment, "numeric") == "21/11/2569 01:30 น."
    assert format_thai_datetime(moment, "long") == "21 พฤศจิกายน พ.ศ. 2569 เวลา 01:30 น."
    assert format_thai_datetime(moment, thai_digits=True) == "๒๑ พ.ย. ๒๕๖๙ ๐๑:๓๐ น."


def test_afternoon_datetime_and_year_end_rollover():
    assert format_thai_datetime(datetime(2026, 11, 21, 7, 5, tzinfo=UTC)) == (
        "21 พ.ย. 2569 14:05 น."
    )
    # 31 Dec 2026 17:00 UTC is already New Year's Day 2027 (B.E. 2570) in Bangkok.
    assert format_thai_datetime(datetime(2026, 12, 31, 17, 0, tzinfo=UTC)) == (
        "1 ม.ค. 2570 00:00 น."
    )


def test_naive_datetime_is_taken_as_local_time():
    assert format_thai_datetime(datetime(2026, 11, 21, 14, 5)) == "21 พ.ย. 2569 14:05 น."


def test_plain_date_through_datetime_formatter_shows_the_date_only():
    assert format_thai_datetime(D) == "21 พ.ย. 2569"


def test_english_keeps_the_buddhist_era():
    moment = datetime(2026, 11, 21, 7, 5, tzinfo=UTC)
    with translation.override("en"):
        assert format_thai_date(D) == "21 Nov 2569 BE"
        assert format_thai_date(D, "long") == "21 November 2569 BE"
        assert format_thai_date(D, "numeric") == "21/11/2569"
        assert format_thai_datetime(moment) == "21 Nov 2569 BE, 14:05"
        assert format_thai_datetime(moment, "long") == "21 November 2569 BE, 14:05"
    with translation.override("en-us"):
        assert format_thai_date(D) == "21 Nov 2569 BE"
    # An explicit language wins over the active one.
    assert format_thai_date(D, language="en") == "21 Nov 2569 BE"
    with translation.override("en"):
        assert format_thai_date(D, language="th") == "21 พ.ย. 2569"


def test_no_active_language_means_thai():
    with translation.override(None):
        assert format_thai_date(D) == "21 พ.ย. 2569"


# --- parsing ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "21/11/2569",
        "21-11-2569",
        "21.11.2569",
        "2569-11-21",
        "21112569",
        "21 พ.ย. 2569",
        "21 พย 2569",
        "21 พ.ย.2569",
        "21 พฤศจิกายน 2569",
        "21 พฤศจิกายน พ.ศ. 2569",
        "21 พฤศจิกายน พ.ศ.2569",
        "วันที่ 21 พฤศจิกายน พ.ศ. 2569",
        "๒๑/๑๑/๒๕๖๙",
        "๒๑ พฤศจิกายน พ.ศ. ๒๕๖๙",
        "  21/11/2569  ",
        "\t21  พ.ย.   2569\n",
        "21 Nov 2569 BE",
        "21 November 2569 B.E.",
        "21 nov 2569",
    ],
)
def test_accepted_shapes(text):
    assert parse_thai_date(text) == D


def test_single_digit_day_and_month_and_leap_day():
    assert parse_thai_date("1/1/2570") == date(2027, 1, 1)
    assert parse_thai_date("5 ม.ค. 2570") == date(2027, 1, 5)
    assert parse_thai_date("29/02/2567") == date(2024, 2, 29)  # 2024 is a leap year


def _rejection(text: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught, translation.override("en"):
        parse_thai_date(text)
    return caught.value


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        ("31/02/2569", "invalid_date", "31/02/2569 is not a real date"),
        ("29/02/2569", "invalid_date", "29/02/2569 is not a real date"),  # 2026: no leap day
        ("11/21/2569", "invalid_date", "11/21/2569 is not a real date"),  # month/day swapped
        ("0/11/2569", "invalid_date", "0/11/2569 is not a real date"),
        ("31 เม.ย. 2569", "invalid_date", "31 เม.ย. 2569 is not a real date"),
        ("hello", "invalid", "Enter a date as day/month/Buddhist-era year, e.g. 21/11/2569."),
        ("", "invalid", "Enter a date as day/month/Buddhist-era year"),
        ("21 พ.ศ. 2569", "invalid", "Enter a date as day/month/Buddhist-era year"),
        ("21 Foo 2569", "invalid", "Enter a date as day/month/Buddhist-era year"),
        ("21/11-2569", "invalid", "Enter a date as day/month/Buddhist-era year"),
        (
            "21/11/2026",
            "christian_era_year",
            "2026 looks like a Christian-era (A.D.) year; enter the Buddhist-era year, e.g. 2569.",
        ),
        ("2026-11-21", "christian_era_year", "e.g. 2569."),
        ("21 Nov 2026", "christian_era_year", "e.g. 2569."),
        ("1/1/1900", "christian_era_year", "e.g. 2443."),
        ("1/1/2200", "christian_era_year", "e.g. 2743."),
        ("21/11/69", "two_digit_year", "Enter the Buddhist-era year in full (four digits"),
        ("21 พ.ย. 69", "two_digit_year", "not 69."),
        ("21/11/2399", "year_out_of_range", "B.E. 2400 to 2700"),
        ("21/11/2701", "year_out_of_range", "The year 2701 is outside the accepted range"),
        ("21/11/569", "year_out_of_range", "The year 569 is outside"),
        ("21/11/1899", "year_out_of_range", "The year 1899 is outside"),
    ],
)
def test_rejections_carry_a_code_and_a_clear_message(text, code, message):
    error = _rejection(text)
    assert error.code == code
    with translation.override("en"):
        assert message in error.messages[0]


def test_two_digit_year_message_suggests_the_current_buddhist_year():
    from django.utils import timezone

    error = _rejection("21/11/69")
    assert error.params["example"] == timezone.localdate().year + 543


def test_range_edges_are_accepted():
    assert parse_thai_date("1/1/2400") == date(1857, 1, 1)
    assert parse_thai_date("31/12/2700") == date(2157, 12, 31)


@pytest.mark.parametrize(
    "d",
    [D, date(2027, 1, 1), date(2024, 2, 29), date(2026, 9, 30), date(1857, 1, 1)]
    + [date(2026, month, 28) for month in range(1, 13)],
)
@pytest.mark.parametrize("style", ["short", "long", "numeric"])
@pytest.mark.parametrize("thai_digits", [False, True])
@pytest.mark.parametrize("language", ["th", "en"])
def test_format_then_parse_round_trips(d, style, thai_digits, language):
    text = format_thai_date(d, style, thai_digits=thai_digits, language=language)
    assert parse_thai_date(text) == d


# --- fiscal year ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "fiscal_year", "quarter"),
    [
        (date(2026, 9, 30), 2569, 4),
        (date(2026, 10, 1), 2570, 1),
        (date(2026, 12, 31), 2570, 1),
        (date(2027, 1, 1), 2570, 2),
        (date(2027, 3, 31), 2570, 2),
        (date(2027, 4, 1), 2570, 3),
        (date(2027, 6, 30), 2570, 3),
        (date(2027, 7, 1), 2570, 4),
        (date(2027, 9, 30), 2570, 4),
    ],
)
def test_fiscal_year_and_quarter(d, fiscal_year, quarter):
    assert fiscal_year_of(d) == fiscal_year
    assert fiscal_quarter_of(d) == quarter


def test_fiscal_year_of_an_aware_datetime_uses_the_bangkok_date():
    # 30 Sep 2026 17:30 UTC is 1 Oct 00:30 in Bangkok: already fiscal year 2570.
    assert fiscal_year_of(datetime(2026, 9, 30, 17, 30, tzinfo=UTC)) == 2570
    assert fiscal_quarter_of(datetime(2026, 9, 30, 17, 30, tzinfo=UTC)) == 1


def test_fiscal_year_bounds():
    assert fiscal_year_bounds(2570) == (date(2026, 10, 1), date(2027, 9, 30))
    assert fiscal_year_bounds(2569) == (date(2025, 10, 1), date(2026, 9, 30))
    start, end = fiscal_year_bounds(2570)
    assert fiscal_year_of(start) == fiscal_year_of(end) == 2570
    assert fiscal_year_of(start - timedelta(days=1)) == 2569
    assert fiscal_year_of(end + timedelta(days=1)) == 2571


def test_fiscal_year_bounds_refuses_a_christian_era_year():
    with pytest.raises(ValueError, match="Buddhist-era"):
        fiscal_year_bounds(2026)


# --- working days: the package's holidays -----------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("d", "working"),
    [
        # Songkran 2026: Mon 13 - Wed 15 April, none on a weekend so no in-lieu day.
        (date(2026, 4, 10), True),
        (date(2026, 4, 13), False),
        (date(2026, 4, 14), False),
        (date(2026, 4, 15), False),
        (date(2026, 4, 16), True),
        # Songkran 2025: Sun 13 - Tue 15, in-lieu Wed 16.
        (date(2025, 4, 14), False),
        (date(2025, 4, 16), False),
        (date(2025, 4, 17), True),
        # Chakri Day: Mon 6 Apr 2026; in 2025 it fell on a Sunday, in lieu Mon 7 Apr.
        (date(2026, 4, 6), False),
        (date(2025, 4, 7), False),
        (date(2025, 4, 8), True),
        # The King's birthday, 28 July: Tue in 2026, followed by Asarnha Bucha (Wed 29) and
        # Buddhist Lent (Thu 30); Mon 27 and Fri 31 are worked.
        (date(2026, 7, 27), True),
        (date(2026, 7, 28), False),
        (date(2026, 7, 29), False),
        (date(2026, 7, 30), False),
        (date(2026, 7, 31), True),
        # Royal Ploughing Ceremony (GOVERNMENT category): Wed 13 May 2026.
        (date(2026, 5, 13), False),
        # National Labour Day is worked by civil servants: Fri 1 May 2026, and the package's
        # in-lieu Mon 3 May 2027 for a Saturday Labour Day.
        (date(2026, 5, 1), True),
        (date(2027, 5, 3), True),
        # Teacher's Day (SCHOOL) and Armed Forces Day (ARMED_FORCES) are not days off here.
        (date(2026, 1, 16), True),
        (date(2027, 1, 18), True),
        # 5 Dec 2026 is a Saturday: in lieu Mon 7 Dec.
        (date(2026, 12, 7), False),
        # Weekends.
        (date(2026, 11, 21), False),
        (date(2026, 11, 22), False),
        (date(2026, 11, 23), True),
    ],
)
def test_is_working_day(d, working):
    assert is_working_day(d) is working


@pytest.mark.django_db
def test_new_year_substitution_days():
    # 1 Jan 2028 is a Saturday: in lieu Mon 3 Jan.
    assert not is_working_day(date(2028, 1, 3))
    assert is_working_day(date(2028, 1, 4))
    # 31 Dec 2022 Sat and 1 Jan 2023 Sun: in lieu Mon 2 and Tue 3 Jan 2023 (as announced).
    assert not is_working_day(date(2023, 1, 2))
    assert not is_working_day(date(2023, 1, 3))
    assert is_working_day(date(2023, 1, 4))
    # 31 Dec 2028 is a Sunday and 1 Jan 2029 a Monday: New Year's Eve in lieu Tue 2 Jan 2029.
    assert not is_working_day(date(2029, 1, 1))
    assert not is_working_day(date(2029, 1, 2))
    assert is_working_day(date(2029, 1, 3))


@pytest.mark.django_db
def test_span_across_a_year_end():
    # Fri 29 Dec 2028 is worked; Sat 30 - Tue 2 Jan 2029 are off.
    assert next_working_day(date(2028, 12, 29)) == date(2029, 1, 3)
    assert add_working_days(date(2028, 12, 29), 1) == date(2029, 1, 3)
    assert add_working_days(date(2029, 1, 3), -1) == date(2028, 12, 29)
    assert working_days_between(date(2028, 12, 29), date(2029, 1, 3)) == 1
    # New Year 2026: Wed 31 Dec 2025, Thu 1 Jan and the cabinet's bridge day Fri 2 Jan 2026.
    assert next_working_day(date(2025, 12, 30)) == date(2026, 1, 5)
    assert working_days_between(date(2025, 12, 30), date(2026, 1, 5)) == 1
    # New Year 2027: Thu 31 Dec 2026 and Fri 1 Jan 2027, then the weekend.
    assert next_working_day(date(2026, 12, 30)) == date(2027, 1, 4)


@pytest.mark.django_db
def test_long_weekend():
    # King Chulalongkorn Day, Fri 23 Oct 2026: Thursday's next working day is Monday.
    assert next_working_day(date(2026, 10, 22)) == date(2026, 10, 26)
    assert working_days_between(date(2026, 10, 22), date(2026, 10, 26)) == 1
    # 5 Dec 2026 Sat with its in-lieu Mon 7: from Fri 4 Dec the next working day is Tue 8.
    assert next_working_day(date(2026, 12, 4)) == date(2026, 12, 8)


@pytest.mark.django_db
def test_songkran_week_2026():
    # Fri 10 Apr 2026 + 1 working day: Mon 13 - Wed 15 are Songkran, so Thursday.
    assert add_working_days(date(2026, 4, 10), 1) == date(2026, 4, 16)
    assert working_days_between(date(2026, 4, 10), date(2026, 4, 17)) == 2


@pytest.mark.django_db
def test_holidays_between_lists_named_days_off_both_ends_included():
    songkran = "วันสงกรานต์"
    assert holidays_between(date(2026, 4, 6), date(2026, 4, 15)) == [
        (date(2026, 4, 6), "วันพระบาทสมเด็จพระพุทธยอดฟ้าจุฬาโลกมหาราช และวันที่ระลึกมหาจักรีบรมราชวงศ์"),
        (date(2026, 4, 13), songkran),
        (date(2026, 4, 14), songkran),
        (date(2026, 4, 15), songkran),
    ]
    # Weekend holidays are listed too, next to their in-lieu day; Labour Day is not.
    december = dict(holidays_between(date(2026, 12, 1), date(2026, 12, 31)))
    assert sorted(december) == [
        date(2026, 12, 5),
        date(2026, 12, 7),
        date(2026, 12, 10),
        date(2026, 12, 31),
    ]
    assert december[date(2026, 12, 7)].startswith("ชดเชย")
    assert holidays_between(date(2026, 5, 1), date(2026, 5, 1)) == []
    # Across a year end.
    assert [d for d, _ in holidays_between(date(2025, 12, 31), date(2026, 1, 2))] == [
        date(2025, 12, 31),
        date(2026, 1, 1),
        date(2026, 1, 2),
    ]


@pytest.mark.django_db
def test_calendar_matches_the_package_for_whole_years():
    for year in (2024, 2025, 2026, 2027):
        package = holidays.country_holidays(
            "TH", years=year, language="th", categories=thaitime.HOLIDAY_CATEGORIES
        )
        day = date(year, 1, 1)
        while day.year == year:
            names = package.get_list(day)
            off = any("แรงงาน" not in name for name in names)
            assert is_working_day(day) is (day.weekday() < 5 and not off), day
            day += timedelta(days=1)


@pytest.mark.django_db
def test_years_beyond_the_package_have_weekends_only():
    # The package stops at 2100; later days off must come from CalendarDay rows.
    for offset in range(14):
        day = date(2101, 1, 1) + timedelta(days=offset)
        assert is_working_day(day) is (day.weekday() < 5)


# --- working days: CalendarDay ----------------------------------------------------------------


@pytest.mark.django_db
def test_extra_holiday_removes_a_working_day():
    friday = date(2026, 11, 20)
    assert is_working_day(friday)
    assert working_days_between(date(2026, 11, 19), date(2026, 11, 23)) == 2
    CalendarDay.objects.create(date=friday, kind=CalendarDay.Kind.HOLIDAY, name="วันหยุดพิเศษ")
    assert not is_working_day(friday)
    assert working_days_between(date(2026, 11, 19), date(2026, 11, 23)) == 1
    assert next_working_day(date(2026, 11, 19)) == date(2026, 11, 23)
    assert holidays_between(friday, friday) == [(friday, "วันหยุดพิเศษ")]


@pytest.mark.django_db
def test_working_day_makes_a_saturday_count():
    saturday = date(2026, 11, 21)
    assert not is_working_day(saturday)
    CalendarDay.objects.create(date=saturday, kind=CalendarDay.Kind.WORKING_DAY, name="ทำงานชดเชย")
    assert is_working_day(saturday)
    assert next_working_day(date(2026, 11, 20)) == saturday
    assert working_days_between(date(2026, 11, 20), date(2026, 11, 23)) == 2


@pytest.mark.django_db
def test_working_day_overrides_a_package_holiday():
    # E.g. the cabinet moves a holiday: 13 May 2026 (Royal Ploughing) worked after all.
    CalendarDay.objects.create(
        date=date(2026, 5, 13), kind=CalendarDay.Kind.WORKING_DAY, name="เลื่อนวันหยุด"
    )
    assert is_working_day(date(2026, 5, 13))
    assert holidays_between(date(2026, 5, 13), date(2026, 5, 13)) == []


@pytest.mark.django_db
def test_extra_holiday_on_a_package_holiday_keeps_both_names():
    CalendarDay.objects.create(date=date(2026, 4, 13), name="งานประจำปีจังหวัด")
    assert holidays_between(date(2026, 4, 13), date(2026, 4, 13)) == [
        (date(2026, 4, 13), "วันสงกรานต์; งานประจำปีจังหวัด")
    ]


@pytest.mark.django_db
def test_cache_follows_save_update_and_delete():
    monday = date(2026, 11, 23)
    assert is_working_day(monday)  # computed and cached
    row = CalendarDay.objects.create(date=monday, name="วันหยุดพิเศษ")
    assert not is_working_day(monday)
    row.kind = CalendarDay.Kind.WORKING_DAY
    row.save()
    assert is_working_day(monday)
    row.kind = CalendarDay.Kind.HOLIDAY
    row.save()
    assert not is_working_day(monday)
    row.delete()
    assert is_working_day(monday)


@pytest.mark.django_db
def test_cache_is_kept_between_calls(django_assert_num_queries):
    is_working_day(D)
    with django_assert_num_queries(0):
        for _ in range(1000):
            is_working_day(D)
        add_working_days(D, 20)  # stays within 2026, already loaded


@pytest.mark.django_db
def test_edits_from_another_process_are_seen_after_the_recheck_interval(monkeypatch):
    # bulk_create sends no post_save: the stand-in for a row saved by another process.
    monday = date(2026, 11, 23)
    assert is_working_day(monday)
    CalendarDay.objects.bulk_create([CalendarDay(date=monday, name="วันหยุดพิเศษ")])
    assert is_working_day(monday)  # within the interval: still the cached answer
    monkeypatch.setattr(thaitime, "CALENDAR_RECHECK_SECONDS", 0)
    assert not is_working_day(monday)


# --- working days: arithmetic -----------------------------------------------------------------


@pytest.mark.django_db
def test_add_zero_is_the_day_itself_or_the_next_working_day():
    assert add_working_days(date(2026, 11, 20), 0) == date(2026, 11, 20)  # Friday
    assert add_working_days(date(2026, 11, 21), 0) == date(2026, 11, 23)  # Saturday -> Monday
    assert add_working_days(date(2026, 4, 13), 0) == date(2026, 4, 16)  # Songkran -> Thursday


@pytest.mark.django_db
def test_add_from_a_day_off_counts_from_the_next_working_day():
    # n >= 1 counts working days strictly after the start, whatever the start is.
    assert add_working_days(date(2026, 11, 21), 1) == date(2026, 11, 23)
    assert add_working_days(date(2026, 11, 21), 2) == date(2026, 11, 24)


@pytest.mark.django_db
def test_negative_goes_backwards():
    assert add_working_days(date(2026, 11, 23), -1) == date(2026, 11, 20)  # Mon -> Fri
    assert add_working_days(date(2026, 11, 22), -1) == date(2026, 11, 20)  # Sun -> Fri
    assert add_working_days(date(2026, 4, 16), -1) == date(2026, 4, 10)  # over Songkran
    assert add_working_days(date(2026, 1, 5), -1) == date(2025, 12, 30)  # over New Year


@pytest.mark.django_db
def test_working_days_between_convention():
    friday, monday = date(2026, 11, 20), date(2026, 11, 23)
    assert working_days_between(friday, monday) == 1  # (Fri, Mon]: Monday only
    assert working_days_between(friday, friday) == 0
    assert working_days_between(monday, friday) == -1
    assert working_days_between(date(2026, 11, 21), date(2026, 11, 22)) == 0  # weekend only
    assert working_days_between(date(2026, 11, 19), friday) == 1  # (Thu, Fri]


@pytest.mark.django_db
def test_long_spans_and_datetimes():
    start = date(2026, 1, 1)
    end = add_working_days(start, 2000)
    assert working_days_between(start, end) == 2000
    assert add_working_days(add_working_days(end, -2000), 2000) == end
    # An aware datetime counts as its Bangkok date (Sat 21 Nov 01:30 local).
    moment = datetime(2026, 11, 20, 18, 30, tzinfo=UTC)
    assert not is_working_day(moment)
    assert add_working_days(moment, 1) == date(2026, 11, 23)


def _brute_force_between(a: date, b: date) -> int:
    return sum(is_working_day(a + timedelta(days=k)) for k in range(1, (b - a).days + 1))


@pytest.mark.django_db
def test_arithmetic_is_consistent_with_is_working_day():
    CalendarDay.objects.create(date=date(2026, 12, 28), name="วันหยุดพิเศษ")
    CalendarDay.objects.create(
        date=date(2027, 1, 9), kind=CalendarDay.Kind.WORKING_DAY, name="ทำงานวันเสาร์"
    )
    first = date(2026, 11, 25)
    for offset in range(0, 75):
        d = first + timedelta(days=offset)
        for n in range(0, 12):
            result = add_working_days(d, n)
            assert is_working_day(result)
            if n == 0:
                assert result >= d
                assert _brute_force_between(d - timedelta(days=1), result - timedelta(days=1)) == 0
            else:
                assert result > d
                assert working_days_between(d, result) == n
                assert working_days_between(d, result - timedelta(days=1)) == n - 1
                back = add_working_days(d, -n)
                assert back < d
                assert is_working_day(back)
                # [back, d) holds exactly n working days.
                assert working_days_between(back - timedelta(days=1), d - timedelta(days=1)) == n
                if is_working_day(d):
                    assert add_working_days(back, n) == d
        for span in (0, 1, 3, 7, 30, 45):
            b = d + timedelta(days=span)
            assert working_days_between(d, b) == _brute_force_between(d, b)
            assert working_days_between(b, d) == -_brute_force_between(d, b)


@pytest.mark.django_db
def test_multi_year_count_matches_day_by_day():
    a, b = date(2024, 6, 15), date(2028, 2, 10)
    assert working_days_between(a, b) == _brute_force_between(a, b)


class TestWorkingHours:
    """Service targets in working hours: 08:30-16:30 on working days only."""

    @staticmethod
    def at(*args):
        return timezone.make_aware(datetime(*args))

    @pytest.mark.django_db
    @pytest.mark.parametrize(
        "start, hours, expected",
        [
            ((2026, 11, 23, 9, 0), 2, (2026, 11, 23, 11, 0)),  # within one morning
            ((2026, 11, 23, 15, 30), 2, (2026, 11, 24, 9, 30)),  # carries into the next day
            ((2026, 11, 20, 18, 0), 2, (2026, 11, 23, 10, 30)),  # Friday evening → Monday
            ((2026, 11, 23, 7, 0), 8, (2026, 11, 23, 16, 30)),  # before opening: a full day
            ((2026, 4, 10, 16, 0), 1, (2026, 4, 16, 9, 0)),  # across a weekend and Songkran
        ],
    )
    def test_add_working_hours(self, start, hours, expected):
        assert thaitime.add_working_hours(self.at(*start), hours) == self.at(*expected)


@pytest.mark.django_db
def test_a_pause_moves_the_due_date_by_the_working_days_it_lasted():
    # Paused Friday 4 Dec 2026, resumed Tuesday 8 Dec (Monday 7 Dec is the substitute for
    # King Bhumibol's day, 5 Dec, a Saturday): only Tuesday counts.
    friday, tuesday = date(2026, 12, 4), date(2026, 12, 8)
    paused, due = thaitime.pause_extension(date(2026, 12, 10), friday, tuesday)
    assert (paused, due) == (1, date(2026, 12, 11))
    assert thaitime.pause_extension(None, friday, tuesday) == (1, None)
    assert thaitime.pause_extension(date(2026, 12, 10), tuesday, tuesday) == (0, date(2026, 12, 10))
