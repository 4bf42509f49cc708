"""Screens of the engine: my tasks, the approval inbox, a case, the process catalogue."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from itertools import groupby
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case as SqlCase
from django.db.models import IntegerField, QuerySet, Value, When
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from accounts.selectors import Authority
from core.pagination import ListPage
from core.params import int_param
from core.thaitime import next_working_day
from processes.designer import can_design
from processes.flowchart import render_flowchart_svg
from processes.form_schema import field_label, is_signature
from processes.forms import AssignForm, CaseStartForm, DecisionForm
from processes.models import (
    Area,
    Case,
    DefinitionVersion,
    DueState,
    Outcome,
    ProcessDefinition,
    StepDefinition,
    StepKind,
    Task,
    TaskAttachment,
    TimeModel,
)
from processes.selectors import (
    LIST_ROW_DEFERRED,
    Arrival,
    TasksWithArrival,
    approvals_for,
    can_assign,
    case_timeline,
    for_list_rows,
    get_case_for_user,
    open_tasks_for,
    submissions_for,
    task_authority,
    task_holders,
)
from processes.services import (
    TaskAlreadyDecided,
    case_start,
    task_assign,
    task_complete,
    task_pause,
    task_resume,
    task_set_activities,
    tasks_acknowledge,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

RETURNED_FILTER = "returned"
# The inbox reads the step's form (for signatures), so only the case's and the process's
# long texts stay behind.
INBOX_DEFERRED = tuple(
    name for name in LIST_ROW_DEFERRED if not name.startswith(("step__", "data", "comment"))
)

SORTS = {
    "due": ("due_on", "pk"),
    "new": ("-started_at", "-pk"),
    "process": ("step__version__definition__code", "due_on"),
}


class _Ranked(Arrival):
    overdue_rank: int  # 0 for overdue tasks (not paused), 1 for the rest


def _with_overdue_first(
    tasks: TasksWithArrival, today: datetime.date
) -> QuerySet[WithAnnotations[Task, _Ranked]]:
    return tasks.annotate(
        overdue_rank=SqlCase(
            When(due_on__lt=today, paused_at__isnull=True, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    )


def my_tasks_filtered(
    user: User, params: Mapping[str, str]
) -> QuerySet[WithAnnotations[Task, _Ranked]]:
    """The open tasks of `user` with the list's filters and sort (GET params) applied; the
    list page and its spreadsheet export share it, so an export holds what the page shows."""
    today = timezone.localdate()
    tasks = _with_overdue_first(open_tasks_for(user), today)
    process = params.get("process", "")
    if process:
        tasks = tasks.filter(case__version__definition__code=process)
    state = params.get("state", "")
    if state == "overdue":
        tasks = tasks.filter(due_on__lt=today, paused_at__isnull=True)
    elif state == "due_soon":
        tasks = tasks.filter(due_on__gte=today, due_on__lte=next_working_day(today))
    elif state == "paused":
        tasks = tasks.filter(paused_at__isnull=False)
    elif state == RETURNED_FILTER:
        tasks = tasks.filter(arrived_by=Outcome.RETURN)
    sort = params.get("sort", "due")
    return tasks.order_by("overdue_rank", *SORTS.get(sort, SORTS["due"]))


@login_required
def my_tasks(request: AuthenticatedHttpRequest) -> HttpResponse:
    # A busy group can hold thousands of open tasks; the page shows the most urgent first
    # and counts no further than it must (core.pagination).
    page: ListPage[Task] = ListPage(
        for_list_rows(my_tasks_filtered(request.user, request.GET)), request.GET.get("page")
    )
    process = request.GET.get("process", "")
    state = request.GET.get("state", "")
    sort = request.GET.get("sort", "due")
    definitions = ProcessDefinition.objects.filter(is_active=True).only(
        "code", "title_th", "title_en"
    )
    return render(
        request,
        "processes/my_tasks.html",
        {
            "page": page,
            "tasks": page.object_list,
            "definitions": definitions,
            "process": process,
            "state": state,
            # Work sent back for revision is one more way to narrow the list.
            "due_states": [
                *DueState.filter_choices(),
                (RETURNED_FILTER, _("Returned for revision")),
            ],
            "sort": sort,
            "today": timezone.localdate(),
        },
    )


INBOX_PAGE = 25


@login_required
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    # A page at a time, oldest due first: a director's inbox at a busy office holds hundreds
    # of decisions, each with its submissions and its own form.
    approvals = approvals_for(request.user).select_related("case__requester")
    page: ListPage[Task] = ListPage(
        approvals.defer(*INBOX_DEFERRED), request.GET.get("page"), per_page=INBOX_PAGE
    )
    tasks = list(page)
    submissions = submissions_for(task.case for task in tasks)
    items = [
        {
            "task": task,
            "submissions": submissions[task.case_id],
            # The one-click form asks for a typed-name signature where the step has one.
            "signatures": [
                {"name": spec["name"], "label": field_label(spec)}
                for spec in task.step.form_schema
                if is_signature(spec)
            ],
        }
        for task in tasks
    ]
    acknowledgements = sum(task.step.kind == StepKind.ACKNOWLEDGE for task in tasks)
    return render(
        request,
        "processes/inbox.html",
        {
            "items": items,
            "page": page,
            "acknowledgements": acknowledgements,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def inbox_acknowledge(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Acknowledge the reports ticked in the inbox, in one go."""
    ids = [n for value in request.POST.getlist("tasks") if (n := int_param(value)) is not None]
    tasks = list(
        approvals_for(request.user)
        .filter(pk__in=ids, step__kind=StepKind.ACKNOWLEDGE)
        .select_related("case", "step")
    )
    if not tasks:
        messages.error(request, _("Tick the reports to acknowledge."))
        return redirect("processes:inbox")
    done, problems = tasks_acknowledge(tasks=tasks, user=request.user)
    if done:
        messages.success(
            request,
            _("Acknowledged: %(references)s.")
            % {"references": ", ".join(task.case.reference for task in done)},
        )
    for problem in problems:
        messages.warning(request, problem)
    return redirect("processes:inbox")


