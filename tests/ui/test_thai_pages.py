"""Thai pages carry no English UI words: every menu page of every role, the profile and LINE
pages, and the admin's main and scheduled-task pages (a short allow-list of proper names such
as DLTV, DMC, EMIS, ICT, PDF and LINE aside; see tests/ui/english.py)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from accounts.models import RoleCode
from tests.ui import make_office, make_school, make_user
from tests.ui.english import english_words

pytestmark = pytest.mark.django_db

# The admin's pages whose words all come through gettext. Not listed, because their last
# English words are fixed in the libraries' code, not in a catalogue: celery-beat's schedule
# pages ("Task Name", cron descriptions by cron-descriptor), and the search box's image text
# of Django's change lists.
ADMIN_PAGES = (
    "/admin/",
    "/admin/accounts/user/add/",
    "/admin/accounts/school/add/",
    "/admin/processes/calendarday/add/",
)


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
        pages += ADMIN_PAGES
    found = {}
    for page in dict.fromkeys(pages):
        response = client.get(page)
        assert response.status_code == 200, page
        words = english_words(response.content.decode())
        if words:
            found[page] = words
    assert found == {}, found
