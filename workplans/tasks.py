"""Celery entry points of the workplans app: thin wrappers around workplans.services."""

from celery import shared_task


@shared_task(name="workplans.render_published_pdf")
def render_published_pdf_task(plan_id: int) -> str:
    """Render and keep the public PDF of an approved plan's version (once per version)."""
    from workplans.models import Plan
    from workplans.services import published_pdf_get

    plan = Plan.objects.filter(pk=plan_id).first()
    if plan is None or not plan.is_public:  # no longer public: nothing to publish
        return "skipped"
    return published_pdf_get(plan=plan).sha256