@login_required
def case_detail(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case = get_case_for_user(request.user, reference)
    return render(request, "processes/case_detail.html", case_context(request, case))


class TaskPanel(TypedDict):
    """One open task on a case page: who may act, and the forms they act with."""

    task: Task
    authority: Authority | None
    form: NotRequired[DecisionForm]
    can_pause: NotRequired[bool]
    counts_activities: NotRequired[bool]
    activities: NotRequired[object]  # the number stored on the task, if any
    assign_form: NotRequired[AssignForm]


def case_context(
    request: AuthenticatedHttpRequest,
    case: Case,
    forms_by_task: Mapping[int, DecisionForm] | None = None,
) -> dict[str, Any]:
    """What the case page shows; other pages that embed a case's task panels reuse it (and
    add their own template variables)."""
    forms_by_task = forms_by_task or {}
    open_tasks = list(case.tasks.filter(status=Task.Status.OPEN).select_related("step", "assignee"))
    panels: list[TaskPanel] = []
    for task in open_tasks:
        authority = task_authority(task=task, user=request.user, case=case)
        panel: TaskPanel = {"task": task, "authority": authority}
        is_work = task.step.kind == StepKind.TASK
        # Pausing the clock and handing work out are the office's controls, not a school's.
        office_side = not request.user.is_school_side
        if authority is not None:
            panel["form"] = forms_by_task.get(task.pk) or DecisionForm(task=task)
            panel["can_pause"] = is_work and office_side
            if task.step.time_model == TimeModel.PER_ACTIVITY:
                panel["counts_activities"] = True
                panel["activities"] = task.data.get(task.step.activity_field)
        if is_work and office_side and can_assign(user=request.user, task=task, case=case):
            panel["assign_form"] = AssignForm(candidates=task_holders_for_assign(task, case))
        panels.append(panel)
    return {
        "case": case,
        "panels": panels,
        "events": case_timeline(case),
        "submissions": submissions_for([case])[case.pk],
        "steps": case.version.steps.order_by("position"),
        "current_step_ids": {task.step_id for task in open_tasks},
    }


def task_holders_for_assign(task: Task, case: Case) -> list[User]:
    """Who could take the task on, ignoring any current assignee."""
    unassigned = Task(case=case, step=task.step, role=task.role, level=task.level)
    return task_holders(unassigned, case=case)


def _get_task_for_user(request: AuthenticatedHttpRequest, pk: int) -> Task:
    """The task if the user may see its case (404 otherwise); authority is checked by services."""
    task = get_object_or_404(Task.objects.select_related("case", "step"), pk=pk)
    get_case_for_user(request.user, task.case.reference)
    return task


@login_required
@require_POST
def task_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = _get_task_for_user(request, pk)
    case = task.case
    if task_authority(task=task, user=request.user, case=case) is None and task.is_open:
        raise PermissionDenied
    form = DecisionForm(request.POST, request.FILES, task=task)
    if form.is_valid():
        try:
            task_complete(
                task=task,
                user=request.user,
                outcome=form.cleaned_data["outcome"],
                comment=form.cleaned_data["comment"],
                data=form.step_data(),
                files=form.uploads(),
            )
        except TaskAlreadyDecided as error:
            messages.warning(request, str(error))
            return _back(request, case)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            chosen = task.step.outcome_label(form.cleaned_data["outcome"])
            messages.success(request, _("Recorded: %(outcome)s.") % {"outcome": chosen})
            return _back(request, case)
    context = case_context(request, case, forms_by_task={task.pk: form})
    return render(request, "processes/case_detail.html", context, status=400)


def _back(request: AuthenticatedHttpRequest, case: Case) -> HttpResponse:
    """Return to the page the decision was made on (inbox, a ticket page), else the case."""
    target = request.POST.get("next", "")
    if target == "inbox":
        return redirect("processes:inbox")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(case)


@login_required
@require_POST
def task_assign_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = _get_task_for_user(request, pk)
    if request.user.is_school_side or not can_assign(user=request.user, task=task):
        raise PermissionDenied
    form = AssignForm(request.POST, candidates=task_holders_for_assign(task, task.case))
    if form.is_valid():
        try:
            task_assign(task=task, assignee=form.cleaned_data["assignee"], user=request.user)
            messages.success(request, _("Assigned."))
        except (ValidationError, TaskAlreadyDecided) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.error(request, _("Choose who should work this step."))
    return _back(request, task.case)


@login_required
@require_POST
def task_pause_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = _get_task_for_user(request, pk)
    if request.user.is_school_side or task_authority(task=task, user=request.user) is None:
        raise PermissionDenied
    try:
        if task.is_paused:
            task_resume(task=task, user=request.user)
            messages.success(request, _("The clock runs again."))
        else:
            task_pause(task=task, user=request.user, reason=request.POST.get("reason", ""))
            messages.success(
                request, _("Paused: waiting time does not count against the due date.")
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(request, task.case)


@login_required
@require_POST
def task_activities_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """How many activities a per-activity step covers: its due date follows."""
    task = _get_task_for_user(request, pk)
    if task_authority(task=task, user=request.user) is None:
        raise PermissionDenied
    try:
        count = int(request.POST.get("activities", ""))
    except ValueError:
        messages.error(request, _("Enter the number of activities as a whole number."))
        return _back(request, task.case)
    try:
        task_set_activities(task=task, user=request.user, count=count)
        messages.success(request, _("The due date follows the number of activities."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(request, task.case)


@login_required
def attachment_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """Uploads live outside the web root; they are served only to people who may see the case."""
    attachment = get_object_or_404(TaskAttachment.objects.select_related("task__case"), pk=pk)
    get_case_for_user(request.user, attachment.task.case.reference)
    return FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name
    )


@login_required
def catalogue(request: AuthenticatedHttpRequest) -> HttpResponse:
    definitions = (
        ProcessDefinition.objects.filter(is_active=True)
        .prefetch_related("versions")
        .order_by("area", "position", "code")
    )
    areas = dict(Area.choices)
    groups = [
        (areas.get(area, area), list(items))
        for area, items in groupby(definitions, key=lambda d: d.area)
    ]
    return render(
        request,
        "processes/catalogue.html",
        {"groups": groups, "can_design": can_design(request.user)},
    )


@login_required
def definition_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    definition = get_object_or_404(ProcessDefinition, code=code)
    version = definition.versions.filter(status=DefinitionVersion.Status.PUBLISHED).first()
    steps = list(version.steps.order_by("position")) if version else []
    lang = "en" if (request.LANGUAGE_CODE or "").startswith("en") else "th"
    svg = render_flowchart_svg(
        [_flowchart_step(step) for step in steps],
        _flowchart_transitions(version, steps) if version else [],
        title=definition.title,
        lang=lang,
    )
    return render(
        request,
        "processes/definition_detail.html",
        {"definition": definition, "version": version, "steps": steps, "flowchart": svg},
    )


def _flowchart_step(step: StepDefinition) -> dict[str, object]:
    return {
        "key": step.key,
        "name_th": step.name_th,
        "name_en": step.name_en,
        "kind": step.kind,
        "responsible": step.responsible,
        "approvers": step.chain if step.kind == StepKind.APPROVAL else [],
        "time_model": step.time_model,
        "days_min": step.days_min,
        "days_max": step.days_max,
    }


def _flowchart_transitions(
    version: DefinitionVersion, steps: Sequence[StepDefinition]
) -> list[dict[str, str]]:
    by_pk = {step.pk: step for step in steps}
    transitions = []
    for transition in version.transitions.all():
        source = by_pk[transition.from_step_id]
        named = transition.outcome not in ("done", "approve", "return", "reject")
        transitions.append(
            {
                "from": source.key,
                "outcome": transition.outcome,
                "to": by_pk[transition.to_step_id].key,
                "label": source.outcome_label(transition.outcome) if named else "",
            }
        )
    return transitions


@login_required
def case_start_view(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    definition = get_object_or_404(ProcessDefinition, code=code, is_active=True)
    if request.user.is_school_side or not request.user.office_id:
        raise PermissionDenied
    form = CaseStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = case_start(
                definition=definition, requester=request.user, title=form.cleaned_data["title"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Started %(reference)s.") % {"reference": case.reference})
            return redirect(case)
    return render(request, "processes/case_start.html", {"definition": definition, "form": form})
