"""The public plan page and PDF are cheap and bounded: the PDF is rendered once per approved
version, by a worker (never in the request), and stored, served with caching headers, and both
addresses are rate-limited."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.core.files.storage import default_storage
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from tests.render_jobs import eager_worker
from tests.workplans.factories import fill_plan, make_plan
from workplans import pdf as workplans_pdf
from workplans.models import Plan, PublishedPlanPdf
from workplans.services import plan_mark_approved, published_pdf_get

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def public(definitions, people):
    plan = make_plan(people["staff"])
    fill_plan(plan)
    # What the director's final approval leaves (tests/workplans/test_plans.py walks it).
    Plan.objects.filter(pk=plan.pk).update(
        status=Plan.Status.APPROVED, approved_at=timezone.now(), public_slug="plan-2570-test"
    )
    plan.refresh_from_db()
    return plan


@pytest.fixture
def renders(monkeypatch):
    """Count the real renderings."""
    calls: list[int] = []
    real = workplans_pdf.public_plan_pdf

    def counted(plan):
        calls.append(plan.pk)
        return real(plan)

    monkeypatch.setattr(workplans_pdf, "public_plan_pdf", counted)
    return calls


def test_the_pdf_is_rendered_once_stored_and_served_with_caching_headers(client, public, renders):
    url = reverse("workplans:public_pdf", args=[public.public_slug])
    with eager_worker():  # the worker renders it as soon as it is asked for
        preparing = client.get(url)
    # The request itself renders nothing: it says the file is being prepared and looks again.
    assert preparing.status_code == 202 and preparing["Retry-After"] == "5"
    assert "no-cache" in preparing["Cache-Control"] and "public" not in preparing["Cache-Control"]
    assert "data-look-again" in preparing.text and "กำลังจัดทำ" in preparing.text
    assert renders == [public.pk]
    first = client.get(url)
    assert first.status_code == 200
    assert first["Content-Type"] == "application/pdf"
    assert first.content.startswith(b"%PDF")
    stored = PublishedPlanPdf.objects.get(plan=public)
    assert default_storage.exists(stored.file.name)
    assert stored.sha256 == hashlib.sha256(first.content).hexdigest()
    assert first["ETag"] == f'"{stored.sha256}"'
    assert first["Last-Modified"]
    cache_control = first["Cache-Control"]
    assert "public" in cache_control and "max-age=3600" in cache_control
    assert "no-store" not in cache_control

    again = client.get(url)
    assert again.content == first.content
    assert renders == [public.pk]  # the second request read the stored file

    not_modified = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == first["ETag"]
    since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    other = client.get(url, HTTP_IF_NONE_MATCH='"something-else"')
    assert other.status_code == 200 and other.content == first.content
    assert renders == [public.pk]


def test_approval_queues_the_public_pdf_and_visitors_queue_it_once_a_minute(
    client, public, monkeypatch
):
    from workplans import tasks

    queued: list[int] = []
    monkeypatch.setattr(tasks.render_published_pdf_task, "delay", queued.append)
    url = reverse("workplans:public_pdf", args=[public.public_slug])
    for _ in range(3):
        assert client.get(url).status_code == 202
    assert queued == [public.pk]  # however many wait, one message
    with TestCase.captureOnCommitCallbacks(execute=True):
        Plan.objects.filter(pk=public.pk).update(approved_at=public.approved_at + HOUR)
        public.refresh_from_db()
        plan_mark_approved(plan=public, user=None, signature="")
    assert queued == [public.pk, public.pk]  # the new version, at its approval
    assert tasks.render_published_pdf_task(public.pk) == PublishedPlanPdf.objects.get().sha256
    assert client.get(url).status_code == 200


def test_the_worker_skips_a_plan_no_longer_public(public):
    from workplans.tasks import render_published_pdf_task

    Plan.objects.filter(pk=public.pk).update(status=Plan.Status.DRAFTING)
    assert render_published_pdf_task(public.pk) == "skipped"
    assert render_published_pdf_task(0) == "skipped"
    assert not PublishedPlanPdf.objects.exists()


def test_a_signed_in_reader_gets_the_same_cacheable_public_file(client, public, people, renders):
    published_pdf_get(plan=public)
    client.force_login(people["school_user"])
    response = client.get(reverse("workplans:public_pdf", args=[public.public_slug]))
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "no-store" not in response["Cache-Control"]


def test_a_new_approved_version_is_rendered_anew_and_the_old_file_goes(client, public, monkeypatch):
    versions = iter([b"%PDF-1.7 first version", b"%PDF-1.7 second version"])
    monkeypatch.setattr(workplans_pdf, "public_plan_pdf", lambda plan: next(versions))
    url = reverse("workplans:public_pdf", args=[public.public_slug])
    with eager_worker():
        client.get(url)
    first = client.get(url)
    old = PublishedPlanPdf.objects.get(plan=public)
    # Returned, revised and approved again: approved_at moves on.
    Plan.objects.filter(pk=public.pk).update(
        approved_at=public.approved_at + datetime.timedelta(days=3)
    )
    with eager_worker():
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 202
    second = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert second.content == b"%PDF-1.7 second version"
    assert second["ETag"] != first["ETag"]
    assert list(PublishedPlanPdf.objects.filter(plan=public)) != [old]
    assert PublishedPlanPdf.objects.filter(plan=public).count() == 1
    assert not default_storage.exists(old.file.name)


def test_a_plan_not_approved_has_no_public_pdf(client, definitions, people):
    plan = make_plan(people["staff"])
    Plan.objects.filter(pk=plan.pk).update(public_slug="draft-plan")
    assert client.get(reverse("workplans:public_pdf", args=["draft-plan"])).status_code == 404
    assert not PublishedPlanPdf.objects.exists()


def test_the_public_pdf_is_rate_limited_per_address(client, public, settings, monkeypatch):
    monkeypatch.setattr(workplans_pdf, "public_plan_pdf", lambda plan: b"%PDF-1.7 small")
    published_pdf_get(plan=public)
    settings.PUBLIC_PLAN_PDF_RATE = "2/m"
    url = reverse("workplans:public_pdf", args=[public.public_slug])
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    limited = client.get(url)
    assert limited.status_code == 429
    assert limited["Retry-After"] == "60"
    assert "คำขอมากเกินไป" in limited.content.decode()
    # Another address is not limited by this one.
    assert client.get(url, REMOTE_ADDR="192.0.2.7").status_code == 200


def test_the_public_page_is_rate_limited_per_address(client, public, settings):
    settings.PUBLIC_PLAN_PAGE_RATE = "2/m"
    url = reverse("workplans:public", args=[public.public_slug])
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    limited = client.get(url)
    assert limited.status_code == 429
    assert "คำขอมากเกินไป" in limited.content.decode()
    # Behind a proxy the client's address (the proxy's last hop) is what is counted.
    settings.USE_X_FORWARDED_FOR = True
    assert client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.9").status_code == 200
