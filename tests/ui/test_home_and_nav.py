"""Per-role home pages, the role-based navigation (every link works) and the profile."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, RoleCode
from accounts.services import delegation_create
from tests.ui import header_links, make_office, make_school, make_user, nav_keys

pytestmark = pytest.mark.django_db

# Each role's section heading on the home page, in Thai.
HEADINGS = {
    RoleCode.SCHOOL_USER: "โรงเรียนของฉัน",
    RoleCode.SCHOOL_DIRECTOR: "สำหรับผู้อำนวยการสถานศึกษา",
    RoleCode.STAFF: "งานในความรับผิดชอบ",
    RoleCode.GROUP_HEAD: "ภาพรวมงานของกลุ่ม",
    RoleCode.DEPUTY_DIRECTOR: "สำหรับรองผู้อำนวยการ สพท.",
    RoleCode.DIRECTOR: "สำหรับผู้อำนวยการ สพท.",
    RoleCode.ADMIN: "การดูแลระบบ",
}


@pytest.fixture
def office(db):
    return make_office()


@pytest.fixture
def school(office):
    return make_school(office)


@pytest.fixture
def person(office, school):
    def make(role: str, username: str | None = None):
        return make_user(username or f"u_{role}", role, office=office, school=school)

    return make


@pytest.mark.parametrize("role", list(HEADINGS))
def test_home_shows_the_roles_section(client, person, role):
    user = person(role)
    client.force_login(user)
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    html = response.text
    assert f'id="role-{role}"' in html
    assert HEADINGS[role] in html
    assert user.display_name in html
    # Today in the Buddhist era and the fiscal year are always shown.
    today = timezone.localdate()
    assert f"พ.ศ. {today.year + 543}" in html
    assert "ปีงบประมาณ" in html


@pytest.mark.parametrize("role", list(HEADINGS))
def test_every_header_link_opens_for_the_role(client, person, role):
    client.force_login(person(role))
    html = client.get(reverse("portal:home")).text
    links = header_links(html)
    assert reverse("portal:home") in links
    assert reverse("accounts:profile") in links
    for href in dict.fromkeys(links):
        response = client.get(href.split("#", 1)[0] or reverse("portal:home"))
        assert response.status_code == 200, f"{role}: {href} gave {response.status_code}"


def test_menu_differs_by_role(client, person):
    menus = {}
    for role in HEADINGS:
        client.force_login(person(role))
        menus[role] = nav_keys(client.get(reverse("portal:home")).text)
    assert "admin" in menus[RoleCode.ADMIN]
    assert all("admin" not in keys for role, keys in menus.items() if role != RoleCode.ADMIN)
    assert "approvals" in menus[RoleCode.DIRECTOR]
    assert "approvals" in menus[RoleCode.SCHOOL_DIRECTOR]
    assert "approvals" not in menus[RoleCode.STAFF]
    assert "approvals" not in menus[RoleCode.SCHOOL_USER]
    assert "processes" not in menus[RoleCode.SCHOOL_USER]
    assert "plans" not in menus[RoleCode.SCHOOL_USER]
    assert "repairs" in menus[RoleCode.SCHOOL_USER]
    assert "my_tasks" in menus[RoleCode.STAFF]


def active_entry(html: str) -> list[str]:
    return re.findall(
        r'<a class="nav-link active" aria-current="page" href="[^"]*" data-nav="([^"]+)"', html
    )


def test_the_menu_marks_the_page_shown_and_speaks_the_chosen_language(client, person):
    """The menu's HTML is drawn once per process for each set of links, entry shown and
    language (portal.context_processors): each of those must still change what is drawn."""
    client.force_login(person(RoleCode.STAFF))
    home = client.get(reverse("portal:home")).text
    assert active_entry(home) == ["home"] and ">งานของฉัน</a>" in home
    repairs = client.get(reverse("repairs:index")).text
    assert active_entry(repairs) == ["repairs"]
    assert ">แจ้งซ่อม</a>" in repairs

    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("repairs:index")).text
    assert active_entry(english) == ["repairs"]
    assert ">My tasks</a>" in english and ">งานของฉัน</a>" not in english

    client.post(reverse("set_language"), {"language": "th", "next": "/"})
    thai = client.get(reverse("portal:home")).text
    assert active_entry(thai) == ["home"] and ">งานของฉัน</a>" in thai


def test_menu_item_of_a_module_without_pages_points_at_its_home_section(client, person):
    client.force_login(person(RoleCode.SCHOOL_USER))
    html = client.get(reverse("portal:home")).text
    anchors = [link.split("#", 1)[1] for link in header_links(html) if "#" in link]
    for anchor in anchors:
        assert f'id="{anchor}"' in html, f"no section for #{anchor} on the home page"


def test_admin_sees_links_to_the_admin_site(client, person):
    client.force_login(person(RoleCode.ADMIN))
    html = client.get(reverse("portal:home")).text
    for url_name in (
        "admin:accounts_user_changelist",
        "admin:accounts_school_changelist",
        "admin:accounts_role_changelist",
        "admin:accounts_delegation_changelist",
        "admin:processes_calendarday_changelist",
    ):
        url = reverse(url_name)
        assert url in html
        assert client.get(url).status_code == 200


def test_acting_role_adds_its_menu_and_section(client, person):
    director = person(RoleCode.DIRECTOR)
    deputy = person(RoleCode.DEPUTY_DIRECTOR)
    today = timezone.localdate()
    delegation_create(
        principal=director,
        delegate=deputy,
        role=Role.objects.get(code=RoleCode.DIRECTOR),
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=6),
        order_number="คำสั่ง สพป. ที่ 12/2569",
    )
    client.force_login(deputy)
    html = client.get(reverse("portal:home")).text
    assert 'id="role-director"' in html
    assert f"รักษาราชการแทน {director.display_name}" in html

    profile = client.get(reverse("accounts:profile")).text
    assert director.display_name in profile
    assert "คำสั่ง สพป. ที่ 12/2569" in profile
    assert "รักษาราชการแทน" in profile

    # The principal sees who acts for them.
    client.force_login(director)
    assert deputy.display_name in client.get(reverse("accounts:profile")).text


def test_profile_shows_person_office_school_and_roles(client, person, school):
    user = person(RoleCode.SCHOOL_DIRECTOR)
    client.force_login(user)
    html = client.get(reverse("accounts:profile")).text
    assert user.display_name in html
    assert school.name_th in html
    assert user.office.name_th in html
    assert "ผู้อำนวยการสถานศึกษา" in html
    assert "วันนี้ไม่มีคำสั่งรักษาราชการแทนที่เกี่ยวข้องกับคุณ" in html


def test_home_counts_real_work(client, plan_definition, people):
    """With the engine's fixtures: staff see their open task, the group head its approval."""
    from processes.services import case_start, task_complete

    case = case_start(definition=plan_definition, requester=people["staff"], title="แผนทดสอบ")
    client.force_login(people["staff2"])
    html = client.get(reverse("portal:home")).text
    assert case.reference in html
    assert 'data-count="tasks">1<' in html

    task_complete(
        task=case.tasks.get(), user=people["staff"], outcome="done", data={"summary": "ร่าง"}
    )
    client.force_login(people["group_head"])
    html = client.get(reverse("portal:home")).text
    assert 'data-count="approvals">1<' in html
    assert case.reference in html


def test_admin_role_without_staff_status_gets_no_admin_link(client, office):
    user = make_user("admin_no_staff", RoleCode.STAFF, office=office)
    user.roles.add(Role.objects.get(code=RoleCode.ADMIN))
    assert not user.is_staff
    client.force_login(user)
    html = client.get(reverse("portal:home")).text
    assert "admin" not in nav_keys(html)
    assert reverse("admin:index") not in html
    assert "บัญชีของคุณยังเข้าส่วนผู้ดูแลระบบไม่ได้" in html


def test_home_page_queries_stay_few(client, person, django_assert_max_num_queries):
    client.force_login(person(RoleCode.GROUP_HEAD))
    # The frame and panels take ~12; each module's card (repairs, loans, DMC, plans, reports)
    # adds one aggregate. A card that grows with the data would blow well past this.
    with django_assert_max_num_queries(20):
        assert client.get(reverse("portal:home")).status_code == 200
