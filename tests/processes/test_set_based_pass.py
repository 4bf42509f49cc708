"""The set-based daily pass does what the per-task pass did, on the same data: the same tasks
stamped, the same people told the same things in the same digests; and it sends nothing twice
however often it runs."""

from __future__ import annotations

import datetime
import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Delegation, Role, RoleCode, User
from core.thaitime import add_working_days
from processes import due_pass
from processes.models import Case, Notification, Responsible, StepKind, Task, TaskNotice
from processes.services import due_date_pass

from .reference_due_pass import reference_due_date_pass

pytestmark = pytest.mark.django_db

STAMPS = ("reminded_on", "breach_notified_on", "escalated_on")


def _office_with_timed_work() -> datetime.date:
    """A generated office (every role, schools, requesters, assignees) with an acting order and
    a retired account; the day on which all three stages find work."""
    call_command("generate_data", schools=6, cases=1000, years=1, batch=500, stdout=io.StringIO())
    office_staff = User.objects.filter(office__code="GEN1", school__isnull=True)
    head = office_staff.filter(roles__code=RoleCode.GROUP_HEAD).first()
    acting = office_staff.exclude(roles__code=RoleCode.GROUP_HEAD).first()
    Delegation.objects.create(
        principal=head,
        delegate=acting,
        role=Role.objects.get(code=RoleCode.GROUP_HEAD),
        starts_on=datetime.date(2020, 1, 1),
        ends_on=datetime.date(2040, 1, 1),
    )
    office_staff.filter(roles__code=RoleCode.STAFF).exclude(pk=acting.pk).filter(
        pk__in=office_staff.filter(roles__code=RoleCode.STAFF).values("pk")[:1]
    ).update(is_active=False)
    # Timed open work spread over two weeks around the day, a quarter of it assigned, some
    # of it a school's.
    day = datetime.date(2026, 12, 7)  # a Monday
    running = (
        Task.objects.open()
        .filter(case__state=Case.State.RUNNING)
        .exclude(step__kind=StepKind.WAIT_UNTIL)
    )
    staff = list(office_staff.filter(is_active=True, roles__code=RoleCode.STAFF))
    for n, task in enumerate(running.order_by("pk")):
        task.due_on = day + datetime.timedelta(days=n % 15 - 10)
        task.assignee = staff[n % len(staff)] if n % 4 == 0 else None
        if n % 5 == 1 and task.case.school_id:
            task.role = Responsible.SCHOOL_USER
        task.save(update_fields=["due_on", "assignee", "role"])
    assert running.count() > 40
    assert running.filter(role=Responsible.SCHOOL_USER).exists()
    return day


def _outcome() -> dict:
    return {
        "stamps": sorted(
            Task.objects.exclude(
                reminded_on=None, breach_notified_on=None, escalated_on=None
            ).values_list("pk", *STAMPS)
        ),
        "notices": sorted(TaskNotice.objects.values_list("task_id", "stage", "day")),
        "digests": sorted(
            Notification.objects.filter(kind="daily_digest").values_list(
                "recipient_id", "dedupe_key", "subject", "body", "url"
            )
        ),
        "closed": sorted(
            Task.objects.exclude(status=Task.Status.OPEN).values_list("pk", "status", "outcome")
        ),
    }


def _run_and_forget(run, **kwargs) -> tuple[dict, dict]:
    with transaction.atomic():
        counts = run(**kwargs)
        outcome = _outcome()
        transaction.set_rollback(True)
    return counts, outcome


def test_the_same_notices_as_the_per_task_pass(settings):
    settings.ESCALATE_AFTER_WORKING_DAYS = 2
    due_pass_lines = due_pass.DIGEST_LINES_PER_STAGE
    due_pass.DIGEST_LINES_PER_STAGE = 10_000  # the per-task pass listed every line
    try:
        day = _office_with_timed_work()
        seen = dict.fromkeys(("reminded", "breached", "escalated", "lines", "digests"), 0)
        notices = 0
        for today in (day, add_working_days(day, 1), add_working_days(day, 4)):
            expected_counts, expected = _run_and_forget(reference_due_date_pass, today=today)
            counts, outcome = _run_and_forget(due_date_pass, today=today)
            assert counts == expected_counts
            assert outcome == expected
            for key in ("reminded", "breached", "escalated"):
                seen[key] += counts[key]
            seen["lines"] += sum(body.count("\n- ") for *_r, body, _u in outcome["digests"])
            seen["digests"] += len(outcome["digests"])
            notices += len(outcome["notices"])
        assert all(seen.values())
        # One notice per task and stage, fanned out to several people.
        assert notices == seen["reminded"] + seen["breached"] + seen["escalated"]
        assert seen["lines"] > notices
    finally:
        due_pass.DIGEST_LINES_PER_STAGE = due_pass_lines


