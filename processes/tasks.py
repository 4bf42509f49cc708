"""Celery entry points of the engine: thin wrappers that call services."""

from celery import shared_task
from django.utils import timezone


# Celery ships no type information: its decorator leaves the task untyped (callers use .delay).
@shared_task(name="processes.deliver_notifications")  # type: ignore[untyped-decorator]
def deliver_notifications_task() -> int:
    from processes.services import notifications_deliver

    return notifications_deliver()


@shared_task(name="processes.due_date_pass")  # type: ignore[untyped-decorator]
def due_date_pass_task() -> dict[str, int]:
    from processes.services import due_date_pass

    return due_date_pass(today=timezone.localdate())
