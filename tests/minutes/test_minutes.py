"""Minutes of a case's meetings: recorded by staff and the group head, read by the office,
resolutions turned into follow-ups told through the engine's outbox, the minutes PDF."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import Office, Role, RoleCode
from accounts.services import user_create
from minutes.models import FollowUp, Meeting
from minutes.services import follow_up_create, follow_up_done, meeting_save
from processes.models import Notification
from processes.services import case_start
from tests.factories import make_user
from tests.render_jobs import fetch_pdf

MEETING = {
    "title": "คณะทำงานจัดทำแผน",
    "number": "1/2570",
    "held_on": datetime.date(2026, 12, 1),
    "place": "ห้องประชุม สพป.",
}
ATTENDEES = [
    {"name": "นายประธาน ใจดี", "post": "ผอ.กลุ่ม", "role": "ประธาน", "present": True},
    {
        "name": "นางกรรมการ ขยัน",
        "post": "นักวิชาการคอมพิวเตอร์",
        "role": "กรรมการ",
        "present": False,
        "absence_reason": "ติดราชการ",
    },
]
ITEMS = [
    {"title": "เรื่องที่ประธานแจ้งให้ทราบ", "details": "แนวทางจัดทำแผน", "resolution": "รับทราบ"},
    {"title": "พิจารณาร่างแผน", "details": "", "resolution": "ให้ปรับปรุงโครงการที่ 2"},
]


@pytest.fixture
def case(people, plan_definition):
    return case_start(definition=plan_definition, requester=people["staff"], title="แผน 2570")


@pytest.fixture
def meeting(people, case):
    return meeting_save(
        user=people["staff"], case=case, values=MEETING, attendees=ATTENDEES, items=ITEMS
    )


def test_minutes_keep_attendees_and_numbered_resolutions(meeting):
    assert [a.present for a in meeting.attendees.all()] == [True, False]
    assert [(i.number, i.resolution) for i in meeting.items.all()] == [
        (1, "รับทราบ"),
        (2, "ให้ปรับปรุงโครงการที่ 2"),
    ]


@pytest.mark.parametrize("role", ["school_user", "school_director", "director", "deputy_director"])
def test_only_staff_and_group_head_record(people, case, role):
    with pytest.raises(PermissionDenied):
        meeting_save(user=people[role], case=case, values=MEETING, attendees=ATTENDEES, items=[])


def test_a_meeting_needs_someone_present_and_a_step_of_its_case(people, case, plan_definition):
    with pytest.raises(ValidationError):
        meeting_save(
            user=people["staff"], case=case, values=MEETING, attendees=[{**ATTENDEES[1]}], items=[]
        )
    from processes.definitions import definition_import
    from tests.engine_fixtures import PLAN_PROCESS

    other = definition_import({**PLAN_PROCESS, "code": "other-plan"}).definition
    foreign_step = other.versions.get().steps.first()
    with pytest.raises(ValidationError):
        meeting_save(
            user=people["staff"],
            case=case,
            values={**MEETING, "step": foreign_step},
            attendees=ATTENDEES,
            items=[],
        )
    assert not Meeting.objects.exists()


def test_a_resolution_becomes_a_follow_up_told_once_and_is_done(people, meeting):
    item = meeting.items.get(number=2)
    follow_up = follow_up_create(
        user=people["group_head"],
        item=item,
        assignee=people["staff2"],
        action="ปรับปรุงโครงการที่ 2",
        due_on=datetime.date(2026, 12, 15),
    )
    notice = Notification.objects.get(kind="meeting_follow_up")
    assert notice.recipient == people["staff2"] and notice.case == meeting.case
    with pytest.raises(ValidationError):  # before the meeting
        follow_up_create(
            user=people["staff"],
            item=item,
            assignee=people["staff2"],
            action="x",
            due_on=datetime.date(2026, 11, 1),
        )
    with pytest.raises(ValidationError):  # a school's person is not the office's
        follow_up_create(
            user=people["staff"],
            item=item,
            assignee=people["school_user"],
            action="x",
            due_on=datetime.date(2026, 12, 2),
        )
    with pytest.raises(PermissionDenied):
        follow_up_done(user=people["director"], follow_up=follow_up, note="เสร็จ")
    with pytest.raises(ValidationError):
        follow_up_done(user=people["staff2"], follow_up=follow_up, note=" ")
    follow_up_done(user=people["staff2"], follow_up=follow_up, note="ปรับปรุงแล้ว")
    follow_up.refresh_from_db()
    assert follow_up.done_at and follow_up.done_note == "ปรับปรุงแล้ว"
    # An item with follow-ups cannot be dropped from the minutes.
    with pytest.raises(ValidationError):
        meeting_save(
            user=people["staff"],
            meeting=meeting,
            values={},
            attendees=ATTENDEES,
            items=[{"pk": meeting.items.get(number=1).pk, **ITEMS[0]}],
        )
    assert meeting.items.count() == 2


ROLES = [
    "anonymous",
    "school_user",
    "school_director",
    "staff",
    "group_head",
    "deputy_director",
    "director",
    "admin",
    "outsider",
]


@pytest.fixture
def users(people, office):
    other = Office.objects.create(code="9997", name_th="สพป.อื่น", kind=Office.Kind.PRIMARY)
    outsider = user_create(
        username="out", password="x", office=other, roles=[Role.objects.get(code="staff")]
    )
    return {
        **people,
        "admin": make_user(RoleCode.ADMIN, office=office, username="adm"),
        "outsider": outsider,
    }


def row(users, method, url, data=None):
    out = ""
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(users[role])
        status = getattr(client, method)(url, data or {}).status_code
        out += {200: "2", 302: "3", 400: "B", 403: "4", 404: "N"}.get(status, "?")
    return out


def test_pages_by_role(users, case, meeting):
    assert row(users, "get", reverse("minutes:index")) == "344222222"
    assert row(users, "get", reverse("minutes:meeting", args=[meeting.pk])) == "34422222N"
    assert row(users, "get", reverse("minutes:edit", args=[meeting.pk])) == "34422444N"
    # The PDF address sends those who may read the minutes to the PDF's progress page.
    assert row(users, "get", reverse("minutes:pdf", args=[meeting.pk])) == "34433333N"
    item = meeting.items.get(number=2)
    url = reverse("minutes:follow_up", args=[meeting.pk, item.pk])
    data = {"action": "ทำ", "assignee": users["staff2"].pk, "due_on": "20/12/2569"}
    assert row(users, "post", url, data) == "34433444N"
    assert FollowUp.objects.count() == 2


def test_new_minutes_page_by_role(users, case):
    # Schools and other offices do not see the office's plan case (404); deciders and the
    # admin read minutes but do not record them (403).
    new = f"{reverse('minutes:new')}?case={case.reference}"
    assert row(users, "get", new) == "3NN22444N"


def test_recording_from_the_case_page_and_the_pdf(users, case):
    client = Client()
    client.force_login(users["staff"])
    page = client.get(case.get_absolute_url()).content.decode()
    new = f"{reverse('minutes:new')}?case={case.reference}"
    assert new in page
    data = {
        "title": "คณะทำงาน",
        "number": "2/2570",
        "held_on": "05/12/2569",
        "place": "ห้อง 1",
        "attendees-TOTAL_FORMS": "3",
        "attendees-INITIAL_FORMS": "0",
        "attendees-0-name": "นายหนึ่ง",
        "attendees-0-present": "on",
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "0",
        "items-0-title": "พิจารณา",
        "items-0-resolution": "เห็นชอบ",
    }
    bad = client.post(new, {**data, "held_on": "32/12/2569"})
    assert bad.status_code == 400 and "นายหนึ่ง" in bad.content.decode()
    response = client.post(new, data)
    meeting = Meeting.objects.get(number="2/2570")
    assert response.url == meeting.get_absolute_url()
    assert meeting.held_on == datetime.date(2026, 12, 5)
    assert meeting.get_absolute_url() in client.get(case.get_absolute_url()).content.decode()
    pdf = fetch_pdf(client, reverse("minutes:pdf", args=[meeting.pk]))
    assert pdf.content.startswith(b"%PDF") and pdf.job.filename == f"minutes-{meeting.pk}.pdf"


def test_the_home_page_counts_the_resolutions_a_person_acts_on(people, meeting):
    from minutes.home import minutes_card

    item = meeting.items.get(number=2)
    for due in (datetime.date(2026, 12, 2), datetime.date(2026, 12, 20)):
        follow_up_create(
            user=people["group_head"], item=item, assignee=people["staff2"], action="ทำ", due_on=due
        )
    day = datetime.date(2026, 12, 10)
    assert [line.count for line in minutes_card(people["staff2"], day).lines] == [2, 1]
    assert [line.count for line in minutes_card(people["staff"], day).lines] == [0, 0]
    client = Client()
    client.force_login(people["staff2"])
    page = client.get(reverse("portal:home")).content.decode()
    assert "มติที่ประชุมที่ต้องดำเนินการ" in page
