"""The main pages run a constant number of queries whatever the size of the data (issue 19).

One office is filled with a few rows of every kind the pages show (cases and their tasks,
approvals waiting for the director, repair tickets, schools of an open data round, equipment and
its loans), each page is counted as the person who uses it, then the office grows fivefold
(3 -> 15 of each kind, the measured case five times as many round trips) and every page must
run exactly as many queries as before. A page whose count grows has an N+1 somewhere.

Each count is of the first request after the data grew, with no warm-up request, so a cache
filled per row cannot hide a query per row.
"""

from __future__ import annotations

import datetime
import itertools
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import RoleCode
from accounts.services import delegation_create
from core.thaitime import format_thai_date
from dmc_emis.models import Round
from dmc_emis.services import round_open
from equipment_loans.models import ItemCategory, Loan, LoanItem
from equipment_loans.services import Wanted, loan_request
from processes.definitions import definition_import
from processes.models import Task
from processes.services import case_start, task_complete
from repairs.models import Asset
from repairs.services import ticket_file, ticket_triage
from tests.factories import SchoolFactory, get_role, make_user

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "processes"
SMALL, LARGE = 3, 15
_serial = itertools.count(1)


@pytest.fixture
def definitions(plan_definition):
    """The plan-like test process plus the real ones behind tickets, loans and rounds."""
    codes = ("repair-ticket", "equipment-loan", "equipment-use", "dmc-round", "dmc-round-ack")
    for code in codes:
        definition_import(json.loads((FIXTURES / f"{code}.json").read_text("utf-8")))
    return plan_definition


@pytest.fixture
def data_round(office, definitions, people):
    deadline = timezone.localdate() + datetime.timedelta(days=20)
    data_round = Round.objects.create(
        office=office,
        kind="dmc_term1",
        academic_year=2569,
        title="ข้อมูลนักเรียน DMC ภาคเรียนที่ 1 ปีการศึกษา 2569",
        opens_on=deadline - datetime.timedelta(days=30),
        deadline_on=deadline,
    )
    round_open(round_=data_round, user=people["staff"])
    return data_round


def _open(case) -> Task:
    return case.tasks.select_related("step").get(status=Task.Status.OPEN)


def _to_director(case, people) -> None:
    """Draft done, then approved by whoever stands before the director."""
    task_complete(task=_open(case), user=people["staff"], outcome="done", data={"summary": "ร่าง"})
    task = _open(case)
    if task.role == RoleCode.GROUP_HEAD:
        task_complete(task=task, user=people["group_head"], outcome="approve")


def _round_trip(case, people) -> None:
    """The draft goes up and comes back once more: more tasks and events on the case."""
    task_complete(task=_open(case), user=people["staff"], outcome="done", data={"summary": "ร่าง"})
    task_complete(
        task=_open(case), user=people["group_head"], outcome="return", comment="แก้ไขอีกครั้ง"
    )


def _file_ticket(teacher, number: int):
    return ticket_file(
        requester=teacher,
        school=teacher.school,
        category="projector",
        symptom=f"โปรเจกเตอร์เปิดไม่ติด {number}",
        location="ห้อง ป.6/1",
        urgency="high",
        contact_phone="081-234-5678",
        asset_number_text=f"7440-001-{number:04d}/65",
    )


def grow(n: int, *, office, people, definition, measured_case, data_round) -> dict[str, str]:
    """n more of every kind: cases with tasks, approvals, tickets, round schools, loans.
    Returns what the last of them shows on each page, to check that the page lists it."""
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    for _ in range(n):
        number = next(_serial)
        # My tasks: a draft waiting for staff. The director's inbox: a plan waiting there.
        case_start(definition=definition, requester=people["staff"], title=f"แผน {number}")
        waiting = case_start(
            definition=definition, requester=people["staff"], title=f"แผนรออนุมัติ {number}"
        )
        _to_director(waiting, people)
        _round_trip(measured_case, people)
        # A school of its own, with an asset, and a teacher who files a ticket and asks for a
        # loan; the new school joins the open data round.
        school = SchoolFactory(office=office)
        asset = Asset.objects.create(
            office=office, school=school, category="computer", asset_number=f"AS-{number:04d}"
        )
        teacher = make_user(RoleCode.SCHOOL_USER, school=school)
        ticket = _file_ticket(teacher, number)
        # The people fixture's own teacher files too: what a school sees of its own grows.
        own_ticket = _file_ticket(people["school_user"], number)
        if number % 2:
            ticket_triage(
                ticket=ticket,
                user=people["group_head"],
                priority="high",
                technician=people["staff"],
            )
        item = LoanItem.objects.create(
            office=office, name=f"โปรเจคเตอร์ {number}", category=ItemCategory.PROJECTOR
        )
        loan = loan_request(
            requester=teacher,
            kind=Loan.Kind.BORROW,
            school=school,
            wanted=[Wanted(item, 1)],
            purpose="สอนวิทยาศาสตร์",
            starts_on=tomorrow,
            ends_on=tomorrow + datetime.timedelta(days=1),
            pickup_place="ห้องกลุ่ม",
            return_place="ห้องกลุ่ม",
            contact_phone="081-234-5678",
        )
        if number % 2:
            task_complete(task=_open(loan.case), user=people["group_head"], outcome="approve")
    round_open(round_=data_round, user=people["staff"])
    return {
        # The unfiltered list holds more than a page (50) at the large size: tickets and loans
        # give staff work too; filtered to the plan process it shows the newest plan.
        "my tasks, plans only (staff)": f"แผน {number}",
        "director inbox (director)": f"แผนรออนุมัติ {number}",
        "ticket list (staff)": ticket.reference,
        "ticket list (school user)": own_ticket.reference,
        "loan list (staff)": loan.reference,
        "asset list (staff)": asset.asset_number,
        "round board (staff)": school.name_th,
        "loans calendar (staff)": item.name,
        "loans calendar (school user)": item.name,
    }


