"""Celery entry points of the reports app: thin wrappers around reports.services."""

from celery import shared_task
from django.utils import timezone


@shared_task(
    name="reports.run_report_job",
    bind=True,
    max_retries=3,
    default_retry_delay=60,
)
def run_report_job(self, job_id: int) -> str:
    from reports.services import report_job_run

    try:
        job = report_job_run(job_id=job_id)
    except Exception as error:  # recorded on the job as failed; try again a little later
        raise self.retry(exc=error) from error
    return job.status if job else "skipped"


@shared_task(name="reports.yearly_close")
def yearly_close_task() -> list[int]:
    from reports.services import scheduled_yearly_jobs

    return scheduled_yearly_jobs(today=timezone.localdate())


@shared_task(name="reports.monthly_summary")
def monthly_summary_task() -> int:
    from reports.services import monthly_summary_send

    return monthly_summary_send(today=timezone.localdate())
