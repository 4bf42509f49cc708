"""Celery entry points of core: thin wrappers that call its services (imports, rendered
documents)."""

from celery import shared_task


# Celery ships no type information: its decorator leaves the task untyped (callers use .delay).
@shared_task(name="core.requeue_stalled_imports")  # type: ignore[untyped-decorator]
def requeue_stalled_imports_task() -> int:
    from core.import_jobs import requeue_stalled

    return requeue_stalled()


@shared_task(name="core.render_job")  # type: ignore[untyped-decorator]
def render_job_task(job_id: int) -> str:
    from core.render_jobs import render_job_run

    return render_job_run(job_id=job_id)


@shared_task(name="core.requeue_stalled_renders")  # type: ignore[untyped-decorator]
def requeue_stalled_renders_task() -> int:
    from core.render_jobs import render_jobs_requeue

    return render_jobs_requeue()


@shared_task(name="core.clean_render_jobs")  # type: ignore[untyped-decorator]
def clean_render_jobs_task() -> int:
    from core.render_jobs import render_jobs_clean

    return render_jobs_clean()
