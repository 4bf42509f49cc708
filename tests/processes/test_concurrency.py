"""Two people deciding the same task at the same moment: exactly one decision is recorded."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from processes.models import CaseEvent, Task
from processes.services import TaskAlreadyDecided, case_start, task_complete


def decide_together(task, deciders):
    """Run task_complete for every (user, outcome, comment) at once; collect what each got."""
    barrier = threading.Barrier(len(deciders))
    results = [None] * len(deciders)

    def run(index, user, outcome, comment):
        try:
            barrier.wait(timeout=10)
            task_complete(task=task, user=user, outcome=outcome, comment=comment)
            results[index] = "ok"
        except TaskAlreadyDecided as error:
            results[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(i, *decider)) for i, decider in enumerate(deciders)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_approvers_at_once_make_exactly_one_decision(plan_definition, people):
    case = case_start(definition=plan_definition, requester=people["staff"], title="แผน")
    task_complete(
        task=case.tasks.get(), user=people["staff"], outcome="done", data={"summary": "ร่าง"}
    )
    head_task = case.tasks.get(status=Task.Status.OPEN)
    # The group head approves while an acting head returns it, in the same instant.
    people["staff2"].roles.add(*people["group_head"].roles.all())

    results = decide_together(
        head_task,
        [(people["group_head"], "approve", ""), (people["staff2"], "return", "แก้ไขตาราง")],
    )

    assert results.count("ok") == 1
    (loser,) = [r for r in results if r != "ok"]
    assert isinstance(loser, TaskAlreadyDecided)
    assert "not recorded" in str(loser) or "ไม่ถูกบันทึก" in str(loser)
    decisions = CaseEvent.objects.filter(task=head_task, kind=CaseEvent.Kind.DECIDED)
    assert decisions.count() == 1
    assert case.tasks.filter(status=Task.Status.OPEN).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_browsers_posting_at_once_get_one_decision_and_a_clear_message(plan_definition, people):
    from django.test import Client
    from django.urls import reverse

    case = case_start(definition=plan_definition, requester=people["staff"], title="แผน")
    task_complete(
        task=case.tasks.get(), user=people["staff"], outcome="done", data={"summary": "ร่าง"}
    )
    head_task = case.tasks.get(status=Task.Status.OPEN)
    people["staff2"].roles.add(*people["group_head"].roles.all())
    url = reverse("processes:decide", args=[head_task.pk])
    barrier = threading.Barrier(2)
    messages = {}

    def post(user, outcome):
        client = Client()
        client.force_login(user)
        try:
            barrier.wait(timeout=10)
            response = client.post(url, {"outcome": outcome, "comment": "ตรวจแล้ว"}, follow=True)
            # Read the page itself: the test client's captured context is shared across threads.
            messages[user.username] = response.content.decode()
        finally:
            connection.close()

    threads = [
        threading.Thread(target=post, args=(people["group_head"], "approve")),
        threading.Thread(target=post, args=(people["staff2"], "reject")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    # Exactly one of the two is told, in Thai, that their decision was not recorded.
    told = [name for name, page in messages.items() if "ไม่ถูกบันทึก" in page]
    assert len(messages) == 2 and len(told) == 1
    assert CaseEvent.objects.filter(task=head_task, kind=CaseEvent.Kind.DECIDED).count() == 1
