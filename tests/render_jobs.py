"""Fetch a PDF address as a person does since PDFs render in the background (core.render_jobs):
the address redirects to the job's progress page, the worker renders it (here at once, in the
test's process: the job is queued on commit and Celery runs eagerly), the page offers the
download, and the download is the file."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.http import FileResponse
from django.test import Client, TestCase
from django.urls import resolve, reverse

from config.celery_app import app as celery_app
from core.models import RenderJob
from core.render_jobs import render_job_run


@contextlib.contextmanager
def eager_worker() -> Iterator[None]:
    """Within the block, what is queued on commit runs when the block ends, in this process."""
    # The app reads Django's settings with the CELERY_ namespace: the key carries the prefix.
    before = celery_app.conf.task_always_eager
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = True
    try:
        with TestCase.captureOnCommitCallbacks(execute=True):
            yield
    finally:
        celery_app.conf.CELERY_TASK_ALWAYS_EAGER = before


@dataclass
class Fetched:
    """A PDF fetched through its job: the job, the download response and the file's bytes."""

    job: RenderJob
    response: FileResponse
    content: bytes


def job_of(response) -> RenderJob:
    """The job a PDF address redirected to."""
    assert response.status_code == 302, response.status_code
    match = resolve(response.url)
    assert match.view_name == "files:job", response.url
    return RenderJob.objects.get(pk=match.kwargs["pk"])


def request_pdf(client: Client, url: str, **extra) -> RenderJob:
    """Ask for the PDF at `url` and let the worker render it; the job, finished."""
    with eager_worker():
        response = client.get(url, **extra)
    job = job_of(response)
    job.refresh_from_db()
    return job


def fetch_pdf(client: Client, url: str, **extra) -> Fetched:
    """The PDF at `url` as the person gets it: redirect, progress page, download."""
    job = request_pdf(client, url, **extra)
    assert job.status == RenderJob.Status.DONE, job.error
    page = client.get(job.get_absolute_url())
    download_url = reverse("files:download", args=[job.pk])
    assert page.status_code == 200 and download_url in page.content.decode()
    response = client.get(download_url)
    assert response.status_code == 200, response.status_code
    assert response["Content-Disposition"].startswith("attachment")
    content = b"".join(response.streaming_content)
    return Fetched(job=job, response=response, content=content)


def download_in_browser(page, href: str) -> tuple[bytes, object]:
    """In a Playwright page: follow a PDF link to its progress page, play the worker (the
    browser tests' `sent_renders` fixture keeps the message from the broker), and let the page
    start the download by itself. The file's bytes and Playwright's download."""
    page.goto(href)
    match = resolve(urlsplit(page.url).path)
    assert match.view_name == "files:job", page.url
    assert page.locator("#render-progress").is_visible()
    with page.expect_download(timeout=15_000) as download:
        render_job_run(job_id=match.kwargs["pk"])  # the worker's turn; the page polls
    return Path(download.value.path()).read_bytes(), download.value
