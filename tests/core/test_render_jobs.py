"""The background rendering of the documents people wait for (core.render_jobs): the request
checks access and queues on commit (or reuses a recent job), the worker checks access again,
renders with its phases and keeps the file only when complete, the download checks access a
third time; failures end in Thai, lost jobs are sent again, old files are removed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import RoleCode
from core import pdf, render_jobs, tasks
from core.models import RenderJob
from core.render_jobs import (
    FAILED_TEXT,
    GAVE_UP_TEXT,
    KEEP_FOR,
    LOST_AFTER,
    MAX_ATTEMPTS,
    NO_ACCESS_TEXT,
    REUSE_WITHIN,
    STALLED_AFTER,
    UNKNOWN_TEXT,
    digest,
    register_renderer,
    render_job_request,
    render_job_run,
    render_jobs_clean,
    render_jobs_requeue,
    rows,
)
from tests.factories import make_user
from tests.render_jobs import eager_worker

pytestmark = pytest.mark.django_db

NAME = "tests.sample"


@dataclass
class Sample:
    """What the test renderer does: who may have the document, what it prints, whether it
    breaks, and the progress the job showed at each phase."""

    allowed: set[str] = field(default_factory=lambda: {"staff", "head"})
    version: str = "v1"
    broken: bool = False
    seen: list[tuple[str, int]] = field(default_factory=list)
    renders: int = 0


@pytest.fixture
def sample():
    state = Sample()

    def access(user, arguments):
        if arguments["pk"] == 404:
            raise Http404
        if user.username not in state.allowed:
            raise PermissionDenied
        return SimpleNamespace(pk=arguments["pk"], get_absolute_url=lambda: "/back/")

    def render(target, arguments):
        state.renders += 1
        if state.broken:
            raise RuntimeError("font missing")
        job = RenderJob.objects.filter(started_at__isnull=False).latest("started_at")
        state.seen.append((job.phase, job.progress))
        for phase in ("layout", "writing"):  # what core.pdf.render_pdf reports
            pdf._report_phase(phase)
            job.refresh_from_db()
            state.seen.append((job.phase, job.progress))
        return b"%PDF-1.4 sample " + str(target.pk).encode(), f"sample-{target.pk}.pdf"

    register_renderer(
        NAME,
        access=access,
        render=render,
        title=lambda t: f"ตัวอย่าง {t.pk}",
        version=lambda t: state.version,
    )
    yield state
    render_jobs._renderers.pop(NAME)


@pytest.fixture
def staff(office):
    return make_user(RoleCode.STAFF, office=office, username="staff")


@pytest.fixture
def head(office):
    return make_user(RoleCode.GROUP_HEAD, office=office, username="head")


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def ask(user, pk=1, **options) -> RenderJob:
    with eager_worker():
        job = render_job_request(user=user, renderer=NAME, arguments={"pk": pk}, **options)
    job.refresh_from_db()
    return job


# The flow ------------------------------------------------------------------------------------


def test_a_job_is_queued_on_commit_rendered_with_its_phases_and_kept_when_complete(
    sample, staff, django_capture_on_commit_callbacks, monkeypatch
):
    sent: list[int] = []
    monkeypatch.setattr(render_jobs, "_send", sent.append)
    with django_capture_on_commit_callbacks() as callbacks:
        job = render_job_request(user=staff, renderer=NAME, arguments={"pk": 7})
    assert job.status == RenderJob.Status.QUEUED and job.phase == RenderJob.Phase.WAITING
    assert job.title == "ตัวอย่าง 7" and job.back_url == "/back/" and job.version == "v1"
    assert sent == []  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()
    assert sent == [job.pk]
    assert render_job_run(job_id=job.pk) == "done"
    job.refresh_from_db()
    assert sample.seen == [("gathering", 10), ("layout", 35), ("writing", 85)]
    assert (job.status, job.phase, job.progress) == ("done", "finished", 100)
    assert job.filename == "sample-7.pdf" and job.size == len(b"%PDF-1.4 sample 7")
    assert job.file.name == f"renders/{job.pk}/sample-7.pdf"
    assert default_storage.open(job.file.name).read() == b"%PDF-1.4 sample 7"
    assert job.attempts == 1 and job.finished_at and job.error == ""
    # Delivered twice (or sent again by the pass): rendered once.
    assert render_job_run(job_id=job.pk) == "skipped"
    assert sample.renders == 1


def test_a_file_left_by_a_run_that_died_is_replaced_not_kept_beside(sample, staff, monkeypatch):
    monkeypatch.setattr(render_jobs, "_send", lambda job_id: None)
    job = render_job_request(user=staff, renderer=NAME, arguments={"pk": 4})
    default_storage.save(f"renders/{job.pk}/sample-4.pdf", ContentFile(b"half a file"))
    render_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.file.name == f"renders/{job.pk}/sample-4.pdf" and str(job) == "ตัวอย่าง 4"
    assert default_storage.open(job.file.name).read() == b"%PDF-1.4 sample 4"
    assert default_storage.listdir(f"renders/{job.pk}")[1] == ["sample-4.pdf"]


def test_the_download_is_an_attachment_with_the_portals_headers(sample, staff):
    job = ask(staff)
    response = client_of(staff).get(reverse("files:download", args=[job.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 sample 1"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="sample-1.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_access_is_checked_at_the_request_in_the_worker_and_at_the_download(
    sample, staff, head, office
):
    outsider = make_user(RoleCode.STAFF, username="outsider")
    with pytest.raises(PermissionDenied):
        render_job_request(user=outsider, renderer=NAME, arguments={"pk": 1})
    with pytest.raises(Http404):
        render_job_request(user=staff, renderer=NAME, arguments={"pk": 404})
    assert not RenderJob.objects.exists()
    # Lost between the request and the worker: the job fails, in Thai, with nothing kept.
    with eager_worker():
        job = render_job_request(user=staff, renderer=NAME, arguments={"pk": 1})
        sample.allowed.discard("staff")
    job.refresh_from_db()
    assert (job.status, job.error, job.file.name) == ("failed", NO_ACCESS_TEXT, "")
    assert sample.renders == 0
    # Lost after the file was made: the download refuses it.
    sample.allowed.add("staff")
    job = ask(staff, pk=2)
    sample.allowed.discard("staff")
    assert client_of(staff).get(reverse("files:download", args=[job.pk])).status_code == 403
    # Another person, even one who may have the document, never gets this person's job.
    for url in ("files:job", "files:progress", "files:download"):
        assert client_of(head).get(reverse(url, args=[job.pk])).status_code == 404


def test_a_deactivated_person_gets_nothing_from_the_worker(sample, staff):
    with eager_worker():
        job = render_job_request(user=staff, renderer=NAME, arguments={"pk": 1})
        type(staff).objects.filter(pk=staff.pk).update(is_active=False)
    job.refresh_from_db()
    assert job.status == RenderJob.Status.FAILED and job.error == NO_ACCESS_TEXT


def test_a_failed_render_ends_failed_in_thai_and_can_be_asked_again(sample, staff, caplog):
    sample.broken = True
    job = ask(staff)
    assert (job.status, job.phase, job.error, job.file.name) == (
        "failed",
        "finished",
        FAILED_TEXT,
        "",
    )
    assert "font missing" in caplog.text  # the cause is in the log, not on the page
    assert not default_storage.exists(f"renders/{job.pk}")
    client = client_of(staff)
    page = client.get(job.get_absolute_url()).content.decode()
    assert FAILED_TEXT in page and reverse("files:again", args=[job.pk]) in page
    assert "hx-get" not in page  # finished: no more polling
    # A failed job is never reused; "prepare again" makes a new one.
    sample.broken = False
    with eager_worker():
        response = client.post(reverse("files:again", args=[job.pk]))
    again = RenderJob.objects.exclude(pk=job.pk).get()
    assert response.url == again.get_absolute_url() and again.status == RenderJob.Status.DONE


def test_an_unknown_renderer_is_a_404_and_fails_in_the_worker(sample, staff):
    with pytest.raises(Http404):
        render_job_request(user=staff, renderer="tests.nothing", arguments={})
    job = ask(staff)
    RenderJob.objects.filter(pk=job.pk).update(renderer="tests.nothing")
    assert client_of(staff).get(reverse("files:download", args=[job.pk])).status_code == 404
    queued = RenderJob.objects.create(
        renderer="tests.nothing", key="{}", title="x", requested_by=staff
    )
    assert render_job_run(job_id=queued.pk) == "failed"
    queued.refresh_from_db()
    assert queued.error == UNKNOWN_TEXT


def test_a_file_gone_from_the_storage_is_a_404(sample, staff):
    job = ask(staff)
    default_storage.delete(job.file.name)
    assert client_of(staff).get(reverse("files:download", args=[job.pk])).status_code == 404
    unfinished = RenderJob.objects.create(renderer=NAME, key="{}", title="x", requested_by=staff)
    response = client_of(staff).get(reverse("files:download", args=[unfinished.pk]))
    assert response.status_code == 404


# Reuse -----------------------------------------------------------------------------------------


def test_a_recent_job_for_the_same_unchanged_document_is_reused(sample, staff, head):
    first = ask(staff)
    assert ask(staff).pk == first.pk  # a reload, a double click
    assert sample.renders == 1
    assert ask(staff, pk=2).pk != first.pk  # another document
    assert ask(head).pk != first.pk  # another person
    sample.version = "v2"  # the document changed
    changed = ask(staff)
    assert changed.pk != first.pk and changed.version == "v2"
    # Past the reuse window: a new job, even unchanged.
    RenderJob.objects.filter(pk=changed.pk).update(
        created_at=timezone.now() - REUSE_WITHIN - datetime.timedelta(seconds=1)
    )
    assert ask(staff).pk != changed.pk
    # A queued one is reused too (the same progress page), and "fresh" asks anew.
    queued = RenderJob.objects.create(
        renderer=NAME, key='{"pk": 9}', version="v2", title="x", requested_by=staff
    )
    with eager_worker():
        assert render_job_request(user=staff, renderer=NAME, arguments={"pk": 9}).pk == queued.pk
    assert ask(staff, pk=9, fresh=True).pk != queued.pk


def test_the_pdf_address_of_a_reused_job_leads_to_the_same_page(sample, staff, monkeypatch):
    from core import render_views

    request = SimpleNamespace(user=staff)
    with eager_worker():
        first = render_views.pdf_in_background(request, NAME, pk=3)
        second = render_views.pdf_in_background(request, NAME, pk=3)
    assert first.status_code == 302 and first.url == second.url
    assert RenderJob.objects.count() == 1


# The progress page -----------------------------------------------------------------------------


def test_the_progress_page_polls_until_ready_then_offers_the_download(sample, staff, monkeypatch):
    monkeypatch.setattr(render_jobs, "_send", lambda job_id: None)
    client = client_of(staff)
    job = render_job_request(user=staff, renderer=NAME, arguments={"pk": 5})
    page = client.get(job.get_absolute_url()).content.decode()
    progress = reverse("files:progress", args=[job.pk])
    assert f'hx-get="{progress}"' in page  # htmx asks again; without JavaScript, a link
    assert (
        f'<noscript><a class="btn btn-outline-primary mt-3" href="{job.get_absolute_url()}"' in page
    )
    assert "ตัวอย่าง 5" in page and 'href="/back/"' in page and "js/render_job.js" in page
    assert 'aria-valuenow="0"' in page
    render_job_run(job_id=job.pk)
    part = client.get(progress).content.decode()
    assert 'id="render-progress"' in part and "<html" not in part
    assert "hx-get" not in part and "data-render-ready" in part
    assert reverse("files:download", args=[job.pk]) in part and "sample-5.pdf" in part
    done = client.get(job.get_absolute_url()).content.decode()
    assert "<noscript>" not in done and "btn-lg" in done


# The passes --------------------------------------------------------------------------------------


def test_jobs_a_lost_message_left_queued_are_sent_again(sample, staff, monkeypatch):
    sent: list[int] = []
    monkeypatch.setattr(render_jobs, "_send", sent.append)
    now = timezone.now()
    fresh = RenderJob.objects.create(renderer=NAME, key="{}", title="x", requested_by=staff)
    stale = RenderJob.objects.create(
        renderer=NAME, key="{}", title="x", requested_by=staff, queued_at=now - STALLED_AFTER
    )
    assert render_jobs_requeue(now=now) == 1 and sent == [stale.pk]
    stale.refresh_from_db()
    assert stale.queued_at == now  # not again at the next pass, two minutes later at most
    assert render_jobs_requeue(now=now + datetime.timedelta(seconds=30)) == 0
    later = now + STALLED_AFTER + datetime.timedelta(seconds=1)
    assert render_jobs_requeue(now=later) == 2 and sorted(sent[1:]) == sorted([stale.pk, fresh.pk])


def test_a_job_whose_worker_died_is_run_again_then_given_up(sample, staff, monkeypatch):
    sent: list[int] = []
    monkeypatch.setattr(render_jobs, "_send", sent.append)
    now = timezone.now()
    dead = now - LOST_AFTER - datetime.timedelta(seconds=1)
    running = dict(status=RenderJob.Status.RUNNING, heartbeat_at=dead, progress=35)
    lost = RenderJob.objects.create(
        renderer=NAME,
        arguments={"pk": 1},
        key="{}",
        title="x",
        requested_by=staff,
        attempts=1,
        **running,
    )
    alive = RenderJob.objects.create(
        renderer=NAME,
        key="{}",
        title="x",
        requested_by=staff,
        attempts=1,
        status=RenderJob.Status.RUNNING,
        heartbeat_at=now,
    )
    worn = RenderJob.objects.create(
        renderer=NAME, key="{}", title="x", requested_by=staff, attempts=MAX_ATTEMPTS, **running
    )
    assert render_jobs_requeue(now=now) == 1 and sent == [lost.pk]
    lost.refresh_from_db()
    assert (lost.status, lost.progress, lost.phase) == ("queued", 0, "waiting")
    alive.refresh_from_db()
    assert alive.status == "running"
    worn.refresh_from_db()
    assert (worn.status, worn.error) == ("failed", GAVE_UP_TEXT)
    assert render_job_run(job_id=lost.pk) == "done"


def test_a_broker_outage_leaves_the_job_queued_for_the_pass(sample, staff, monkeypatch, caplog):
    def down(job_id):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.render_job_task, "delay", down)
    with eager_worker():
        job = render_job_request(user=staff, renderer=NAME, arguments={"pk": 1})
    job.refresh_from_db()
    assert job.status == RenderJob.Status.QUEUED and "waits for the next pass" in caplog.text
    monkeypatch.undo()
    with eager_worker():
        assert render_jobs_requeue(now=timezone.now() + STALLED_AFTER) == 1
    job.refresh_from_db()
    assert job.status == RenderJob.Status.DONE


def test_old_files_are_removed_with_their_jobs(sample, staff):
    old, recent = ask(staff, pk=1), ask(staff, pk=2)
    failed = RenderJob.objects.create(
        renderer=NAME,
        key="{}",
        title="x",
        requested_by=staff,
        status="failed",
        finished_at=timezone.now() - KEEP_FOR - datetime.timedelta(minutes=1),
    )
    abandoned = RenderJob.objects.create(
        renderer=NAME,
        key="{}",
        title="x",
        requested_by=staff,
        created_at=timezone.now() - datetime.timedelta(days=8),
    )
    RenderJob.objects.filter(pk=old.pk).update(
        finished_at=timezone.now() - KEEP_FOR - datetime.timedelta(minutes=1)
    )
    assert render_jobs_clean() == 3
    assert not default_storage.exists(old.file.name)
    assert default_storage.exists(recent.file.name)
    assert list(RenderJob.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not RenderJob.objects.filter(pk__in=[failed.pk, abandoned.pk]).exists()
    assert render_jobs_clean() == 0


def test_a_file_the_store_refuses_to_remove_does_not_stop_the_clean_up(
    sample, staff, monkeypatch, caplog
):
    job = ask(staff)
    RenderJob.objects.filter(pk=job.pk).update(finished_at=timezone.now() - KEEP_FOR * 2)

    def refuse(name):
        raise PermissionError(name)

    monkeypatch.setattr(default_storage, "delete", refuse)
    assert render_jobs_clean() == 1 and "Could not remove" in caplog.text


def test_the_celery_tasks_call_the_services(sample, staff, monkeypatch):
    job = RenderJob.objects.create(
        renderer=NAME, key='{"pk": 1}', arguments={"pk": 1}, title="x", requested_by=staff
    )
    assert tasks.render_job_task(job.pk) == "done"
    assert tasks.requeue_stalled_renders_task() == 0
    RenderJob.objects.update(finished_at=timezone.now() - KEEP_FOR * 2)
    assert tasks.clean_render_jobs_task() == 1


# Pieces ------------------------------------------------------------------------------------------


def test_rendering_reports_its_two_long_phases_to_a_listener():
    heard: list[str] = []
    with pdf.phases_reported_to(heard.append):
        data = pdf.render_pdf("reports/pdf/base.html", {})
    assert data.startswith(b"%PDF") and heard == ["layout", "writing"]
    pdf.render_pdf("reports/pdf/base.html", {})  # outside a job: nobody listens
    assert heard == ["layout", "writing"]


def test_a_fingerprint_is_stable_and_short():
    assert digest(1, "ก", [datetime.date(2026, 1, 1)]) == digest(
        1, "ก", [datetime.date(2026, 1, 1)]
    )
    assert digest(1) != digest(2) and len(digest({"a": 1})) == 40


def test_rows_give_every_stored_value_in_a_stable_order(staff, head):
    from accounts.models import User

    users = User.objects.filter(pk__in=[head.pk, staff.pk])
    found = rows(users)
    assert [row[0] for row in found] == sorted([staff.pk, head.pk])
    assert len(found[0]) == len(User._meta.concrete_fields)
    before = digest(rows(users))
    User.objects.filter(pk=staff.pk).update(first_name="เปลี่ยน")
    assert digest(rows(users)) != before


def test_every_app_registers_its_pdfs():
    assert set(render_jobs.registered_renderers()) >= {
        "dmc_emis.round_summary",
        "documents.memo_draft",
        "equipment_loans.slip",
        "minutes.meeting",
        "reports.dossier",
        "trainings.certificate",
        "workplans.budget",
        "workplans.plan",
        "workplans.spec_draft",
        "workplans.year_end",
    }
