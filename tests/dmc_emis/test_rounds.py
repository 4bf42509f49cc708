"""Rounds from templates, bulk opening for every school, and the status following the case."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import School
from dmc_emis.models import Round, RoundKind, RoundSchool, RoundTemplate, SchoolStatus
from dmc_emis.services import (
    academic_year_of,
    round_from_template,
    round_open,
    rounds_create_for_next_year,
)
from processes.models import Case, CaseEvent, Notification, Task
from processes.services import task_complete

pytestmark = pytest.mark.django_db


def test_the_academic_year_starts_on_16_may():
    assert academic_year_of(datetime.date(2026, 5, 15)) == 2568
    assert academic_year_of(datetime.date(2026, 5, 16)) == 2569
    assert academic_year_of(datetime.date(2027, 4, 30)) == 2569


def test_templates_give_the_national_dates_of_each_academic_year():
    templates = {t.kind: t for t in RoundTemplate.objects.all()}
    assert set(templates) == set(RoundKind.values)
    assert templates["dmc_term1"].deadline_for(2569) == datetime.date(2026, 6, 10)
    assert templates["dmc_term2"].deadline_for(2569) == datetime.date(2026, 11, 10)
    assert templates["year_end"].deadline_for(2569) == datetime.date(2027, 4, 30)
    # Seed 002 gives no date for the other duties: no deadline is invented for them.
    for kind in set(RoundKind.values) - {"dmc_term1", "dmc_term2", "year_end"}:
        assert templates[kind].deadline_for(2569) is None, kind


def test_next_years_rounds_are_created_once_however_often_the_task_runs(office):
    today = datetime.date(2026, 11, 1)
    active = RoundTemplate.objects.filter(is_active=True).count()
    assert rounds_create_for_next_year(today=today) == active * 2
    assert rounds_create_for_next_year(today=today) == 0
    years = set(Round.objects.filter(office=office).values_list("academic_year", flat=True))
    assert years == {2569, 2570}
    term2 = Round.objects.get(office=office, kind="dmc_term2", academic_year=2570)
    assert term2.deadline_on == datetime.date(2027, 11, 10)
    assert term2.cutoff_time == datetime.time(16, 30)
    assert term2.opens_on == datetime.date(2027, 10, 11)


def test_an_admins_template_change_shapes_the_rounds_created_after_it(office):
    template = RoundTemplate.objects.get(kind="emis")
    template.is_active = True
    template.deadline_month, template.deadline_day = 6, 20
    template.reminder_days = [10, 2]
    template.save()
    round_, created = round_from_template(office=office, template=template, academic_year=2570)
    assert created and round_.deadline_on == datetime.date(2027, 6, 20)
    assert round_.reminder_days == [10, 2]


def test_a_deadline_on_a_weekend_is_flagged_not_moved(office):
    template = RoundTemplate.objects.get(kind="dmc_term1")
    # 10 June 2029 is a Sunday: academic year 2572 keeps the national date and says so.
    sunday, _created = round_from_template(office=office, template=template, academic_year=2572)
    assert sunday.deadline_on == datetime.date(2029, 6, 10) and sunday.deadline_on.weekday() == 6
    assert sunday.deadline_is_working_day is False
    # 10 June 2026 is a Wednesday.
    wednesday, _created = round_from_template(office=office, template=template, academic_year=2569)
    assert wednesday.deadline_is_working_day is True


def _schools(office, n, start=100):
    return School.objects.bulk_create(
        School(
            office=office,
            obec_code=f"10{start + i:08d}",
            smis_code=f"{start + i:08d}",
            name_th=f"โรงเรียนที่ {i}",
            district="เมือง",
        )
        for i in range(n)
    )


def test_opening_a_round_starts_one_case_per_school_in_bulk(
    data_round, round_processes, people, school, office
):
    _schools(office, 25)
    added = round_open(round_=data_round, user=people["staff"])
    assert added == 26
    entries = RoundSchool.objects.filter(round=data_round)
    assert entries.count() == 26 and not entries.filter(case__isnull=True).exists()
    cases = Case.objects.filter(version__definition__code="dmc-round")
    assert cases.count() == 26
    assert len(set(cases.values_list("reference", flat=True))) == 26
    assert CaseEvent.objects.filter(case__in=cases, kind="started").count() == 26
    tasks = Task.objects.filter(case__in=cases, status="open")
    assert tasks.count() == 26 and set(tasks.values_list("step__key", flat=True)) == {
        "school_submit"
    }
    # The school's first task is due at the first milestone (a week before the deadline).
    assert set(tasks.values_list("due_on", flat=True)) == {
        data_round.deadline_on - datetime.timedelta(days=7)
    }
    case = entries.get(school=school).case
    assert case.subject == entries.get(school=school) and case.school == school
    # The school's user hears that the round is open; the round's own case waits for staff.
    assert Notification.objects.filter(recipient=people["school_user"], case=case).exists()
    data_round.refresh_from_db()
    assert data_round.is_open and data_round.ack_case.tasks.get().step.key == "summarise"


def test_opening_costs_the_same_queries_for_ten_schools_or_a_hundred(
    data_round, round_processes, people, office
):
    from dmc_emis.models import Round as RoundModel

    _schools(office, 10)
    with CaptureQueriesContext(connection) as few:
        round_open(round_=data_round, user=people["staff"])
    second = RoundModel.objects.create(
        office=office,
        kind="dmc_term2",
        academic_year=2569,
        title="รอบที่สอง",
        opens_on=data_round.opens_on,
        deadline_on=data_round.deadline_on,
    )
    _schools(office, 90, start=500)
    with CaptureQueriesContext(connection) as many:
        round_open(round_=second, user=people["staff"])
    assert RoundSchool.objects.filter(round=second).count() == 101
    assert len(many) <= len(few) + 5


def test_opening_again_adds_only_new_schools(open_round, people, office):
    before = RoundSchool.objects.filter(round=open_round).count()
    _schools(office, 2, start=900)
    assert round_open(round_=open_round, user=people["staff"]) == 2
    assert RoundSchool.objects.filter(round=open_round).count() == before + 2
    assert round_open(round_=open_round, user=people["staff"]) == 0


@pytest.mark.parametrize("who", ["school_user", "school_director", "director", "deputy_director"])
def test_only_office_ict_staff_open_a_round(data_round, round_processes, people, who):
    with pytest.raises(PermissionDenied):
        round_open(round_=data_round, user=people[who])
    assert not RoundSchool.objects.exists()


def _decide(entry, user, outcome="done"):
    task = entry.case.tasks.get(status="open")
    task_complete(task=task, user=user, outcome=outcome, comment="", data={})
    entry.refresh_from_db()
    return entry.status


def test_the_status_follows_the_school_case_to_acknowledgement(open_round, people, school):
    entry = RoundSchool.objects.get(round=open_round, school=school)
    assert entry.status == SchoolStatus.NOT_STARTED
    assert _decide(entry, people["school_user"]) == SchoolStatus.SUBMITTED
    assert _decide(entry, people["staff"], "issues_found") == SchoolStatus.ISSUES_FOUND
    assert _decide(entry, people["school_user"]) == SchoolStatus.CORRECTED
    assert _decide(entry, people["staff"], "clean") == SchoolStatus.CHECKED_CLEAN
    assert _decide(entry, people["school_user"]) == SchoolStatus.CONFIRMED
    assert _decide(entry, people["school_director"], "certified") == SchoolStatus.CERTIFIED
    # The office's officer certifies the school's data (seed 002: "รับรองข้อมูล DMC ของทุกโรงเรียน").
    assert _decide(entry, people["staff"], "certified") == SchoolStatus.ACKNOWLEDGED
    assert entry.case.state == Case.State.COMPLETED


def test_the_office_officer_can_send_certified_data_back(open_round, people, school):
    entry = RoundSchool.objects.get(round=open_round, school=school)
    _decide(entry, people["school_user"])
    _decide(entry, people["staff"], "clean")
    _decide(entry, people["school_user"])
    _decide(entry, people["school_director"], "certified")
    assert _decide(entry, people["staff"], "send_back") == SchoolStatus.ISSUES_FOUND
    assert entry.case.tasks.get(status="open").step.key == "school_fix"


def test_the_school_director_can_send_the_data_back(open_round, people, school):
    entry = RoundSchool.objects.get(round=open_round, school=school)
    _decide(entry, people["school_user"])
    _decide(entry, people["staff"], "clean")
    _decide(entry, people["school_user"])
    assert _decide(entry, people["school_director"], "send_back") == SchoolStatus.ISSUES_FOUND
    assert entry.case.tasks.get(status="open").step.key == "school_fix"


def test_the_district_director_acknowledges_the_round(open_round, people):
    ack = open_round.ack_case
    task_complete(task=ack.tasks.get(status="open"), user=people["staff"], outcome="done", data={})
    approval = ack.tasks.get(status="open")
    assert approval.step.key == "director_ack"
    with pytest.raises(PermissionDenied):
        task_complete(task=approval, user=people["staff"], outcome="acknowledge")
    task_complete(task=approval, user=people["director"], outcome="acknowledge")
    ack.refresh_from_db()
    assert ack.state == Case.State.COMPLETED


def test_demo_rounds_are_created_and_opened_once():
    from django.core.management import call_command

    from dmc_emis.models import DataImport, Finding

    call_command("load_catalogue", verbosity=0)
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo_dmc_emis", verbosity=0)
    rounds, entries = Round.objects.count(), RoundSchool.objects.count()
    call_command("seed_demo_dmc_emis", verbosity=0)
    assert (Round.objects.count(), RoundSchool.objects.count()) == (rounds, entries)
    assert entries == 36 and DataImport.objects.get().status == "done"
    assert Finding.objects.filter(rule="national_id").exists()
