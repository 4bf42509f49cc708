"""Daily loan reminders: before the return date, overdue notices once per day per loan however
often the pass runs, and the director told after the configured working days."""

from __future__ import annotations

import datetime

import pytest

from core.thaitime import add_working_days, next_working_day
from equipment_loans.models import Condition, Loan, LoanLine
from equipment_loans.services import loan_check_out, loan_reminder_pass
from equipment_loans.tasks import loan_reminder_pass_task
from processes.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def out_loan(approved_loan, people):
    return loan_check_out(
        loan=approved_loan,
        user=people["staff"],
        conditions={line.pk: Condition.GOOD for line in approved_loan.lines.all()},
        accessories="",
        acknowledgement="teacher",
    )


def due_on(loan: Loan, day: datetime.date) -> None:
    Loan.objects.filter(pk=loan.pk).update(starts_on=day - datetime.timedelta(days=3), ends_on=day)
    LoanLine.objects.filter(loan=loan).update(
        starts_on=day - datetime.timedelta(days=3), ends_on=day
    )


def sent(kind: str) -> list[str]:
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    )


def test_the_borrower_is_reminded_once_before_the_return_date(out_loan):
    today = next_working_day(datetime.date(2026, 12, 1))
    due_on(out_loan, add_working_days(today, 1))
    for _ in range(3):
        loan_reminder_pass(today=today)
    assert sent("loan_due") == ["teacher"]


def test_overdue_notices_go_once_a_day_to_borrower_and_group_head(out_loan, settings):
    settings.LOAN_ESCALATE_AFTER_WORKING_DAYS = 3
    first_late_day = next_working_day(datetime.date(2026, 12, 7))
    due_on(out_loan, first_late_day - datetime.timedelta(days=1))
    for _ in range(3):
        counts = loan_reminder_pass(today=first_late_day)
    assert counts["overdue"] == 1 and counts["escalated"] == 0
    assert sent("loan_overdue") == ["head", "teacher"]
    assert sent("loan_escalated") == []

    next_day = next_working_day(first_late_day)
    loan_reminder_pass(today=next_day)
    loan_reminder_pass(today=next_day)
    assert sent("loan_overdue") == ["head", "head", "teacher", "teacher"]


def test_the_director_hears_after_the_configured_working_days_once(out_loan, settings):
    settings.LOAN_ESCALATE_AFTER_WORKING_DAYS = 2
    due = next_working_day(datetime.date(2026, 12, 7))
    due_on(out_loan, due)
    loan_reminder_pass(today=add_working_days(due, 1))
    assert sent("loan_escalated") == []
    loan_reminder_pass(today=add_working_days(due, 2))
    loan_reminder_pass(today=add_working_days(due, 3))
    assert sent("loan_escalated") == ["director"]


def test_returned_loans_are_left_alone(approved_loan):
    due_on(approved_loan, datetime.date(2026, 12, 1))
    counts = loan_reminder_pass(today=datetime.date(2026, 12, 10))
    assert counts == {"reminded": 0, "overdue": 0, "escalated": 0}


def test_the_celery_task_runs_the_pass_for_today(out_loan, monkeypatch):
    monday = datetime.date(2026, 12, 14)
    due_on(out_loan, monday - datetime.timedelta(days=3))
    monkeypatch.setattr("equipment_loans.tasks.timezone.localdate", lambda: monday)
    result = loan_reminder_pass_task.apply().get()
    assert result["overdue"] == 1
    assert sent("loan_overdue") == ["head", "teacher"]


def test_the_beat_schedule_is_installed():
    from django_celery_beat.models import PeriodicTask

    assert PeriodicTask.objects.filter(task="equipment_loans.loan_reminder_pass").exists()
