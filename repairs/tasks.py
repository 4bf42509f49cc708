"""Celery entry points of repairs: thin wrappers that call services."""

from celery import shared_task
from django.utils import timezone


@shared_task(name="repairs.service_target_pass")
def service_target_pass_task() -> dict[str, int]:
    """The service-target pass, and asset imports lost to a broker outage queued again."""
    from repairs.services import service_target_pass
    from repairs.services_assets import requeue_stalled_asset_imports

    counts = service_target_pass(now=timezone.now())
    counts["requeued_imports"] = requeue_stalled_asset_imports()
    return counts


@shared_task(name="repairs.run_asset_import")
def run_asset_import_task(import_id: int) -> str:
    from repairs.services_assets import asset_import_run

    return asset_import_run(import_id=import_id)
