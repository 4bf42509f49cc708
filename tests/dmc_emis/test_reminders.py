"""Reminders on the round's days to schools short of their next milestone, never twice, and
the deadline-morning summary for the group head and the director."""

from __future__ import annotations

import datetime

import pytest

from dmc_emis.models import RoundSchool, RoundStatusSnapshot, SchoolStatus
from dmc_emis.services import next_milestone, round_reminders, round_snapshots
from processes.models import Notification

pytestmark = pytest.mark.django_db


def reminders(**filters):
    return Notification.objects.filter(kind="dmc_reminder", **filters)


def test_reminders_go_out_on_14_7_3_1_and_0_days_only(open_round, people):
    sent_on = []
    for days_before in range(20, -2, -1):
        today = open_round.deadline_on - datetime.timedelta(days=days_before)
        if round_reminders(today=today)["reminded"]:
            sent_on.append(days_before)
    assert sent_on == [14, 7, 3, 1, 0]
    # One per reminder day per school user; two schools, one user each.
    assert reminders(recipient=people["school_user"]).count() == 5
    assert reminders().count() == 10


def test_running_the_pass_twice_sends_nothing_twice(open_round, people):
    today = open_round.deadline_on - datetime.timedelta(days=7)
    round_reminders(today=today)
    first = reminders().count()
    round_reminders(today=today)
    assert reminders().count() == first == 2


def test_schools_that_reached_the_milestone_are_not_reminded(open_round, people, school):
    RoundSchool.objects.filter(round=open_round, school=school).update(
        status=SchoolStatus.CERTIFIED
    )
    round_reminders(today=open_round.deadline_on - datetime.timedelta(days=3))
    assert not reminders(recipient=people["school_user"]).exists()
    assert reminders().count() == 1  # the other school


def test_on_the_certification_day_the_school_director_is_reminded_too(open_round, people, school):
    RoundSchool.objects.filter(round=open_round, school=school).update(
        status=SchoolStatus.CONFIRMED
    )
    round_reminders(today=open_round.deadline_on)
    assert reminders(recipient=people["school_director"]).exists()


def test_the_next_milestone_is_the_first_not_reached(open_round):
    submitted, confirmed = (
        open_round.deadline_on - datetime.timedelta(days=7),
        open_round.deadline_on,
    )
    assert next_milestone(open_round, SchoolStatus.NOT_STARTED) == ("submitted", submitted)
    assert next_milestone(open_round, SchoolStatus.ISSUES_FOUND) == ("confirmed", confirmed)
    assert next_milestone(open_round, SchoolStatus.CONFIRMED)[0] == "certified"
    assert next_milestone(open_round, SchoolStatus.CERTIFIED) is None


def test_reminder_days_are_configurable_per_round(open_round):
    open_round.reminder_days = [5, 2]
    open_round.save()
    sent_on = [
        d
        for d in range(0, 15)
        if round_reminders(today=open_round.deadline_on - datetime.timedelta(days=d))["reminded"]
    ]
    assert sent_on == [2, 5]


def test_the_deadline_morning_summary_goes_to_the_group_head_and_director_once(open_round, people):
    round_reminders(today=open_round.deadline_on)
    round_reminders(today=open_round.deadline_on)
    summary = Notification.objects.filter(kind="dmc_deadline_summary")
    assert sorted(summary.values_list("recipient__username", flat=True)) == ["director", "head"]
    assert "0 / 2" not in summary.first().subject and "0" in summary.first().subject


def test_unopened_rounds_send_nothing(data_round, round_processes):
    assert round_reminders(today=data_round.deadline_on) == {
        "reminded": 0,
        "staff": 0,
        "summaries": 0,
    }


def test_a_daily_snapshot_feeds_the_chart_once_per_day(open_round):
    round_snapshots(today=open_round.opens_on)
    round_snapshots(today=open_round.opens_on)
    snapshot = RoundStatusSnapshot.objects.get()
    assert snapshot.counts[SchoolStatus.NOT_STARTED] == 2
