"""Quarterly follow-up: activity status and money spent, KPI results against targets, and the
year-end summary sent to the director."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from processes.models import Notification
from processes.services import task_complete
from tests.render_jobs import fetch_pdf
from tests.workplans.factories import fill_plan, make_plan, open_task, work_until
from workplans.models import Activity, ActivityProgress
from workplans.selectors import plan_follow_up
from workplans.services import plan_decide, progress_record, year_end_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(definitions, people):
    plan = make_plan(people["staff"])
    rows = fill_plan(plan)
    task_complete(
        task=work_until(plan, "propose", people["staff"]),
        user=people["group_head"],
        outcome="approve",
    )
    task_complete(task=open_task(plan), user=people["deputy_director"], outcome="approve")
    director = people["director"]
    plan_decide(
        plan=plan,
        task=open_task(plan),
        user=director,
        outcome="approve",
        signed_name=director.display_name,
    )
    plan.refresh_from_db()
    return plan, rows


def record(plan, user, quarter, spent, kpis, status=Activity.Status.IN_PROGRESS):
    activities = plan_activities(plan)
    progress_record(
        plan=plan,
        user=user,
        fiscal_year=2570,
        quarter=quarter,
        activities={
            a.pk: {"status": status, "spent": Decimal(s)}
            for a, s in zip(activities, spent, strict=True)
        },
        kpis=kpis,
    )


def plan_activities(plan):
    return list(Activity.objects.filter(project__plan=plan).order_by("pk"))


def test_spending_and_kpis_add_up_per_quarter_and_project(approved, people):
    plan, rows = approved
    k1, k2 = rows["kpis"]
    record(plan, people["staff"], 1, ["10000", "5000", "0"], {k1.pk: Decimal("40"), k2.pk: None})
    record(plan, people["staff"], 2, ["20000.25", "0", "25500.50"], {k1.pk: Decimal("92")})
    summary = plan_follow_up(plan, 2570)
    assert summary.budget.total == Decimal("175500.50")
    assert summary.spent_by_quarter == {
        1: Decimal("15000"),
        2: Decimal("45500.75"),
        3: Decimal("0"),
        4: Decimal("0"),
    }
    assert summary.spent_total == Decimal("60500.75")
    first, second = rows["projects"]
    assert summary.spent_by_project == {
        first.pk: Decimal("35000.25"),
        second.pk: Decimal("25500.50"),
    }
    assert summary.spent_percent == Decimal("34.5")
    by_kpi = {status.kpi.pk: status for status in summary.kpis}
    assert by_kpi[k1.pk].latest == Decimal("92") and by_kpi[k1.pk].achieved
    assert by_kpi[k1.pk].percent_of_target == Decimal("102.2")
    assert by_kpi[k2.pk].latest is None and not by_kpi[k2.pk].achieved
    assert summary.kpis_achieved == 1


def test_saving_a_quarter_twice_replaces_it(approved, people):
    plan, _rows = approved
    record(plan, people["staff"], 1, ["10000", "0", "0"], {})
    record(plan, people["staff"], 1, ["12000", "0", "0"], {}, status=Activity.Status.DONE)
    assert ActivityProgress.objects.filter(quarter=1).count() == 3
    summary = plan_follow_up(plan, 2570)
    assert summary.spent_total == Decimal("12000")
    assert summary.status_counts[Activity.Status.DONE] == 3


def test_follow_up_waits_for_approval(definitions, people):
    plan = make_plan(people["staff"])
    with pytest.raises(PermissionDenied):
        progress_record(
            plan=plan, user=people["staff"], fiscal_year=2570, quarter=1, activities={}, kpis={}
        )


FOLLOW_UP_STATUS = {
    "staff": 302,
    "group_head": 302,
    "director": 403,
    "school_user": 404,
    "outsider": 404,
    "admin": 403,
}


@pytest.mark.parametrize("role, expected", FOLLOW_UP_STATUS.items())
def test_who_records_the_quarter(client, approved, everyone, role, expected):
    plan, rows = approved
    client.force_login(everyone[role])
    form = {}
    for activity in plan_activities(plan):
        form[f"a{activity.pk}_status"] = "done"
        form[f"a{activity.pk}_spent"] = "1000"
    for kpi in rows["kpis"]:
        form[f"k{kpi.pk}"] = "10"
    response = client.post(reverse("workplans:follow_up", args=[plan.pk, 2570, 3]), form)
    assert response.status_code == expected
    assert ActivityProgress.objects.exists() == (expected == 302)


def test_bad_amount_is_explained_and_kept(client, approved, people):
    plan, _rows = approved
    client.force_login(people["staff"])
    activity = plan_activities(plan)[0]
    response = client.post(
        reverse("workplans:follow_up", args=[plan.pk, 2570, 1]),
        {f"a{activity.pk}_status": "done", f"a{activity.pk}_spent": "สองพัน"},
    )
    assert response.status_code == 400
    assert "สองพัน" in response.text
    assert client.get(reverse("workplans:follow_up", args=[plan.pk, 2599, 1])).status_code == 404


def test_year_end_report_is_generated_and_sent_once(client, approved, people):
    plan, rows = approved
    record(
        plan,
        people["staff"],
        4,
        ["100000", "50000", "25500.50"],
        {rows["kpis"][0].pk: Decimal("95")},
        status=Activity.Status.DONE,
    )
    client.force_login(people["staff"])
    page = client.get(reverse("workplans:year_end", args=[plan.pk, 2570])).text
    assert "175,500.50" in page
    assert "<svg" in page
    pdf = fetch_pdf(client, reverse("workplans:year_end_pdf", args=[plan.pk, 2570]))
    assert pdf.content.startswith(b"%PDF")
    url = reverse("workplans:year_end_send", args=[plan.pk, 2570])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    sent = Notification.objects.filter(kind="plan_year_end")
    assert list(sent.values_list("recipient", flat=True)) == [people["director"].pk]
    client.force_login(people["director"])
    assert client.post(url).status_code == 403
    with pytest.raises(PermissionDenied):
        year_end_send(plan=plan, user=people["school_user"], fiscal_year=2570)
