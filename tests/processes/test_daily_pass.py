"""The daily due-date pass and the notification outbox."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from processes.models import Notification, Task
from processes.services import case_start, due_date_pass, notifications_deliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(plan_definition, people, monkeypatch):
    monkeypatch.setattr(
        timezone, "now", lambda: timezone.make_aware(datetime.datetime(2026, 11, 23, 9))
    )
    case = case_start(definition=plan_definition, requester=people["staff"], title="แผน")
    monkeypatch.undo()
    task = case.tasks.get()
    assert task.due_on == datetime.date(2026, 11, 30)  # Monday + 5 working days
    return task


def kinds():
    return sorted(Notification.objects.values_list("kind", flat=True))


NOTHING = {"woken": 0, "auto_done": 0, "reminded": 0, "breached": 0, "escalated": 0}


def test_reminder_the_working_day_before_due(task):
    Notification.objects.all().delete()
    assert due_date_pass(today=datetime.date(2026, 11, 26))["reminded"] == 0
    counts = due_date_pass(today=datetime.date(2026, 11, 27))  # Friday before Monday's due date
    assert counts["reminded"] == 1
    assert kinds() == ["daily_digest", "daily_digest"]  # one digest for each staff member
    assert all(task.case.reference in n.body for n in Notification.objects.all())


def test_breach_and_escalation_to_the_group_head(task, people, settings):
    settings.ESCALATE_AFTER_WORKING_DAYS = 3
    Notification.objects.all().delete()
    counts = due_date_pass(today=datetime.date(2026, 12, 1))
    assert counts == {**NOTHING, "breached": 1, "digests": 2}
    counts = due_date_pass(today=datetime.date(2026, 12, 3))  # 3 working days late (Dec 1-3)
    assert counts["escalated"] == 1
    escalated = Notification.objects.filter(kind="daily_digest", subject__endswith="ติดตาม 1")
    assert list(escalated.values_list("recipient", flat=True)) == [people["group_head"].pk]
    # Late days are counted from the pass's own date, not from the machine's clock.
    assert "เกินกำหนด 3 วันทำการ" in escalated.get().body


def test_running_the_pass_twice_sends_nothing_twice(task):
    Notification.objects.all().delete()
    first = due_date_pass(today=datetime.date(2026, 12, 8))
    created = Notification.objects.count()
    second = due_date_pass(today=datetime.date(2026, 12, 8))
    assert first["breached"] == first["escalated"] == 1
    assert second == {**NOTHING, "digests": 0}
    assert Notification.objects.count() == created


def test_paused_tasks_are_left_alone(task):
    Task.objects.filter(pk=task.pk).update(paused_at=timezone.now())
    assert due_date_pass(today=datetime.date(2026, 12, 8))["breached"] == 0


def test_outbox_rows_survive_a_broker_outage_and_go_out_later(
    plan_definition, people, django_capture_on_commit_callbacks
):
    people["staff"].email = "staff@example.go.th"
    people["staff"].save()
    broken = mock.Mock(side_effect=ConnectionError("broker down"))
    with (
        mock.patch("processes.tasks.deliver_notifications_task.delay", broken),
        django_capture_on_commit_callbacks(execute=True),
    ):
        case_start(definition=plan_definition, requester=people["staff"], title="แผน")
    assert broken.called
    pending = Notification.objects.filter(status=Notification.Status.PENDING)
    assert pending.count() == 2  # nothing lost

    assert notifications_deliver() == 2  # the beat pass once the broker is back
    assert not pending.exists()
    assert [m.to for m in mail.outbox] == [["staff@example.go.th"]]
    assert notifications_deliver() == 0


def test_a_failing_mail_server_keeps_the_row_for_a_retry(plan_definition, people):
    people["staff"].email = "staff@example.go.th"
    people["staff"].save()
    case_start(definition=plan_definition, requester=people["staff"], title="แผน")
    with mock.patch("processes.channels.send_mail", side_effect=OSError("smtp down")):
        notifications_deliver()
    row = Notification.objects.get(recipient=people["staff"])
    assert row.status == Notification.Status.PENDING
    assert row.attempts == 1 and "smtp down" in row.last_error
    notifications_deliver()  # too early: the retry waits for its back-off
    row.refresh_from_db()
    assert row.status == Notification.Status.PENDING and row.attempts == 1
    notifications_deliver(now=row.next_attempt_at)
    row.refresh_from_db()
    assert row.status == Notification.Status.SENT
