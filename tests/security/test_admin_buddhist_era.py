"""Buddhist-era dates in the admin beyond lists and date boxes: the changelist's date
hierarchy, its filters, date-and-time boxes and an object's history page (core.admin_dates)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import ClockedSchedule

from accounts.models import AccountEvent, Delegation
from tests.factories import get_role, make_user

pytestmark = pytest.mark.django_db
# The clocked schedule's page lists its periodic tasks inline (none here).
INLINE = {"periodictask_set-TOTAL_FORMS": "0", "periodictask_set-INITIAL_FORMS": "0"}


@pytest.fixture
def admin_client(client, office):
    client.force_login(make_user("admin", office=office, is_superuser=True, username="root"))
    return client


@pytest.fixture
def delegations(people):
    def delegate(starts_on):
        return Delegation.objects.create(
            principal=people["director"],
            delegate=people["deputy_director"],
            role=get_role("director"),
            starts_on=starts_on,
            ends_on=starts_on + datetime.timedelta(days=3),
            order_number="5/2569",
        )

    return [delegate(datetime.date(2026, 12, 3)), delegate(datetime.date(2027, 1, 14))]


def hierarchy(response) -> str:
    html = response.content.decode()
    match = re.search(r'<nav class="toplinks"[^>]*>(.*?)</nav>', html, re.S)
    assert match, "the date hierarchy is on the page"
    return re.sub(r"<[^>]+>", " ", match.group(1))


def test_the_date_hierarchy_names_years_in_buddhist_era(admin_client, delegations):
    url = reverse("admin:accounts_delegation_changelist")
    years = hierarchy(admin_client.get(url))
    assert "2569" in years and "2570" in years
    assert "2026" not in years and "2027" not in years
    months = hierarchy(admin_client.get(url, {"starts_on__year": "2026"}))
    assert "ธันวาคม 2569" in months and "2026" not in months
    days = hierarchy(admin_client.get(url, {"starts_on__year": "2026", "starts_on__month": "12"}))
    assert "2569" in days and "2026" not in days  # the way back up is named in B.E.
    one_day = admin_client.get(
        url, {"starts_on__year": "2026", "starts_on__month": "12", "starts_on__day": "3"}
    )
    assert "ธันวาคม 2569" in hierarchy(one_day)
    assert "2026" not in hierarchy(one_day)


def test_the_date_hierarchy_of_a_datetime_field_too(admin_client, people, delegations):
    url = reverse("admin:accounts_accountevent_changelist")
    AccountEvent.objects.create(
        kind=AccountEvent.Kind.values[0], actor=people["director"], detail={}
    )
    years = hierarchy(admin_client.get(url))
    be_year = str(timezone.localdate().year + 543)
    assert be_year in years and str(timezone.localdate().year) not in years


def test_the_changelist_filters_show_no_gregorian_year(admin_client, delegations):
    html = admin_client.get(reverse("admin:accounts_delegation_changelist")).content.decode()
    match = re.search(
        r'<div id="changelist-filter"(.*?)</nav>|<nav id="changelist-filter"(.*?)</nav>', html, re.S
    )
    assert match
    sidebar = re.sub(r"<[^>]+>", " ", match.group(0))
    assert "2026" not in sidebar and "2027" not in sidebar


def test_date_and_time_boxes_read_and_show_buddhist_era(admin_client):
    response = admin_client.post(
        reverse("admin:django_celery_beat_clockedschedule_add"),
        {**INLINE, "clocked_time_0": "03/12/2569", "clocked_time_1": "10:30:00"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    clocked = ClockedSchedule.objects.get()
    local = timezone.localtime(clocked.clocked_time)
    assert (local.date(), local.hour, local.minute) == (datetime.date(2026, 12, 3), 10, 30)
    form = admin_client.get(
        reverse("admin:django_celery_beat_clockedschedule_change", args=[clocked.pk])
    ).content.decode()
    assert 'value="03/12/2569"' in form
    assert 'value="2026-12-03"' not in form  # (the title is the library's own __str__)
    # An A.D. year typed by mistake is refused in Thai, and what was typed is kept.
    wrong = admin_client.post(
        reverse("admin:django_celery_beat_clockedschedule_add"),
        {**INLINE, "clocked_time_0": "03/12/2026", "clocked_time_1": "10:30:00"},
    )
    assert wrong.status_code == 200
    assert 'value="03/12/2026"' in wrong.content.decode()
    assert ClockedSchedule.objects.count() == 1


def test_an_objects_history_page_shows_buddhist_era_times(admin_client):
    admin_client.post(
        reverse("admin:django_celery_beat_clockedschedule_add"),
        {**INLINE, "clocked_time_0": "03/12/2569", "clocked_time_1": "10:30:00"},
    )
    clocked = ClockedSchedule.objects.get()
    html = admin_client.get(
        reverse("admin:django_celery_beat_clockedschedule_history", args=[clocked.pk])
    ).content.decode()
    table = html.split('id="change-history"', 1)[1]
    be_year = str(timezone.localdate().year + 543)
    assert be_year in table
    assert str(timezone.localdate().year) not in re.sub(r"<[^>]+>", " ", table.split("</table>")[0])
