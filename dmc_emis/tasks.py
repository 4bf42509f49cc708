"""Celery entry points of the data rounds: thin wrappers that call services."""

from celery import shared_task
from django.utils import timezone


@shared_task(name="dmc_emis.run_import")
def run_import_task(import_id: int) -> str:
    from dmc_emis.services import import_run

    return import_run(import_id=import_id)


@shared_task(name="dmc_emis.create_next_year_rounds")
def create_next_year_rounds_task() -> int:
    from dmc_emis.services import rounds_create_for_next_year

    return rounds_create_for_next_year(today=timezone.localdate())


@shared_task(name="dmc_emis.settle_abandoned_imports")
def settle_abandoned_imports_task() -> int:
    """Imports whose worker died end as failed instead of running forever."""
    from dmc_emis.services import imports_settle_abandoned

    return imports_settle_abandoned()


@shared_task(name="dmc_emis.daily_pass")
def daily_pass_task() -> dict[str, int]:
    """Morning reminders and summaries, the chart's daily snapshot, and lost imports re-queued."""
    from dmc_emis.services import requeue_stalled_imports, round_reminders, round_snapshots

    today = timezone.localdate()
    counts = round_reminders(today=today)
    counts["snapshots"] = round_snapshots(today=today)
    counts["requeued"] = requeue_stalled_imports()
    return counts
