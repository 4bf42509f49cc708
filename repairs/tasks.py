"""Celery entry points of repairs: thin wrappers that call services."""

from celery import shared_task
from django.utils import timezone


@shared_task(name="repairs.service_target_pass")
def service_target_pass_task() -> dict[str, int]:
    from repairs.services import service_target_pass

    return service_target_pass(now=timezone.now())


@shared_task(name="repairs.run_asset_import")
def run_asset_import_task(import_id: int) -> str:
    from repairs.services_assets import asset_import_run

    return asset_import_run(import_id=import_id)
