"""How domain apps follow their cases without the engine knowing them.

A repair ticket, a loan or a plan registers a callable for its process code; the transition
service calls it inside the same transaction as the change, so the domain row and the case can
never disagree. Explicit registration (in the app's `AppConfig.ready`) rather than signals, so a
reader can find every reaction by searching for `on_case_change`.

A layer above the engine that follows every process alike (official documents, for one)
registers with `on_every_case_change` instead of naming each process.

Before a task opens, `on_task_opening` planners may say who works it and when it is due (the
ticket's technician, the loan's return date): the engine opens the task with them, so the
first notice, the `assigned` event and the due date are right from the start, and no hook
rewrites a task behind the engine's back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import datetime

    from accounts.models import User
    from processes.models import Case, StepDefinition, Task


@dataclass(frozen=True)
class CaseChange:
    """What just happened to a case: `kind` is started, entered, decided, paused, resumed or
    closed."""

    kind: str
    case: Case
    step: StepDefinition | None = None
    task: Task | None = None
    outcome: str = ""
    actor: User | None = None


Listener = Callable[[CaseChange], None]
_listeners: dict[str, list[Listener]] = defaultdict(list)
_every: list[Listener] = []


def on_case_change(definition_code: str) -> Callable[[Listener], Listener]:
    """Register `listener` for the cases of one process definition (by its code)."""

    def register(listener: Listener) -> Listener:
        if listener not in _listeners[definition_code]:
            _listeners[definition_code].append(listener)
        return listener

    return register


def on_every_case_change(listener: Listener) -> Listener:
    """Register `listener` for the cases of every process (it filters on `change.kind`)."""
    if listener not in _every:
        _every.append(listener)
    return listener


def notify_listeners(change: CaseChange) -> None:
    for listener in _listeners.get(change.case.version.definition.code, ()):
        listener(change)
    for listener in _every:
        listener(change)


@dataclass(frozen=True)
class TaskPlan:
    """What a domain app knows about a task before it opens: who works it (None: the step's
    role decides) and when it is due (None: the step's own time model decides)."""

    assignee: User | None = None
    due_on: datetime.date | None = None


Planner = Callable[["Case", "StepDefinition", int], "TaskPlan | None"]
_planners: dict[str, list[Planner]] = defaultdict(list)


def on_task_opening(definition_code: str) -> Callable[[Planner], Planner]:
    """Register `planner(case, step, level) -> TaskPlan | None` for one process's cases."""

    def register(planner: Planner) -> Planner:
        if planner not in _planners[definition_code]:
            _planners[definition_code].append(planner)
        return planner

    return register


def plan_task(case: Case, step: StepDefinition, level: int) -> TaskPlan:
    """The planners' answers merged (a later planner's non-empty values win)."""
    assignee, due_on = None, None
    for planner in _planners.get(case.version.definition.code, ()):
        plan = planner(case, step, level)
        if plan is not None:
            assignee = plan.assignee or assignee
            due_on = plan.due_on or due_on
    return TaskPlan(assignee=assignee, due_on=due_on)
