"""Reads of the workflow engine: who may act on a task, and the lists people work from."""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.models import Delegation, RoleCode, User
from accounts.selectors import Authority, authorities_of, authority_for, requests_visible_to
from processes.form_schema import field_label
from processes.models import Case, CaseEvent, Responsible, Task, TaskAttachment

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class Arrival(TypedDict):
    """How a task's step was reached (see `with_arrival`)."""

    arrived_by: str | None
    arrived_comment: str | None


# Tasks annotated by `with_arrival`: filters and sorts may name `arrived_by`.
TasksWithArrival: TypeAlias = "QuerySet[WithAnnotations[Task, Arrival]]"

# Who answers for a role's overdue work: the next level up.
ESCALATION: dict[str, RoleCode] = {
    Responsible.STAFF: RoleCode.GROUP_HEAD,
    Responsible.GROUP_HEAD: RoleCode.DEPUTY_DIRECTOR,
    Responsible.DEPUTY_DIRECTOR: RoleCode.DIRECTOR,
    Responsible.REQUESTER: RoleCode.GROUP_HEAD,
    Responsible.SCHOOL_USER: RoleCode.GROUP_HEAD,
    Responsible.SCHOOL_DIRECTOR: RoleCode.GROUP_HEAD,
}


def task_authority(
    *,
    task: Task,
    user: User,
    case: Case | None = None,
    on: datetime.date | None = None,
    ignore_assignee: bool = False,
) -> Authority | None:
    """How `user` may act on `task` (own role, delegation, or as assignee); None if not at all."""
    case = case or task.case
    if not user.is_active:
        return None
    if task.assignee_id and not ignore_assignee:
        return Authority(role=task.role) if task.assignee_id == user.pk else None
    role = task.role
    if role == Responsible.REQUESTER:
        return Authority(role=role) if case.requester_id == user.pk else None
    if role in (Responsible.SCHOOL_USER, Responsible.SCHOOL_DIRECTOR):
        if not case.school_id or user.school_id != case.school_id:
            return None
        return authority_for(user, role, on=on)
    if user.office_id != case.office_id and not user.is_superuser:
        return None
    authority = authority_for(user, role, on=on)
    if authority is None and role == Responsible.STAFF:
        # The group head may do any of the group's staff work (e.g. triage a repair).
        authority = authority_for(user, RoleCode.GROUP_HEAD, on=on)
    return authority


def can_assign(*, user: User, task: Task, case: Case | None = None) -> bool:
    """The group head hands out staff work; anyone holding the task's role may take it on."""
    case = case or task.case
    if task_authority(task=task, user=user, case=case, ignore_assignee=True) is not None:
        return True
    same_office = user.office_id == case.office_id
    return same_office and authority_for(user, RoleCode.GROUP_HEAD) is not None


def task_holders(task: Task, case: Case | None = None) -> list[User]:
    """Everyone who could act on the task today: the assignee, else the role's holders."""
    case = case or task.case
    if task.assignee is not None:
        return [task.assignee]
    if task.role == Responsible.REQUESTER:
        return [case.requester]
    return role_holders(role=task.role, case=case)


def role_holders(*, role: str, case: Case, on: datetime.date | None = None) -> list[User]:
    day = on or timezone.localdate()
    users = User.objects.filter(is_active=True)
    if role in (Responsible.SCHOOL_USER, Responsible.SCHOOL_DIRECTOR):
        users = users.filter(school_id=case.school_id) if case.school_id else users.none()
    else:
        users = users.filter(office_id=case.office_id)
    own = users.filter(roles__code=role)
    acting = users.filter(
        pk__in=Delegation.objects.active_on(day).filter(role__code=role).values("delegate")
    )
    return list((own | acting).distinct().order_by("pk"))


SCHOOL_ROLES = frozenset({Responsible.SCHOOL_USER, Responsible.SCHOOL_DIRECTOR})