def test_a_second_pass_sends_nothing_and_a_later_one_only_what_is_new(settings):
    settings.ESCALATE_AFTER_WORKING_DAYS = 2
    day = _office_with_timed_work()
    first = due_date_pass(today=day)
    after_first = _outcome()
    second = due_date_pass(today=day)
    assert second == dict.fromkeys(first, 0)
    assert _outcome() == after_first
    later = due_date_pass(today=add_working_days(day, 1))
    new_stamps = Task.objects.filter(breach_notified_on=add_working_days(day, 1)).count()
    assert later["breached"] == new_stamps > 0


def test_a_long_digest_lists_the_most_urgent_and_counts_the_rest(settings, monkeypatch):
    monkeypatch.setattr(due_pass, "DIGEST_LINES_PER_STAGE", 3)
    day = _office_with_timed_work()
    due_date_pass(today=day)
    busiest = max(
        Notification.objects.filter(kind="daily_digest"), key=lambda digest: len(digest.body)
    )
    sections: dict[str, list[str]] = {}
    header = ""
    for line in busiest.body.splitlines():
        if line.startswith("- "):
            sections[header].append(line)
        else:
            header = line
            sections[header] = []
    listed = sections["เกินกำหนด:"]
    assert len(listed) == 4  # three tasks and how many more
    assert "และอีก" in listed[-1]
    told = int(busiest.subject.split("เกินกำหนด ")[1].split()[0])
    assert f"และอีก {told - 3} รายการ" in listed[-1]


def test_a_sent_digest_is_not_rewritten_and_later_notices_wait_for_the_next(settings):
    day = _office_with_timed_work()
    due_date_pass(today=day)
    told = Notification.objects.filter(kind="daily_digest").values("recipient")
    task = (
        Task.objects.open()
        .filter(case__state=Case.State.RUNNING, assignee__in=told)
        .order_by("pk")
        .first()
    )
    digest = Notification.objects.get(kind="daily_digest", recipient=task.assignee)
    Notification.objects.filter(pk=digest.pk).update(status=Notification.Status.SENT)
    body = Notification.objects.get(pk=digest.pk).body
    TaskNotice.objects.filter(task=task).delete()
    TaskNotice.objects.create(task=task, stage=TaskNotice.Stage.DUE_SOON, day=day)
    assert due_pass.compose_digests(today=day) == 0
    assert Notification.objects.get(pk=digest.pk).body == body
    tomorrow = add_working_days(day, 1)
    assert due_pass.compose_digests(today=tomorrow) >= 1
    next_one = Notification.objects.get(dedupe_key=f"digest:{tomorrow}:{digest.recipient_id}")
    assert task.case.reference in next_one.body
    assert "ใกล้ครบกำหนด 1 " in next_one.subject  # only what was not told


def test_lapsed_cutoff_is_the_last_start_that_has_run_out():
    today = datetime.date(2026, 12, 7)  # a Monday
    cutoff = due_pass.lapsed_start_cutoff(days=3, today=today)
    assert add_working_days(cutoff, 3) <= today
    assert add_working_days(cutoff + datetime.timedelta(days=1), 3) > today
    assert timezone.localdate() is not None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_passes_at_once_stamp_and_notify_each_task_once(settings):
    settings.ESCALATE_AFTER_WORKING_DAYS = 2
    day = _office_with_timed_work()
    barrier = threading.Barrier(2)
    results: list[dict | BaseException] = []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(due_date_pass(today=day))
        except BaseException as error:  # reported by the assertion below
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(isinstance(result, dict) for result in results), results
    together = {key: sum(result[key] for result in results) for key in results[0]}
    stamped = {stamp: Task.objects.filter(**{stamp: day}).count() for stamp in STAMPS}
    assert together["reminded"] == stamped["reminded_on"]
    assert together["breached"] == stamped["breach_notified_on"] > 0
    assert together["escalated"] == stamped["escalated_on"] > 0
    digests = Notification.objects.filter(kind="daily_digest")
    assert digests.count() == digests.values("recipient").distinct().count() > 0
    assert TaskNotice.objects.count() == sum(
        together[k] for k in ("reminded", "breached", "escalated")
    )
