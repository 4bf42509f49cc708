"""The repairs dashboard: a fiscal year's figures on a known data set, and who may see it."""

from __future__ import annotations

import datetime
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Office, Role, School
from accounts.services import user_create
from core import thaitime
from core.fiscal import month_label
from processes.definitions import definition_import
from repairs.dashboard import dashboard_figures
from repairs.models import Category, RepairTicket
from repairs.selectors import tickets_visible_to
from repairs.services import ticket_file
from repairs.views_dashboard import chosen_fiscal_year

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "processes" / "repair-ticket.json"
BANGKOK = ZoneInfo("Asia/Bangkok")
UTC = datetime.UTC
Status = RepairTicket.Status


def bkk(*parts: int) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=BANGKOK)


@pytest.fixture(autouse=True)
def repair_definition(db):
    return definition_import(json.loads(FIXTURE.read_text("utf-8"))).definition


@pytest.fixture
def other_school(office):
    return School.objects.create(
        office=office,
        obec_code="1090010002",
        smis_code="90010002",
        name_th="โรงเรียนบ้านอื่น",
        district="เมือง",
    )


def filed(people, school, created_at, *, category="computer", requester=None, **fields):
    """A ticket filed the normal way, then moved to a known past with update()."""
    ticket = ticket_file(
        requester=requester or people["staff"],
        school=school,
        category=category,
        symptom="เสีย",
        location="ห้องคอม",
        urgency="normal",
        contact_phone="081-234-5678",
        asset_number_text="7440-001-0001/65",
    )
    values = {
        "created_at": created_at,
        "first_response_at": None,
        "response_due_at": None,
        "resolved_at": None,
        "resolve_due_on": None,
        "closed_at": None,
        "satisfaction": None,
    }
    values.update(fields)
    RepairTicket.objects.filter(pk=ticket.pk).update(**values)
    return ticket


