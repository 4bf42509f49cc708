"""Celery entry points of documents: thin wrappers around documents.services."""

from celery import shared_task


@shared_task(
    name="documents.render_document",
    bind=True,
    max_retries=6,
    default_retry_delay=30,
    retry_backoff=True,
)
def render_document(self, document_id: int) -> str:
    from documents.services import document_render

    try:
        document = document_render(document_id)
    except Exception as error:  # the decision stands; the document waits and is tried again
        raise self.retry(exc=error, countdown=30 * 2**self.request.retries) from error
    return document.status if document else "missing"


@shared_task(name="documents.render_pending")
def render_pending() -> list[int]:
    from documents.services import pending_documents_render

    return pending_documents_render()
