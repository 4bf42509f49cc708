"""The loans calendar moves by Buddhist-era dates: the date box, the Earlier/Later links and
the address all carry d/m/yyyy in B.E.; whatever is typed, the page answers (a Thai message for
what is no date, the text kept)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from core.thaitime import format_thai_date

pytestmark = pytest.mark.django_db

CALENDAR = reverse("equipment_loans:calendar")
ISO_DATE = re.compile(r"\b(19|20)\d\d-\d\d-\d\d\b")
CHRISTIAN_YEAR = re.compile(r"start=[^\"&]*\b20\d\d\b")


def start_values(html: str) -> list[str]:
    """The dates of the Earlier and Later links and of the date box."""
    values = re.findall(r'href="\?view=[^"]*?start=([^"&]+)"', html)
    values += re.findall(r'name="start" value="([^"]*)"', html)
    return values


@pytest.mark.parametrize("role", ["school_user", "staff", "admin"])
@pytest.mark.parametrize("view", ["week", "month"])
def test_navigation_and_the_date_box_use_buddhist_era_dates(client, people, admin_user, role, view):
    client.force_login(admin_user if role == "admin" else people[role])
    day = datetime.date(2026, 12, 16)  # a Wednesday
    response = client.get(CALENDAR, {"view": view, "start": "16/12/2569"})
    assert response.status_code == 200
    html = response.content.decode()
    assert not ISO_DATE.search(html) and not CHRISTIAN_YEAR.search(html)
    values = start_values(html)
    assert len(values) == 3, values  # the box, Earlier and Later
    assert all(re.fullmatch(r"\d\d/\d\d/25\d\d", v) for v in values), values
    assert 'value="16/12/2569"' in html  # the box shows the day asked for
    first, last = response.context["first"], response.context["last"]
    assert first <= day <= last
    # Later then Earlier comes back to the same span.
    earlier, later = (u.replace("&amp;", "&") for u in re.findall(r'href="\?(view=[^"]*)"', html))
    after = client.get(f"{CALENDAR}?{later}")
    assert after.status_code == 200 and after.context["first"] > last
    back = re.findall(r'href="\?(view=[^"]*)"', after.content.decode())[0].replace("&amp;", "&")
    again = client.get(f"{CALENDAR}?{back}")
    assert (again.context["first"], again.context["last"]) == (first, last)
    assert client.get(f"{CALENDAR}?{earlier}").context["last"] < first


def test_thai_digits_are_read_too(client, people):
    client.force_login(people["staff"])
    response = client.get(CALENDAR, {"view": "week", "start": "๑๖/๑๒/๒๕๖๙"})
    assert response.status_code == 200
    assert response.context["first"] == datetime.date(2026, 12, 14)
    assert not response.context["start_error"]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2026-12-16", "ค.ศ."),
        ("16/12/2026", "ค.ศ."),
        ("31/02/2569", "ไม่ใช่วันที่ที่มีอยู่จริง"),
        ("abc", "วัน/เดือน/ปี"),
        ("99/99/99999", "นอกช่วง"),
        ("16/12/69", "สี่หลัก"),
        ("1/1/9999", "นอกช่วง"),
        ("<script>alert(1)</script>", "วัน/เดือน/ปี"),
        ("1" * 5000, "วัน/เดือน/ปี"),
    ],
)
def test_junk_is_explained_in_thai_and_kept(client, people, typed, message):
    client.force_login(people["school_user"])
    response = client.get(CALENDAR, {"view": "week", "start": typed})
    assert response.status_code == 200
    assert message in response.context["start_error"]
    assert response.context["start_text"] == typed
    html = response.content.decode()
    assert "is-invalid" in html and "<script>alert" not in html
    today = timezone.localdate()
    assert response.context["first"] <= today <= response.context["last"]


@pytest.mark.parametrize("typed", ["", "abc", "2026-12-16", "31/02/2569", "16/12/2569"])
def test_the_item_page_moves_by_buddhist_era_dates(client, people, projector, typed):
    client.force_login(people["staff"])
    response = client.get(projector.get_absolute_url(), {"start": typed})
    assert response.status_code == 200
    html = response.content.decode()
    values = re.findall(r'href="\?start=([^"]+)"', html)
    assert len(values) == 2 and all(re.fullmatch(r"\d\d/\d\d/25\d\d", v) for v in values)
    assert not ISO_DATE.search(html.replace(typed, ""))  # what was typed may show again


def test_links_elsewhere_in_the_calendar_keep_buddhist_era(client, people):
    client.force_login(people["staff"])
    response = client.get(CALENDAR)
    today = format_thai_date(timezone.localdate(), "numeric")
    assert f'value="{today}"' in response.content.decode()


def test_a_day_clicked_in_the_calendar_fills_the_request_form(client, people, projector):
    client.force_login(people["school_user"])
    html = client.get(CALENDAR, {"view": "week"}).content.decode()
    links = re.findall(rf'href="([^"]*\?item={projector.pk}&amp;day=([^"]+))"', html)
    assert links, "free days of the projector can be booked from the calendar"
    url, day = links[-1]
    assert re.fullmatch(r"\d\d/\d\d/25\d\d", day)
    form = client.get(url.replace("&amp;", "&")).context["form"]
    assert format_thai_date(form.initial["starts_on"], "numeric") == day