@pytest.fixture
def year_2569(people, school, other_school):
    """Tickets around fiscal year 2569 (1 Oct 2025 - 30 Sep 2026); the comments give the
    expected judgements."""
    return {
        # The day before the year starts: fiscal year 2568.
        "before": filed(people, school, bkk(2025, 9, 30, 10, 0), status=Status.CLOSED),
        # The year's first day. Answered and repaired in time (Wed -> Fri: 2 working days).
        "first": filed(
            people,
            school,
            bkk(2025, 10, 1, 9, 0),
            category="projector",
            status=Status.CLOSED,
            first_response_at=bkk(2025, 10, 1, 10, 0),
            response_due_at=bkk(2025, 10, 1, 12, 0),
            resolved_at=bkk(2025, 10, 3, 15, 0),
            resolve_due_on=datetime.date(2025, 10, 8),
            closed_at=bkk(2025, 10, 6, 9, 0),
            satisfaction=5,
        ),
        # 23:30 UTC on 31 October is 06:30 on 1 November in Bangkok: a November request.
        # Never answered and never repaired, both past due: missed twice.
        "month_end": filed(
            people,
            school,
            datetime.datetime(2025, 10, 31, 23, 30, tzinfo=UTC),
            status=Status.NEW,
            response_due_at=bkk(2025, 11, 3, 10, 30),
            resolve_due_on=datetime.date(2025, 11, 7),
        ),
        # Answered late, repaired late (Mon 10 -> Thu 20 Nov: 8 working days), not yet confirmed.
        "late": filed(
            people,
            other_school,
            bkk(2025, 11, 10, 10, 0),
            status=Status.RESOLVED,
            first_response_at=bkk(2025, 11, 11, 9, 0),
            response_due_at=bkk(2025, 11, 10, 14, 0),
            resolved_at=bkk(2025, 11, 20, 14, 0),
            resolve_due_on=datetime.date(2025, 11, 14),
        ),
        # Answered in time, then not carried out: no resolve judgement.
        "cancelled": filed(
            people,
            school,
            bkk(2026, 1, 5, 10, 0),
            category="printer",
            status=Status.CANCELLED,
            first_response_at=bkk(2026, 1, 5, 11, 0),
            response_due_at=bkk(2026, 1, 5, 15, 0),
            resolve_due_on=datetime.date(2026, 1, 9),
            closed_at=bkk(2026, 1, 20, 9, 0),
        ),
        # Waiting for parts past its (not yet extended) due day: not judged yet.
        "waiting": filed(
            people,
            other_school,
            bkk(2026, 2, 2, 10, 0),
            category="network",
            status=Status.WAITING,
            first_response_at=bkk(2026, 2, 2, 13, 0),
            response_due_at=bkk(2026, 2, 2, 16, 0),
            resolve_due_on=datetime.date(2026, 2, 6),
        ),
        # The office's own request (no school). Mon 2 -> Thu 5 Mar over Makha Bucha (Tue 3):
        # 2 working days.
        "office": filed(
            people,
            None,
            bkk(2026, 3, 2, 10, 0),
            status=Status.CLOSED,
            first_response_at=bkk(2026, 3, 2, 10, 30),
            response_due_at=bkk(2026, 3, 2, 12, 0),
            resolved_at=bkk(2026, 3, 5, 11, 0),
            resolve_due_on=datetime.date(2026, 3, 6),
            closed_at=bkk(2026, 3, 9, 9, 0),
            satisfaction=4,
        ),
        # 23:00 on the year's last day (16:00 UTC): still 2569, September. Repaired Mon 5 Oct
        # (3 working days) and closed in the next fiscal year.
        "last_day": filed(
            people,
            school,
            bkk(2026, 9, 30, 23, 0),
            category="projector",
            status=Status.CLOSED,
            first_response_at=bkk(2026, 10, 1, 9, 0),
            response_due_at=bkk(2026, 10, 1, 10, 30),
            resolved_at=bkk(2026, 10, 5, 10, 0),
            resolve_due_on=datetime.date(2026, 10, 7),
            closed_at=bkk(2026, 10, 6, 9, 0),
            satisfaction=2,
        ),
        # 17:30 UTC on 30 September is 00:30 on 1 October in Bangkok: fiscal year 2570.
        "after": filed(
            people,
            school,
            datetime.datetime(2026, 9, 30, 17, 30, tzinfo=UTC),
            status=Status.NEW,
        ),
    }


def figures_for(user, fiscal_year=2569):
    return dashboard_figures(tickets_visible_to(user), fiscal_year=fiscal_year)


