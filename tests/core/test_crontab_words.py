"""A crontab schedule in words (core.crontab_words), as the admin's scheduled-task pages show
it instead of cron-descriptor's English ("At 07:00 AM…")."""

from __future__ import annotations

import pytest
from django.utils import translation

from core.crontab_words import describe_crontab


@pytest.mark.parametrize(
    ("fields", "thai", "english"),
    [
        ({}, "ทุกนาที", "every minute"),
        ({"minute": "*/10"}, "ทุก 10 นาที", "every 10 minutes"),
        ({"minute": "0", "hour": "7"}, "ทุกวัน เวลา 07:00 น.", "every day at 07:00"),
        ({"minute": "30", "hour": "8,12"}, "ทุกวัน เวลา 08:30, 12:30 น.", None),
        (
            {"minute": "30", "hour": "8-16", "day_of_week": "1-5"},
            "ทุกวันจันทร์ ถึง ศุกร์ ทุกชั่วโมง ตั้งแต่ 08:30 ถึง 16:30 น.",
            "every Monday to Friday every hour from 08:30 to 16:30",
        ),
        (
            {"minute": "0", "hour": "7", "day_of_month": "1"},
            "วันที่ 1 ของทุกเดือน เวลา 07:00 น.",
            "on day 1 of the month at 07:00",
        ),
        ({"minute": "0", "hour": "9", "day_of_week": "0,6"}, "ทุกวันอาทิตย์, เสาร์ เวลา 09:00 น.", None),
        (
            {"minute": "0", "hour": "8", "day_of_month": "10", "month_of_year": "6,11"},
            "วันที่ 10 ของทุกเดือน เฉพาะเดือนมิถุนายน, พฤศจิกายน เวลา 08:00 น.",
            None,
        ),
        ({"minute": "*/5", "hour": "8-16"}, "ทุก 5 นาที ระหว่าง 08:00 ถึง 16:59 น.", None),
        ({"minute": "15"}, "ทุกชั่วโมง ที่นาทีที่ 15", "every hour at minute 15"),
        ({"minute": "1-5", "hour": "*/2"}, "นาทีที่ 1-5 ของชั่วโมงที่ */2", None),
    ],
)
def test_schedules_in_words(fields, thai, english):
    assert describe_crontab(**fields, timezone="Asia/Bangkok") == f"{thai} (เวลาประเทศไทย)"
    if english:
        with translation.override("en"):
            text = describe_crontab(**fields, timezone="Asia/Bangkok")
        assert text == f"{english} (Thailand time)"


def test_another_time_zone_is_named():
    assert describe_crontab(minute="0", hour="7", timezone="UTC") == "ทุกวัน เวลา 07:00 น. (UTC)"


def test_out_of_range_week_days_fall_back_to_the_numbers():
    assert describe_crontab(minute="0", hour="7", day_of_week="8") == (
        "วันในสัปดาห์ที่ 8 (0 คือวันอาทิตย์) เวลา 07:00 น. (เวลาประเทศไทย)"
    )
