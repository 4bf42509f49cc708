"""Reads of the reports app: who may have which document, and what a dossier shows (the
official memo is the documents app's)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Office, RoleCode, User
from accounts.selectors import authority_for
from core.registry import case_section_providers
from documents.memo import SignatureBlock, signature_for
from processes.models import Case, CaseEvent, StepKind, Task, TaskAttachment
from processes.selectors import Submission, submissions_for
from reports.models import ReportJob

# Who may have the office's yearly reports; export packs (every row of the year) are admins'.
REPORT_ROLES = (RoleCode.ADMIN, RoleCode.DIRECTOR, RoleCode.GROUP_HEAD)


def _holds_any(user: User, roles) -> bool:
    return any(authority_for(user, role) is not None for role in roles)


def can_request_kind(user: User, kind: str) -> bool:
    """May `user` ask for (and download) this kind of report of their own office?"""
    if user.is_superuser:
        return True
    if not user.office_id or user.is_school_side:
        return False
    if kind == ReportJob.Kind.EXPORT_PACK:
        return _holds_any(user, [RoleCode.ADMIN])
    return _holds_any(user, REPORT_ROLES)


def jobs_visible_to(user: User) -> QuerySet[ReportJob]:
    """The office's jobs of the kinds the user may have; nothing for school people."""
    jobs = ReportJob.objects.select_related("office", "requested_by")
    if user.is_superuser:
        return jobs
    if not user.office_id or user.is_school_side:
        return jobs.none()
    kinds = [kind for kind in ReportJob.Kind.values if can_request_kind(user, kind)]
    return jobs.filter(office_id=user.office_id, kind__in=kinds)


def get_job_for_user(user: User, pk: int) -> ReportJob:
    """The job; 404 when it is another office's (or the user is school side), 403 when it is
    the user's office's but of a kind their role may not have."""
    job = get_object_or_404(ReportJob.objects.select_related("office", "requested_by"), pk=pk)
    if not user.is_superuser and (user.is_school_side or job.office_id != user.office_id):
        raise Http404
    if not can_request_kind(user, job.kind):
        raise PermissionDenied
    return job


def office_for(user: User) -> Office | None:
    return user.office


# ---------------------------------------------------------------------------------------------
# Case dossier
# ---------------------------------------------------------------------------------------------


@dataclass
class Dossier:
    case: Case
    tasks: list[Task]
    events: list[CaseEvent]
    submissions: list[Submission]
    attachments: list[TaskAttachment]
    signatures: dict[int, SignatureBlock]
    on_time: dict[int, bool | None]
    sections: list = field(default_factory=list)  # registry.Section of apps with records here


def build_dossier(case: Case) -> Dossier:
    tasks = list(
        case.tasks.select_related("step", "assignee", "finished_by", "acting_for").order_by(
            "started_at", "pk"
        )
    )
    on_time: dict[int, bool | None] = {}
    for task in tasks:
        if task.finished_at and task.due_on and task.step.kind != StepKind.WAIT_UNTIL:
            on_time[task.pk] = timezone.localdate(task.finished_at) <= task.due_on
        else:
            on_time[task.pk] = None
    events = list(
        case.events.select_related("actor", "acting_for", "from_step", "to_step").order_by(
            "at", "pk"
        )
    )
    attachments = list(
        TaskAttachment.objects.filter(task__case=case)
        .select_related("task__step", "uploaded_by")
        .order_by("uploaded_at", "pk")
    )
    return Dossier(
        case=case,
        tasks=tasks,
        events=events,
        submissions=submissions_for([case])[case.pk],
        attachments=attachments,
        signatures={
            t.pk: s for t in tasks if t.acting_for_id and (s := signature_for(t, case)) is not None
        },
        on_time=on_time,
        sections=[
            section
            for _key, provider in case_section_providers()
            if (section := provider(case)) is not None
        ],
    )


def approval_tasks_of(case: Case) -> list[Task]:
    """The tasks of a case that put something to a decider, oldest first: each has a memo (an
    approval's proposal, or a report the director acknowledges)."""
    return list(
        case.tasks.filter(step__kind__in=[StepKind.APPROVAL, StepKind.ACKNOWLEDGE])
        .select_related("step")
        .order_by("started_at", "pk")
    )


# ---------------------------------------------------------------------------------------------
# Yearly report: the years with data, the texts people write, the problems the cases recorded
# ---------------------------------------------------------------------------------------------

# Form fields of the catalogue's evaluation and summary steps where staff write problems and
# suggestions ("ปัญหา อุปสรรค และข้อเสนอแนะ", "ข้อเสนอแนะในการปรับปรุงพัฒนา", ...).
REMARK_FIELDS = ("problems", "suggestions", "feedback")
MAX_REMARKS = 60


def case_counts_by_year(office_id: int | None) -> dict[int, int]:
    """Cases per fiscal year of the office: which years have data."""
    if office_id is None:
        return {}
    rows = (
        Case.objects.filter(office_id=office_id)
        .order_by()
        .values_list("fiscal_year")
        .annotate(n=models.Count("pk"))
    )
    return dict(rows)


def can_edit_report_text(user: User) -> bool:
    """The group head (or whoever acts for them) writes the report's foreword and texts."""
    if not user.office_id or user.is_school_side:
        return False
    return authority_for(user, RoleCode.GROUP_HEAD) is not None


def evaluation_remarks(office: Office, fiscal_year: int) -> list[tuple[str, str]]:
    """(process title, text) of the problems and suggestions the year's cases recorded in
    their evaluation steps, oldest first, each text once."""
    tasks = (
        Task.objects.filter(
            case__office=office, case__fiscal_year=fiscal_year, status=Task.Status.DONE
        )
        .filter(models.Q(*[("data__has_key", key) for key in REMARK_FIELDS], _connector="OR"))
        .order_by("finished_at", "pk")
        .values_list("case__version__definition__title_th", "data")
    )
    seen = set()
    remarks = []
    for title, data in tasks.iterator(chunk_size=2000):
        for key in REMARK_FIELDS:
            text = " ".join(str(data.get(key) or "").split())
            if text and text not in seen:
                seen.add(text)
                remarks.append((title, text))
        if len(remarks) >= MAX_REMARKS:
            break
    return remarks[:MAX_REMARKS]
