"""Celery entry points of the engine: thin wrappers that call services."""

from celery import shared_task
from django.utils import timezone


@shared_task(name="processes.deliver_notifications")
def deliver_notifications_task() -> int:
    from processes.services import notifications_deliver

    return notifications_deliver()


@shared_task(name="processes.due_date_pass")
def due_date_pass_task() -> dict[str, int]:
    from processes.services import due_date_pass

    return due_date_pass(today=timezone.localdate())
