"""Celery entry points of repairs: thin wrappers that call services."""

from celery import shared_task
from django.utils import timezone


@shared_task(name="repairs.service_target_pass")
def service_target_pass_task() -> dict[str, int]:
    from repairs.services import service_target_pass

    return service_target_pass(now=timezone.now())