def test_counts_and_months_follow_the_bangkok_fiscal_year(people, year_2569):
    figures = figures_for(people["staff"])
    assert (figures["first_day"], figures["last_day"]) == (
        datetime.date(2025, 10, 1),
        datetime.date(2026, 9, 30),
    )
    assert figures["total"] == 7
    assert (figures["open"], figures["closed"], figures["cancelled"]) == (3, 3, 1)
    months = figures["months"]
    assert [m["label"] for m in months] == [
        "ต.ค.", "พ.ย.", "ธ.ค.", "ม.ค.", "ก.พ.", "มี.ค.",
        "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.",
    ]  # fmt: skip
    assert months[0]["month"] == datetime.date(2025, 10, 1) and months[0]["year"] == 2568
    assert months[-1]["month"] == datetime.date(2026, 9, 1) and months[-1]["year"] == 2569
    assert [m["filed"] for m in months] == [1, 2, 0, 1, 1, 1, 0, 0, 0, 0, 0, 1]
    assert [m["closed"] for m in months] == [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
    assert figures["closed_after_year"] == 1


def test_the_neighbouring_years_get_the_boundary_tickets(people, year_2569):
    before = figures_for(people["staff"], 2568)
    assert before["total"] == 1 and before["months"][-1]["filed"] == 1
    after = figures_for(people["staff"], 2570)
    assert after["total"] == 1 and after["months"][0]["filed"] == 1


def test_median_service_targets_and_satisfaction(people, year_2569):
    figures = figures_for(people["staff"])
    # Working days to resolve: 2, 8, 2 and 3 -> median 2.5.
    assert figures["resolved_count"] == 4
    assert figures["median_resolve_days"] == 2.5
    # First response: in time for first, cancelled, waiting, office and last_day; missed by
    # late and by month_end (unanswered past due).
    assert figures["first_response"] == {"met": 5, "judged": 7, "percent": 71.4}
    # Resolve: in time for first, office, last_day; missed by late and month_end (open past
    # due); cancelled and waiting are not judged.
    assert figures["resolve"] == {"met": 3, "judged": 5, "percent": 60.0}
    assert figures["satisfaction_average"] == pytest.approx(3.67)
    assert figures["satisfaction_count"] == 3


def test_a_pending_ticket_is_not_late_before_its_due_time(people, year_2569):
    early = bkk(2025, 11, 3, 10, 0)  # before month_end's response and resolve due times
    figures = dashboard_figures(tickets_visible_to(people["staff"]), fiscal_year=2569, now=early)
    assert figures["first_response"]["judged"] == 6
    assert figures["resolve"]["judged"] == 4


def test_top_schools_and_categories(people, school, other_school, year_2569):
    figures = figures_for(people["staff"])
    assert [(s["name"], s["count"]) for s in figures["top_schools"]] == [
        (school.name_th, 4),
        (other_school.name_th, 2),
    ]
    assert [(c["category"], c["count"]) for c in figures["categories"]] == [
        ("computer", 3),
        ("projector", 2),
        ("network", 1),
        ("printer", 1),
    ]
    assert figures["categories"][0]["label"] == Category.COMPUTER.label


def test_top_schools_stop_at_five(people, office):
    for i in range(7):
        school = School.objects.create(
            office=office,
            obec_code=f"10900200{i:02d}",
            smis_code=f"900200{i:02d}",
            name_th=f"โรงเรียน {i}",
            district="เมือง",
        )
        for _ in range(i + 1):
            filed(people, school, bkk(2025, 12, 1, 10, 0), requester=people["staff"])
    names = [s["name"] for s in figures_for(people["staff"])["top_schools"]]
    assert names == ["โรงเรียน 6", "โรงเรียน 5", "โรงเรียน 4", "โรงเรียน 3", "โรงเรียน 2"]


def test_a_year_without_tickets_has_zeros_and_no_averages(people):
    figures = figures_for(people["staff"], 2560)
    assert figures["total"] == 0
    assert figures["median_resolve_days"] is None
    assert figures["first_response"] == {"met": 0, "judged": 0, "percent": None}
    assert figures["satisfaction_average"] is None
    assert figures["top_schools"] == [] and figures["categories"] == []
    assert [m["filed"] for m in figures["months"]] == [0] * 12


def test_month_names_follow_the_language():
    assert (month_label(10), month_label(9)) == ("ต.ค.", "ก.ย.")
    with translation.override("en"):
        assert (month_label(10), month_label(9)) == ("Oct", "Sep")


def test_a_christian_era_year_is_refused(people):
    with pytest.raises(ValueError):
        figures_for(people["staff"], 2026)


# --- the page -----------------------------------------------------------------------------


def dashboard_url(**params):
    url = reverse("repairs:dashboard")
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


@pytest.mark.parametrize("role", ["staff", "group_head", "director"])
def test_the_office_sees_the_dashboard(client, people, year_2569, role):
    client.force_login(people[role])
    response = client.get(dashboard_url(fy=2569))
    assert response.status_code == 200
    assert response.context["fiscal_year"] == 2569
    assert response.context["figures"]["total"] == 7
    body = response.content.decode()
    assert 'data-figure="total">7<' in body
    assert 'data-figure="first-response">71.4%<' in body
    assert 'data-figure="median">2.5<' in body
    for name in ("months", "schools", "categories"):
        ET.fromstring(response.context["charts"][name])  # well-formed
    assert body.count('class="portal-chart"') == 3


@pytest.mark.parametrize("role", ["school_user", "school_director"])
def test_a_school_may_not_see_the_dashboard(client, people, role):
    client.force_login(people[role])
    assert client.get(dashboard_url()).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(dashboard_url())
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("value", ["", "abc", "2026", "99999", "2569x", "-2569", "๒๕๖๙๙"])
def test_a_bad_fiscal_year_falls_back_to_the_current_one(client, people, value):
    client.force_login(people["staff"])
    response = client.get(dashboard_url(fy=value))
    assert response.status_code == 200
    assert response.context["fiscal_year"] == thaitime.fiscal_year_of(timezone.localdate())


def test_the_fiscal_year_may_be_typed_in_thai_digits():
    assert chosen_fiscal_year("๒๕๖๙", 2570) == 2569
    assert chosen_fiscal_year(" 2569 ", 2570) == 2569
    assert chosen_fiscal_year(None, 2570) == 2570


def test_the_year_list_reaches_back_to_the_first_ticket(client, people, year_2569):
    client.force_login(people["staff"])
    response = client.get(dashboard_url(fy=2569))
    current = thaitime.fiscal_year_of(timezone.localdate())
    assert response.context["years"] == list(range(current, 2567, -1))  # 'before' is in 2568
    assert 'value="2569" selected' in response.content.decode()


def test_another_office_is_not_counted(client, people, year_2569):
    office = Office.objects.create(code="9009", name_th="สพม.อื่น", kind=Office.Kind.SECONDARY)
    outsider = user_create(
        username="far", password="x", office=office, roles=[Role.objects.get(code="staff")]
    )
    filed(people, None, bkk(2026, 1, 10, 10, 0), requester=outsider)
    client.force_login(people["staff"])
    assert client.get(dashboard_url(fy=2569)).context["figures"]["total"] == 7
    client.force_login(outsider)
    assert client.get(dashboard_url(fy=2569)).context["figures"]["total"] == 1


def test_names_are_escaped_in_the_charts(client, people, office):
    school = School.objects.create(
        office=office,
        obec_code="1090010099",
        smis_code="90010099",
        name_th='<script>alert("x")</script>',
        district="เมือง",
    )
    filed(people, school, bkk(2025, 12, 1, 10, 0), requester=people["staff"])
    client.force_login(people["staff"])
    response = client.get(dashboard_url(fy=2569))
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()
    assert "&lt;script&gt;alert" in response.context["charts"]["schools"]


def test_an_empty_year_draws_no_data(client, people):
    client.force_login(people["staff"])
    response = client.get(dashboard_url(fy=2560))
    assert response.status_code == 200
    assert response.context["figures"]["total"] == 0
    for name in ("schools", "categories"):
        root = ET.fromstring(response.context["charts"][name])
        assert root.get("role") == "img"


def test_the_home_card_counts_open_tickets_by_line_and_never_closed_ones(people, school):
    """The card reads only open tickets (an office's closed ones pile up); each line still
    counts what it names."""
    from repairs.home import repairs_card

    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    when = bkk(2026, 11, 2, 9, 0)
    for status, due in (
        (Status.NEW, None),
        (Status.IN_PROGRESS, yesterday),  # overdue
        (Status.WAITING, today + datetime.timedelta(days=3)),
        (Status.RESOLVED, yesterday),  # overdue too, and awaiting confirmation
        (Status.CLOSED, yesterday),
        (Status.CANCELLED, yesterday),
    ):
        filed(people, school, when, status=status, resolve_due_on=due)
    card = repairs_card(people["staff"], today)
    assert [line.count for line in card.lines] == [1, 4, 2, 1]
