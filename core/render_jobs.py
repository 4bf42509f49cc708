"""Documents a person waits for (PDFs), rendered by a Celery worker with their progress, never
in the web request.

Each app registers its renderers here, from a module its AppConfig.ready() imports::

    # minutes/pdf.py
    from core.render_jobs import digest, register_renderer, rows

    register_renderer(
        "minutes.meeting",
        access=lambda user, args: get_meeting_for_user(user, args["pk"]),  # 404/403 itself
        render=lambda meeting, args: (minutes_pdf(meeting), f"minutes-{meeting.pk}.pdf"),
        title=lambda meeting: f"รายงานการประชุม {meeting.title}",
        # What the document prints: when it changes, a new job (see `digest`).
        version=lambda meeting: digest(rows(meeting.attendees.all()), rows(meeting.items.all())),
    )

and its view only asks for the job: ``return pdf_in_background(request, "minutes.meeting",
pk=pk)`` (core.render_views). That checks access at once (a person without it gets the 403 or
404 of the app's access helper), reuses this person's job for the same document when one was
asked for less than `REUSE_WITHIN` ago and the object's fingerprint (`version`) is unchanged,
or creates one and queues it once the transaction commits; then it sends the person to the
job's progress page (core/templates/core/render_job.html), which htmx polls until the file is
ready and then downloads it.

The worker (`render_job_run`) claims a queued job, checks access again as the person who asked,
renders (core.pdf reports when WeasyPrint starts laying out and writing, the job's phases) and
hands the file to the storage only when it is complete; a failure ends the job FAILED with a
Thai message and nothing stored. The download checks access a third time. Jobs a broker outage
left queued, or whose worker died, are queued again by `render_jobs_requeue` (every two
minutes, on the beat); finished files are removed after `KEEP_FOR` by `render_jobs_clean`.
Imports no app of the project.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone, translation

from core import pdf
from core.models import RenderJob

logger = logging.getLogger(__name__)

# Asking again within this time for an unchanged document gives the same job (a double click,
# a reload, a second look a few minutes later).
REUSE_WITHIN = datetime.timedelta(minutes=10)
# Queued this long without a worker taking it: the message was lost (broker down); send again.
STALLED_AFTER = datetime.timedelta(minutes=2)
# Running this long without progress: its worker died (longer than CELERY_TASK_TIME_LIMIT).
LOST_AFTER = datetime.timedelta(minutes=20)
MAX_ATTEMPTS = 3
# Finished files stay downloadable from their progress page this long.
KEEP_FOR = datetime.timedelta(hours=24)
# Never finished (a broker down for days): removed after this.
ABANDONED_AFTER = datetime.timedelta(days=7)

PHASE_PERCENT = {
    RenderJob.Phase.WAITING: 0,
    RenderJob.Phase.GATHERING: 10,
    RenderJob.Phase.LAYOUT: 35,
    RenderJob.Phase.WRITING: 85,
    RenderJob.Phase.STORING: 95,
    RenderJob.Phase.FINISHED: 100,
}

# Shown to the person on the progress page; stored on the job in Thai, the portal's language.
FAILED_TEXT = "สร้างเอกสารไม่สำเร็จ โปรดกด “สร้างใหม่อีกครั้ง” หากยังไม่สำเร็จโปรดแจ้งผู้ดูแลระบบ"
NO_ACCESS_TEXT = "คุณไม่มีสิทธิ์ดูเอกสารนี้แล้ว หรือเอกสารนี้ไม่มีอยู่แล้ว"
UNKNOWN_TEXT = "ระบบไม่รู้จักเอกสารชนิดนี้แล้ว"
GAVE_UP_TEXT = "ระบบพยายามสร้างเอกสารนี้หลายครั้งแต่ไม่สำเร็จ โปรดกด “สร้างใหม่อีกครั้ง”"


# THE REGISTRY
# ------------------------------------------------------------------------------


class UnknownRendererError(LookupError):
    """No installed app registered a renderer under this name."""


@dataclass(frozen=True)
class Renderer:
    """How one kind of document is checked, described and rendered.

    `access(user, arguments)` returns the object the document is of, or raises PermissionDenied
    or Http404 (the app's own access helper); `render(object, arguments)` returns the file's
    bytes and download name; `title(object)` names the document on the progress page (Thai);
    `version(object)` is a cheap fingerprint of what the document prints (see `digest`): a job
    is reused only while it is the same; `back_url(object)` is where the progress page links
    back to (default: the object's own page).
    """

    name: str
    access: Callable[[Any, dict[str, Any]], Any]
    render: Callable[[Any, dict[str, Any]], tuple[bytes, str]]
    title: Callable[[Any], str]
    version: Callable[[Any], str] | None = None
    back_url: Callable[[Any], str] | None = None

    def fingerprint(self, target: Any) -> str:
        return self.version(target) if self.version is not None else ""

    def link_back(self, target: Any) -> str:
        if self.back_url is not None:
            return self.back_url(target)
        get_url = getattr(target, "get_absolute_url", None)
        return str(get_url()) if callable(get_url) else ""


_renderers: dict[str, Renderer] = {}


def register_renderer(
    name: str,
    *,
    access: Callable[[Any, dict[str, Any]], Any],
    render: Callable[[Any, dict[str, Any]], tuple[bytes, str]],
    title: Callable[[Any], str],
    version: Callable[[Any], str] | None = None,
    back_url: Callable[[Any], str] | None = None,
) -> None:
    """Called at an app's start; registering a name again replaces it (a reload)."""
    _renderers[name] = Renderer(name, access, render, title, version, back_url)


def renderer_for(name: str) -> Renderer:
    try:
        return _renderers[name]
    except KeyError:
        raise UnknownRendererError(name) from None


def registered_renderers() -> list[str]:
    return sorted(_renderers)


def digest(*parts: object) -> str:
    """A short fingerprint of `parts` (field values, counts, timestamps, `rows(queryset)`):
    equal parts, equal fingerprint."""
    text = json.dumps(parts, default=str, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:40]


def rows(queryset: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """Every stored value of the queryset's rows, in a stable order: a part of a fingerprint."""
    fields = [field.attname for field in queryset.model._meta.concrete_fields]
    return list(queryset.order_by("pk").values_list(*fields))


def _key(arguments: dict[str, Any]) -> str:
    return json.dumps(arguments, sort_keys=True, default=str)[:255]


# ASKING FOR A DOCUMENT
# ------------------------------------------------------------------------------


def render_job_request(
    *, user: Any, renderer: str, arguments: dict[str, Any], fresh: bool = False
) -> RenderJob:
    """The job that will give `user` the document: this person's recent one for the same
    unchanged document (unless `fresh`), or a new one queued once the transaction commits.
    Raises the renderer's PermissionDenied or Http404 (Http404 for an unknown renderer)."""
    try:
        spec = renderer_for(renderer)
    except UnknownRendererError:
        raise Http404 from None
    target = spec.access(user, arguments)
    key = _key(arguments)
    version = spec.fingerprint(target)[:64]
    if not fresh:
        recent = (
            RenderJob.objects.filter(
                requested_by=user,
                renderer=renderer,
                key=key,
                version=version,
                created_at__gte=timezone.now() - REUSE_WITHIN,
            )
            .exclude(status=RenderJob.Status.FAILED)
            .first()
        )
        if recent is not None:
            return recent
    with transaction.atomic():
        job = RenderJob.objects.create(
            renderer=renderer,
            arguments=arguments,
            key=key,
            version=version,
            title=str(spec.title(target))[:255],
            back_url=spec.link_back(target)[:500],
            requested_by=user,
        )
        transaction.on_commit(lambda: _send(job.pk))
    return job


def _send(job_id: int) -> None:
    from core.tasks import render_job_task

    try:
        render_job_task.delay(job_id)
    except Exception:  # any broker failure: the job waits, queued, for the requeue pass
        logger.warning("Broker unavailable; render job %s waits for the next pass.", job_id)


def get_render_job_for_user(user: Any, pk: int) -> RenderJob:
    """A job is its requester's alone: anyone else is told it does not exist."""
    job = RenderJob.objects.filter(pk=pk, requested_by_id=user.pk).first()
    if job is None:
        raise Http404
    return job


def check_download(job: RenderJob, user: Any) -> None:
    """Access again at download: the person may have lost it since the file was made."""
    if not job.is_ready:
        raise Http404
    try:
        spec = renderer_for(job.renderer)
    except UnknownRendererError:
        raise Http404 from None
    spec.access(user, job.arguments)


# RENDERING (in the worker)
# ------------------------------------------------------------------------------


def _at_phase(job_id: int, phase: str) -> None:
    percent = PHASE_PERCENT[RenderJob.Phase(phase)]
    RenderJob.objects.filter(pk=job_id, progress__lte=percent).update(
        phase=phase, progress=percent, heartbeat_at=timezone.now()
    )


def _fail(job_id: int, text: str) -> str:
    RenderJob.objects.filter(pk=job_id).update(
        status=RenderJob.Status.FAILED,
        phase=RenderJob.Phase.FINISHED,
        error=text,
        finished_at=timezone.now(),
    )
    return str(RenderJob.Status.FAILED)


def _store(job: RenderJob, data: bytes, filename: str) -> str:
    """Hand the complete file to the storage under the job's own folder. A run that died after
    storing but before saying so left a file there: replaced, not kept beside it."""
    name = f"renders/{job.pk}/{filename}"
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(data))


def render_job_run(*, job_id: int) -> str:
    """Render one queued job. Idempotent: only a queued job is claimed, so a message delivered
    twice (or sent again by the requeue pass) renders it once."""
    now = timezone.now()
    claimed = RenderJob.objects.filter(pk=job_id, status=RenderJob.Status.QUEUED).update(
        status=RenderJob.Status.RUNNING,
        phase=RenderJob.Phase.GATHERING,
        progress=PHASE_PERCENT[RenderJob.Phase.GATHERING],
        attempts=F("attempts") + 1,
        started_at=now,
        heartbeat_at=now,
    )
    if not claimed:
        return "skipped"
    job = RenderJob.objects.select_related("requested_by").get(pk=job_id)
    with translation.override("th"):
        try:
            spec = renderer_for(job.renderer)
            if not job.requested_by.is_active:
                raise PermissionDenied
            target = spec.access(job.requested_by, job.arguments)
            with pdf.phases_reported_to(lambda phase: _at_phase(job_id, phase)):
                data, filename = spec.render(target, job.arguments)
            _at_phase(job_id, RenderJob.Phase.STORING)
            stored = _store(job, data, filename)
        except UnknownRendererError:
            return _fail(job_id, UNKNOWN_TEXT)
        except (PermissionDenied, Http404):
            return _fail(job_id, NO_ACCESS_TEXT)
        except Exception:
            logger.exception("Render job %s (%s) failed", job_id, job.renderer)
            return _fail(job_id, FAILED_TEXT)
    RenderJob.objects.filter(pk=job_id).update(
        status=RenderJob.Status.DONE,
        phase=RenderJob.Phase.FINISHED,
        progress=100,
        file=stored,
        filename=filename,
        size=len(data),
        error="",
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )
    return str(RenderJob.Status.DONE)


# THE PERIODIC PASSES
# ------------------------------------------------------------------------------


def render_jobs_requeue(*, now: datetime.datetime | None = None) -> int:
    """Send again the jobs a lost message left queued, and those whose worker died while
    rendering (given up after MAX_ATTEMPTS). Answers how many were sent."""
    now = now or timezone.now()
    lost = RenderJob.objects.filter(
        status=RenderJob.Status.RUNNING, heartbeat_at__lt=now - LOST_AFTER
    )
    lost.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=RenderJob.Status.FAILED,
        phase=RenderJob.Phase.FINISHED,
        error=GAVE_UP_TEXT,
        finished_at=now,
    )
    lost.update(
        status=RenderJob.Status.QUEUED,
        phase=RenderJob.Phase.WAITING,
        progress=0,
        queued_at=now - STALLED_AFTER,
    )
    waiting = list(
        RenderJob.objects.filter(
            status=RenderJob.Status.QUEUED, queued_at__lte=now - STALLED_AFTER
        ).values_list("pk", flat=True)[:1000]
    )
    RenderJob.objects.filter(pk__in=waiting).update(queued_at=now)
    for job_id in waiting:
        _send(job_id)
    return len(waiting)


def render_jobs_clean(*, now: datetime.datetime | None = None) -> int:
    """Remove the files and rows of jobs finished more than KEEP_FOR ago (and of jobs that
    never finished in ABANDONED_AFTER). Answers how many jobs were removed."""
    now = now or timezone.now()
    old = RenderJob.objects.filter(
        Q(finished_at__lt=now - KEEP_FOR) | Q(created_at__lt=now - ABANDONED_AFTER)
    )
    removed = 0
    while batch := list(old.only("pk", "file")[:500]):
        for job in batch:
            if job.file.name:
                try:
                    default_storage.delete(job.file.name)
                except OSError:  # the store refused: the row goes anyway, the file is logged
                    logger.warning("Could not remove %s of render job %s", job.file.name, job.pk)
        removed += RenderJob.objects.filter(pk__in=[job.pk for job in batch]).delete()[0]
    return removed