class RoleHolders:
    """Who holds each role in the given offices and schools on `day`: by their own role or by
    an acting order in force, active accounts only, as `role_holders` counts them but for many
    cases at once. School roles are held per school, the others per office."""

    def __init__(
        self, *, day: datetime.date, office_ids: Iterable[int], school_ids: Iterable[int]
    ) -> None:
        self._by_scope: dict[tuple[str, int, str], set[int]] = defaultdict(set)
        in_scope = User.objects.filter(is_active=True).filter(
            Q(office_id__in=set(office_ids)) | Q(school_id__in=set(school_ids))
        )
        own = in_scope.filter(roles__isnull=False).values_list(
            "pk", "office_id", "school_id", "roles__code"
        )
        acting = (
            Delegation.objects.active_on(day)
            .filter(delegate__in=in_scope)
            .values_list("delegate_id", "delegate__office_id", "delegate__school_id", "role__code")
        )
        for user_id, office_id, school_id, role in itertools.chain(own, acting):
            if role in SCHOOL_ROLES:
                if school_id is not None:
                    self._by_scope["school", school_id, role].add(user_id)
            elif office_id is not None:
                self._by_scope["office", office_id, role].add(user_id)

    def of(self, role: str, *, office_id: int | None, school_id: int | None) -> set[int]:
        """The holders of `role` for a case, or a person, of that office and school."""
        if role in SCHOOL_ROLES:
            if school_id is None:
                return set()
            return self._by_scope.get(("school", school_id, role), set())
        if office_id is None:
            return set()
        return self._by_scope.get(("office", office_id, role), set())


def open_tasks_for(
    user: User,
    *,
    on: datetime.date | None = None,
    authorities: Iterable[Authority] | None = None,
) -> TasksWithArrival:
    """Open tasks `user` can act on: assigned to them, or unassigned for a role they hold.
    A page that has read the user's `authorities` for the same day already passes them."""
    day = on or timezone.localdate()
    if authorities is None:
        authorities = authorities_of(user, on=day)
    roles = {a.role for a in authorities}
    office_roles = roles - {Responsible.SCHOOL_USER, Responsible.SCHOOL_DIRECTOR}
    school_roles = roles & {Responsible.SCHOOL_USER, Responsible.SCHOOL_DIRECTOR}
    unassigned = Q(assignee__isnull=True)
    mine = Q(assignee=user)
    mine |= unassigned & Q(role=Responsible.REQUESTER, case__requester=user)
    if office_roles and user.office_id:
        mine |= unassigned & Q(role__in=office_roles, case__office_id=user.office_id)
    if school_roles and user.school_id:
        mine |= unassigned & Q(role__in=school_roles, case__school_id=user.school_id)
    return with_arrival(
        Task.objects.open()
        .filter(mine, case__state=Case.State.RUNNING)
        .select_related("case", "step", "case__version__definition", "case__school", "assignee")
    )


# What a task list's rows never show: step forms and texts, the process's catalogue texts, the
# task's and the case's stored data. Left out, a page of fifty rows reads a tenth of the bytes.
LIST_ROW_DEFERRED = (
    "data",
    "comment",
    "case__data",
    "step__quality_th",
    "step__form_schema",
    "step__attachments",
    "step__options",
    "step__approvers",
    "case__version__definition__objective_th",
    "case__version__definition__scope_th",
    "case__version__definition__key_indicator_th",
    "case__version__definition__forms",
    "case__version__definition__references",
    "case__version__definition__variant_note",
)


def for_list_rows(tasks: TasksWithArrival) -> TasksWithArrival:
    """`tasks` without the columns a list row never shows (see LIST_ROW_DEFERRED)."""
    return tasks.defer(*LIST_ROW_DEFERRED)


def with_arrival(tasks: QuerySet[Task]) -> TasksWithArrival:
    """Annotate how each task's step was reached: `arrived_by` is the outcome of the decision
    that led into it ("return" when the work came back for revision) and `arrived_comment` the
    reason given. Lists flag returned work with these."""
    led_here = CaseEvent.objects.filter(
        case_id=OuterRef("case_id"),
        kind=CaseEvent.Kind.DECIDED,
        to_step_id=OuterRef("step_id"),
        at__lte=OuterRef("started_at"),
    ).order_by("-at", "-pk")
    return tasks.annotate(
        arrived_by=Subquery(led_here.values("outcome")[:1]),
        arrived_comment=Subquery(led_here.values("comment")[:1]),
    )


