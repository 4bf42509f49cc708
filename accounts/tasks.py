"""Celery entry points of accounts: thin wrappers that call services."""

from celery import shared_task


@shared_task(name="accounts.run_school_import")
def run_school_import_task(import_id: int) -> str:
    from accounts.services_schools import school_import_run

    return school_import_run(import_id=import_id)
