"""The pages of a document rendered in the background (core.render_jobs): the redirect every
PDF address answers with, the progress page and its htmx part, the download and "prepare again".

The download is a file through the storage (this disk or the shared S3 store), streamed by
Django as an attachment, so the access check and the portal's headers (nosniff, no-store for a
signed-in person) hold for every file.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.render_jobs import (
    check_download,
    get_render_job_for_user,
    render_job_request,
)


def pdf_in_background(request: HttpRequest, renderer: str, **arguments: Any) -> HttpResponse:
    """What a PDF address answers: access checked now (the renderer's 403 or 404), then the
    progress page of this person's job for the document (reused, or queued now)."""
    job = render_job_request(user=request.user, renderer=renderer, arguments=arguments)
    return redirect(job)


@login_required
def job_page(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_render_job_for_user(request.user, pk)
    return render(request, "core/render_job.html", {"job": job})


@login_required
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress part alone, which htmx asks for again until the job has finished."""
    job = get_render_job_for_user(request.user, pk)
    return render(request, "core/includes/render_progress.html", {"job": job})


@login_required
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    job = get_render_job_for_user(request.user, pk)
    check_download(job, request.user)
    try:
        stored = job.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(stored, as_attachment=True, filename=job.filename)


@login_required
@require_POST
def job_again(request: HttpRequest, pk: int) -> HttpResponse:
    """A new rendering of the same document (after a change, or after a failure)."""
    job = get_render_job_for_user(request.user, pk)
    again = render_job_request(
        user=request.user, renderer=job.renderer, arguments=job.arguments, fresh=True
    )
    return redirect(again)