def count(client, user, url: str) -> tuple[int, str]:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), response.content.decode()


def test_the_main_pages_run_as_many_queries_at_both_sizes(
    client, office, people, definitions, data_round
):
    measured_case = case_start(definition=definitions, requester=people["staff"], title="แผนที่เปิดดู")
    world = {
        "office": office,
        "people": people,
        "definition": definitions,
        "measured_case": measured_case,
        "data_round": data_round,
    }
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    calendar = (
        f"{reverse('equipment_loans:calendar')}?start={format_thai_date(tomorrow, 'numeric')}"
    )
    pages = {
        "my tasks (staff)": (people["staff"], reverse("processes:my_tasks")),
        "my tasks, plans only (staff)": (
            people["staff"],
            f"{reverse('processes:my_tasks')}?process=test-plan",
        ),
        "director inbox (director)": (people["director"], reverse("processes:inbox")),
        "ticket list (staff)": (people["staff"], reverse("repairs:index")),
        "ticket list (school user)": (people["school_user"], reverse("repairs:index")),
        # Its school filter, like the ticket list's, names the chosen school only.
        "loan list (staff)": (people["staff"], reverse("equipment_loans:index")),
        "asset list (staff)": (people["staff"], reverse("repairs:assets")),
        "case page (staff)": (people["staff"], measured_case.get_absolute_url()),
        "round board (staff)": (people["staff"], data_round.get_absolute_url()),
        "loans calendar (staff)": (people["staff"], calendar),
        "loans calendar (school user)": (people["school_user"], calendar),
        "home page (staff)": (people["staff"], reverse("portal:home")),
        "home page (director)": (people["director"], reverse("portal:home")),
        "home page (school user)": (people["school_user"], reverse("portal:home")),
        # The ticket list's school filter asks this as one types (every school would match).
        "school suggestions (staff)": (
            people["staff"],
            f"{reverse('portal:school_search')}?q=%E0%B9%82%E0%B8%A3%E0%B8%87",
        ),
    }

    grow(SMALL, **world)
    small = {name: count(client, user, url)[0] for name, (user, url) in pages.items()}
    newest = grow(LARGE - SMALL, **world)
    shown = {name: count(client, user, url) for name, (user, url) in pages.items()}
    large = {name: queries for name, (queries, _html) in shown.items()}

    print("\nqueries per page, small -> large:")
    for name in pages:
        print(f"  {name:28} {small[name]:3} -> {large[name]:3}")
    assert large == small
    # The data did grow where each page looks (else the comparison would prove nothing).
    for name, text in newest.items():
        # "แผน 15", not "แผน 1" followed by anything: no digit may follow.
        assert re.search(re.escape(text) + r"(?!\d)", shown[name][1]), f"{name}: no {text}"
    assert Task.objects.filter(status=Task.Status.OPEN, role=RoleCode.DIRECTOR).count() >= LARGE
    assert data_round.schools.count() >= LARGE
    assert measured_case.tasks.count() >= 2 * LARGE
    assert LoanItem.objects.filter(office=office).count() == LARGE


# The page frame -----------------------------------------------------------------------------

# What every page pays before its own content: the session (unless Redis holds it), the user
# with their office (the header names it), and their roles together with whether they act for
# anyone today. Someone acting for another person today pays one more, for the orders the
# header lists.
FRAME_QUERIES = 2 + (0 if settings.SESSION_ENGINE == "core.sessions" else 1)
# The profile page's own: the orders its owner gave, those waiting to start, and the school of
# a school's person.
PROFILE_QUERIES = 2


@pytest.mark.parametrize(
    "role",
    ["school_user", "school_director", "staff", "group_head", "director", "admin", "nobody"],
)
def test_the_frame_of_a_near_empty_page_costs_the_same_few_queries_for_every_role(
    client, office, school, role
):
    at_school = school if role.startswith("school_") else None
    if role == "nobody":  # an account in the office that holds no role
        user = make_user([], office=office)
    else:
        user = make_user(role, school=at_school, office=office, is_superuser=role == "admin")
    queries, html = count(client, user, reverse("accounts:profile"))
    assert queries == FRAME_QUERIES + PROFILE_QUERIES + (1 if at_school else 0)
    assert user.display_name in html and office.name_th in html


def test_acting_for_someone_costs_one_query_more_however_many_orders(client, office, people):
    today = timezone.localdate()
    for principal, role in ((people["director"], "director"), (people["group_head"], "group_head")):
        delegation_create(
            principal=principal,
            delegate=people["deputy_director"],
            role=get_role(role),
            starts_on=today,
            ends_on=today + datetime.timedelta(days=3),
            order_number=f"คำสั่ง {role}",
        )
        queries, html = count(client, people["deputy_director"], reverse("accounts:profile"))
        assert queries == FRAME_QUERIES + 1 + PROFILE_QUERIES
        assert principal.display_name in html
