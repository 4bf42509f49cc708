"""Celery entry points of core: thin wrappers that call its services."""

from celery import shared_task


# Celery ships no type information: its decorator leaves the task untyped (callers use .delay).
@shared_task(name="core.requeue_stalled_imports")  # type: ignore[untyped-decorator]
def requeue_stalled_imports_task() -> int:
    from core.import_jobs import requeue_stalled

    return requeue_stalled()