def cases_visible_to(user: User) -> QuerySet[Case]:
    """Office people see their office's cases; school people their school's and their own."""
    return requests_visible_to(
        user, Case.objects.select_related("version__definition", "school", "requester")
    )


def get_case_for_user(user: User, reference: str) -> Case:
    """The case, or 404 when it does not exist or is not the user's to see (no hint which)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(cases_visible_to(user), reference=reference)


def approvals_for(
    user: User,
    *,
    on: datetime.date | None = None,
    authorities: Iterable[Authority] | None = None,
) -> TasksWithArrival:
    """The approval inbox: open approvals and acknowledgements the user can decide, oldest due
    first (acknowledgements have no due date and come last)."""
    return (
        open_tasks_for(user, on=on, authorities=authorities)
        .filter(step__kind__in=("approval", "acknowledge"))
        .order_by("due_on", "started_at", "pk")
    )


def case_timeline(case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor", "acting_for", "from_step", "to_step", "task")


@dataclass
class Submission:
    """What one finished step recorded, ready to read: labelled fields and attached files."""

    task: Task
    fields: list[tuple[str, Any]]
    files: list[TaskAttachment]


def names_in_form_order(data: dict[str, Any], form_schema: list[dict[str, Any]]) -> list[str]:
    """The keys of a step's stored data in its form's order (PostgreSQL's jsonb keeps keys in
    an order of its own); keys the form no longer has come last, by name."""
    position = {spec["name"]: index for index, spec in enumerate(form_schema)}
    return sorted(data, key=lambda name: (position.get(name, len(position)), name))


def submissions_for(cases: Iterable[Case]) -> dict[int, list[Submission]]:
    """Finished steps of many cases with their labelled data and files, in two queries."""
    case_ids = [case.pk for case in cases]
    tasks = (
        Task.objects.filter(case_id__in=case_ids)
        .exclude(status=Task.Status.OPEN)
        .select_related("step", "finished_by", "acting_for")
        .order_by("finished_at", "pk")
    )
    files: dict[int, list[TaskAttachment]] = defaultdict(list)
    for attachment in TaskAttachment.objects.filter(task__case_id__in=case_ids).order_by("pk"):
        files[attachment.task_id].append(attachment)
    result: dict[int, list[Submission]] = defaultdict(list)
    for task in tasks:
        specs = {spec["name"]: spec for spec in task.step.form_schema}
        names = names_in_form_order(task.data, task.step.form_schema)
        fields = [
            (
                field_label(specs[name]) if name in specs else name,
                _shown(specs.get(name), task.data[name]),
            )
            for name in names
        ]
        for attachment in files[task.pk]:
            # A file field's upload carries the field's name: show its label instead.
            spec = specs.get(attachment.label)
            attachment.display_label = field_label(spec) if spec else attachment.label
        result[task.case_id].append(Submission(task=task, fields=fields, files=files[task.pk]))
    return result


def _shown(spec: Mapping[str, Any] | None, value: object) -> object:
    """A stored step value as people read it: ISO dates in the Buddhist era, also in tables."""
    if spec is None:
        return value
    if spec.get("type") == "date":
        return _thai_date_or_raw(value)
    if spec.get("type") == "table" and isinstance(value, list):
        date_columns = {c["name"] for c in spec.get("columns", []) if c.get("type") == "date"}
        return [
            {
                key: _thai_date_or_raw(cell) if key in date_columns else cell
                for key, cell in row.items()
            }
            if isinstance(row, dict)
            else row
            for row in value
        ]
    return value


def _thai_date_or_raw(value: object) -> object:
    from core.thaitime import format_thai_date

    try:
        return format_thai_date(datetime.date.fromisoformat(str(value)))
    except ValueError:
        return value
