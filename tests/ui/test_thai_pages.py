"""Thai pages carry no English UI words: every menu page of every role, the profile and LINE
pages, and the admin's main, scheduled-task and outbox pages (a short allow-list of proper
names such as DLTV, DMC, EMIS, ICT, PDF and LINE aside; see tests/ui/english.py)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from accounts.models import RoleCode
from processes.models import Notification
from processes.services import notify
from tests.ui import make_office, make_school, make_user
from tests.ui.english import english_words

pytestmark = pytest.mark.django_db

# The admin's pages: its main pages, the scheduled-task pages of django-celery-beat (whose
# crontab words, task labels and inlines are ours: core/admin.py) and the outbox with its kinds.
ADMIN_PAGES = (
    "/admin/",
    "/admin/accounts/user/add/",
    "/admin/accounts/school/add/",
    "/admin/processes/calendarday/add/",
    "/admin/django_celery_beat/",
    "/admin/django_celery_beat/periodictask/",
    "/admin/django_celery_beat/periodictask/add/",
    "/admin/django_celery_beat/crontabschedule/",
    "/admin/django_celery_beat/crontabschedule/add/",
    "/admin/django_celery_beat/intervalschedule/add/",
    "/admin/django_celery_beat/clockedschedule/add/",
    "/admin/django_celery_beat/solarschedule/add/",
    "/admin/processes/notification/",
)


def admin_pages(user) -> list[str]:
    """ADMIN_PAGES plus the change pages of every scheduled task and crontab the migrations
    create, and of a notification of each kind."""
    for kind in ("task_assigned", "loan_due", "dmc_reminder", "daily_digest"):
        notify(recipients=[user], kind=kind, subject="ทดสอบ", dedupe=f"thai-admin:{kind}")
    pages = list(ADMIN_PAGES)
    pages += [f"/admin/django_celery_beat/periodictask/{pk}/change/" for pk in
              PeriodicTask.objects.values_list("pk", flat=True)]  # fmt: skip
    pages += [f"/admin/django_celery_beat/crontabschedule/{pk}/change/" for pk in
              CrontabSchedule.objects.values_list("pk", flat=True)]  # fmt: skip
    pages += [f"/admin/processes/notification/{pk}/change/" for pk in
              Notification.objects.values_list("pk", flat=True)]  # fmt: skip
    return pages


def test_the_scanner_finds_english_ui_words_and_spares_proper_names():
    html = (
        "<main><h1>งานของฉัน</h1><p>Pending approval DLTV/DLIT PDF</p><code>staff1</code>"
        '<input placeholder="Search here"><span translate="no">Ban Du School</span>'
        "<p>RP-2570-000123 ict@example.go.th</p></main>"
    )
    assert english_words(html) == ["Pending", "approval", "Search", "here"]


@pytest.mark.parametrize("role", list(RoleCode))
def test_menu_pages_of_every_role_have_no_english_words(client, role):
    office = make_office()
    user = make_user(f"th-{role}", role, office=office, school=make_school(office))
    client.force_login(user)
    home = client.get(reverse("portal:home")).text
    pages = ["/", *re.findall(r'<a class="nav-link[^"]*"[^>]*href="(/[^"#]*)"', home)]
    pages += [reverse("accounts:profile"), reverse("line_messaging:settings")]
    if role == RoleCode.ADMIN:
        pages += admin_pages(user)
    found = {}
    for page in dict.fromkeys(pages):
        response = client.get(page)
        assert response.status_code == 200, page
        words = english_words(response.content.decode())
        if words:
            found[page] = words
    assert found == {}, found
