"""Reads of the reports app: who may have which document, and what a memo or dossier shows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Delegation, Office, RoleCode, User
from accounts.selectors import authority_for
from processes.models import Case, CaseEvent, Responsible, StepKind, Task, TaskAttachment
from processes.selectors import Submission, get_case_for_user, submissions_for
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
# Official memo (บันทึกข้อความ) of an approval request
# ---------------------------------------------------------------------------------------------

ACTING_WORDS = {
    Delegation.Kind.ACTING: "รักษาราชการแทน",
    Delegation.Kind.ON_BEHALF: "ปฏิบัติราชการแทน",
}


def role_title(role: str, case: Case) -> str:
    """How a memo names the holder of `role` for this case's office (เรียน …, signature)."""
    office = case.office
    if role == Responsible.DIRECTOR:
        return f"ผู้อำนวยการ{office.name_th}"
    if role == Responsible.DEPUTY_DIRECTOR:
        return f"รองผู้อำนวยการ{office.name_th}"
    if role == Responsible.GROUP_HEAD:
        return f"ผู้อำนวยการ{office.ict_group_name}"
    if role == Responsible.SCHOOL_DIRECTOR and case.school:
        return f"ผู้อำนวยการ{case.school.name_th}"
    if role in Responsible.values:
        return str(Responsible(role).label)
    return role


@dataclass
class SignatureBlock:
    """A typed-name signature: name, position, date; and the acting line when it applies."""

    name: str
    position: str
    date: datetime.datetime | None = None
    acting_words: str = ""  # รักษาราชการแทน / ปฏิบัติราชการแทน
    acting_for_title: str = ""
    order_number: str = ""


@dataclass
class DecisionBlock:
    task: Task
    level: int
    addressed_to: str
    outcome: str = ""
    outcome_label: str = ""
    comment: str = ""
    signature: SignatureBlock | None = None

    @property
    def is_decided(self) -> bool:
        return bool(self.outcome)


@dataclass
class Memo:
    case: Case
    task: Task
    office: Office
    department: str
    number: str
    date: datetime.datetime
    subject: str
    addressed_to: str
    requester: User
    submissions: list[Submission]
    proposal: str
    proposer: SignatureBlock
    decisions: list[DecisionBlock] = field(default_factory=list)


def _delegation_for(task: Task) -> Delegation | None:
    """The acting order under which `task` was decided (also if revoked since)."""
    if not (task.acting_for_id and task.finished_by_id and task.finished_at):
        return None
    day = timezone.localdate(task.finished_at)
    return (
        Delegation.objects.filter(
            principal_id=task.acting_for_id,
            delegate_id=task.finished_by_id,
            role__code=task.role,
            starts_on__lte=day,
            ends_on__gte=day,
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def signature_for(task: Task, case: Case) -> SignatureBlock | None:
    if task.finished_by is None:
        return None
    signer = task.finished_by
    block = SignatureBlock(
        name=signer.display_name,
        position=signer.position or role_title(task.role, case),
        date=task.finished_at,
    )
    if task.acting_for_id:
        delegation = _delegation_for(task)
        kind = delegation.kind if delegation else Delegation.Kind.ACTING
        block.acting_words = ACTING_WORDS[kind]
        block.acting_for_title = role_title(task.role, case)
        block.order_number = delegation.order_number if delegation else ""
    return block


def approval_round(task: Task) -> list[Task]:
    """The levels of the approval request `task` belongs to: the run of tasks of its step
    that starts at level 0 at or before it and climbs level by level."""
    tasks = list(
        Task.objects.filter(case_id=task.case_id, step_id=task.step_id)
        .select_related("finished_by", "acting_for", "step")
        .order_by("started_at", "pk")
    )
    index = next(i for i, t in enumerate(tasks) if t.pk == task.pk)
    start = index
    while start > 0 and tasks[start].level > 0:
        start -= 1
    round_tasks = [tasks[start]]
    for t in tasks[start + 1 :]:
        if t.level == 0:
            break
        round_tasks.append(t)
    return round_tasks


def _proposer(case: Case, before: datetime.datetime) -> SignatureBlock:
    """Who put the request forward: the last person to finish a work step before the
    approval was asked for; the requester when nobody did."""
    last = (
        Task.objects.filter(
            case=case,
            status=Task.Status.DONE,
            finished_at__lte=before,
            finished_by__isnull=False,
            step__kind=StepKind.TASK,
        )
        .select_related("finished_by")
        .order_by("-finished_at", "-pk")
        .first()
    )
    person = last.finished_by if last else case.requester
    return SignatureBlock(
        name=person.display_name,
        position=person.position or (role_title(last.role, case) if last else ""),
        date=last.finished_at if last else case.started_at,
    )


def memo_for_user(user: User, task_pk: int) -> Memo:
    """The memo of an approval task the user may see (404 otherwise, or if not an approval)."""
    task = get_object_or_404(
        Task.objects.select_related("case", "step", "finished_by", "acting_for"), pk=task_pk
    )
    case = get_case_for_user(user, task.case.reference)
    if task.step.kind != StepKind.APPROVAL:
        raise Http404
    return build_memo(case, task)


def build_memo(case: Case, task: Task) -> Memo:
    levels = approval_round(task)
    first = levels[0]
    chain = task.step.chain_for(case)
    final_role = chain[-1] if chain else task.role
    submissions = [
        s
        for s in submissions_for([case])[case.pk]
        if s.task.finished_at and s.task.finished_at <= first.started_at and s.fields
    ]
    decisions = []
    for t in levels:
        decisions.append(
            DecisionBlock(
                task=t,
                level=t.level + 1,
                addressed_to=role_title(t.role, case),
                outcome=t.outcome,
                outcome_label=str(t.outcome_label),
                comment=t.comment,
                signature=signature_for(t, case),
            )
        )
    department = " ".join(
        part for part in (case.office.ict_group_name, case.office.name_th) if part
    )
    if case.office.phone:
        department += f" โทร. {case.office.phone}"
    return Memo(
        case=case,
        task=task,
        office=case.office,
        department=department,
        number=case.reference,
        date=first.started_at,
        subject=f"{task.step.name_th} — {case.title}",
        addressed_to=role_title(final_role, case),
        requester=case.requester,
        submissions=submissions,
        proposal=f"จึงเรียนมาเพื่อโปรดพิจารณา{task.step.name_th}",
        proposer=_proposer(case, first.started_at),
        decisions=decisions,
    )


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


def dossier_for_user(user: User, reference: str) -> Dossier:
    return build_dossier(get_case_for_user(user, reference))


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
    )


def approval_tasks_of(case: Case) -> list[Task]:
    """The approval tasks of a case, oldest first: each has a memo."""
    return list(
        case.tasks.filter(step__kind=StepKind.APPROVAL)
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
