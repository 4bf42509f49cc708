"""Celery entry point of the log register: the daily pass (a thin wrapper)."""

from celery import shared_task
from django.utils import timezone


@shared_task(name="log_register.check_reminder_pass")
def check_reminder_pass_task() -> dict[str, int]:
    from log_register.services import check_reminder_pass

    return check_reminder_pass(today=timezone.localdate())
