"""Celery entry points of trainings: thin wrappers that call services."""

from celery import shared_task


@shared_task(name="trainings.run_participant_list")
def run_participant_list_task(import_id: int) -> str:
    from trainings.services_lists import participant_list_run

    return participant_list_run(import_id=import_id)
