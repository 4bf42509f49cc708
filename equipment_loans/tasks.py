"""Celery entry points of equipment loans: thin wrappers that call services."""

from celery import shared_task
from django.utils import timezone


@shared_task(name="equipment_loans.loan_reminder_pass")
def loan_reminder_pass_task() -> dict[str, int]:
    from equipment_loans.services import loan_reminder_pass

    return loan_reminder_pass(today=timezone.localdate())
