"""The process designer's services: who may design, drafts, steps, checks, publishing, history.

Every write goes through a function here, inside one transaction, and leaves a
`DefinitionChange` row (who, when, what) beside the change. Published and retired versions are
never edited: the designer edits a draft (a copy of the published version), checks it in words a
person understands, and publishes it; running cases stay on the version they started on.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import authority_for
from processes.definitions import (
    APPROVER_ROLES,
    DEFINITION_FIELDS,
    _case_date_field,
    _time_model,
    _write_steps,
    version_as_dict,
    version_errors,
    version_publish,
)
from processes.form_schema import COLUMN_TYPES, FIELD_TYPES
from processes.models import (
    APPROVAL_ORDER,
    DefinitionChange,
    DefinitionVersion,
    Outcome,
    OutcomeOption,
    ProcessDefinition,
    Responsible,
    StepDefinition,
    StepKind,
    TimeModel,
    TransitionDefinition,
    step_outcomes,
)

Action = DefinitionChange.Action
# The fields of a step the designer edits (besides its exits), in the order the compare page
# and the audit trail name them.
STEP_FIELDS = (
    "name_th",
    "name_en",
    "kind",
    "responsible",
    "approvers",
    "days_min",
    "days_max",
    "quality_th",
    "form_schema",
    "attachments",
    "options",
    "auto_done_after_days",
    "time_model",
    "activity_field",
    "case_date_field",
)
COUNTED = (TimeModel.WORKING_DAYS, TimeModel.CALENDAR_DAYS, TimeModel.PER_ACTIVITY)


# ---------------------------------------------------------------------------
# Who may design
# ---------------------------------------------------------------------------


def can_design(user: User) -> bool:
    """The roles in `PROCESS_DESIGNER_ROLES` (group head and admin by default), held or acted."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return any(authority_for(user, role) for role in settings.PROCESS_DESIGNER_ROLES)


def check_can_design(user: User) -> None:
    if not can_design(user):
        raise PermissionDenied(_("Only the roles the office allows may design processes."))


def _record(
    definition: ProcessDefinition,
    action: str,
    user: User | None,
    summary: str,
    *,
    version: DefinitionVersion | None = None,
    detail: Mapping[str, Any] | None = None,
) -> DefinitionChange:
    return DefinitionChange.objects.create(
        definition=definition,
        version_number=version.number if version else None,
        action=action,
        actor=user,
        summary=summary,
        detail=dict(detail or {}),
    )


def _check_draft(version: DefinitionVersion) -> None:
    if not version.is_editable:
        raise ValidationError(
            _("Version %(n)s is no longer a draft: open a new draft to change it.")
            % {"n": version.number}
        )


# ---------------------------------------------------------------------------
# Definitions and drafts
# ---------------------------------------------------------------------------


def _starter_steps() -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """A new process starts with one task and the end, so it is valid from the first minute."""
    steps = [
        {"key": "step_1", "name_th": "ขั้นตอนที่ 1", "kind": "task", "responsible": "staff"},
        {"key": "end", "name_th": "สิ้นสุด", "name_en": "End", "kind": "end"},
    ]
    return steps, [{"from": "step_1", "outcome": "done", "to": "end"}]


@transaction.atomic
def definition_create(
    *,
    user: User,
    code: str,
    title_th: str,
    title_en: str = "",
    area: str,
    reference_prefix: str = "WF",
    copy_from: ProcessDefinition | None = None,
) -> DefinitionVersion:
    """A new definition with a first draft: a copy of `copy_from`'s published (or latest)
    version, else a one-task starter. Nothing is published until the designer says so."""
    if ProcessDefinition.objects.filter(code=code).exists():
        raise ValidationError({"code": _("A process with this code already exists.")})
    definition = ProcessDefinition(
        code=code,
        title_th=title_th,
        title_en=title_en,
        area=area,
        reference_prefix=reference_prefix or "WF",
    )
    source_version = None
    if copy_from is not None:
        for field in DEFINITION_FIELDS:
            if field not in ("title_th", "title_en", "area"):
                setattr(definition, field, getattr(copy_from, field))
        source_version = (
            copy_from.versions.filter(status=DefinitionVersion.Status.PUBLISHED).first()
            or copy_from.versions.order_by("-number").first()
        )
    definition.position = (
        ProcessDefinition.objects.aggregate(last=Max("position"))["last"] or 0
    ) + 1
    definition.full_clean()
    definition.save()
    draft = DefinitionVersion.objects.create(definition=definition, number=1)
    if copy_from is not None and source_version is not None:
        data = version_as_dict(source_version)
        _write_steps(draft, data["steps"], data["transitions"])
        _record(
            definition,
            Action.COPIED,
            user,
            _("Copied from “%(source)s” version %(n)s.")
            % {"source": copy_from.title_th, "n": source_version.number},
            version=draft,
            detail={"from": copy_from.code, "version": source_version.number},
        )
    else:
        steps, transitions = _starter_steps()
        _write_steps(draft, steps, transitions)
        _record(definition, Action.CREATED, user, _("Process created."), version=draft)
    return draft


@transaction.atomic
def definition_update(*, definition: ProcessDefinition, user: User, **fields: Any) -> None:
    """Edit the definition's own details (titles, objective, scope…), audited field by field."""
    before = {name: getattr(definition, name) for name in fields}
    for name, value in fields.items():
        setattr(definition, name, value)
    definition.full_clean()
    definition.save()
    changed = [name for name in fields if before[name] != fields[name]]
    if changed:
        _record(
            definition,
            Action.EDITED,
            user,
            _("Changed: %(fields)s.") % {"fields": ", ".join(_field_label(n) for n in changed)},
            detail={name: [before[name], fields[name]] for name in changed},
        )


@transaction.atomic
def draft_open(*, definition: ProcessDefinition, user: User) -> DefinitionVersion:
    """The definition's draft: the open one if there is one, else a new copy of the published
    version (or of the latest one when nothing is published)."""
    ProcessDefinition.objects.select_for_update().get(pk=definition.pk)
    draft = definition.versions.filter(status=DefinitionVersion.Status.DRAFT).first()
    if draft is not None:
        return draft
    source = (
        definition.versions.filter(status=DefinitionVersion.Status.PUBLISHED).first()
        or definition.versions.order_by("-number").first()
    )
    number = (definition.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    draft = DefinitionVersion.objects.create(definition=definition, number=number)
    if source is not None:
        data = version_as_dict(source)
        _write_steps(draft, data["steps"], data["transitions"])
        summary = _("Draft %(n)s opened as a copy of version %(source)s.") % {
            "n": number,
            "source": source.number,
        }
    else:
        steps, transitions = _starter_steps()
        _write_steps(draft, steps, transitions)
        summary = _("Draft %(n)s opened.") % {"n": number}
    _record(definition, Action.DRAFT_OPENED, user, summary, version=draft)
    return draft


@transaction.atomic
def draft_discard(*, version: DefinitionVersion, user: User) -> None:
    _check_draft(version)
    if version.cases.exists():
        raise ValidationError(_("Cases run on this version; it cannot be discarded."))
    _record(
        version.definition,
        Action.DRAFT_DISCARDED,
        user,
        _("Draft %(n)s discarded.") % {"n": version.number},
        version=version,
    )
    version.delete()


# ---------------------------------------------------------------------------
# Steps
# ---------------------------------------------------------------------------


def _next_key(version: DefinitionVersion, prefix: str = "step") -> str:
    taken = set(version.steps.values_list("key", flat=True))
    number = len(taken) + 1
    while f"{prefix}_{number}" in taken:
        number += 1
    return f"{prefix}_{number}"


def offered_outcomes(kind: str, options: Sequence[OutcomeOption] | None) -> list[str]:
    return [value for value, _label in step_outcomes(kind, options)]


@transaction.atomic
def step_save(
    *,
    version: DefinitionVersion,
    user: User,
    fields: Mapping[str, Any],
    exits: Mapping[str, str | None],
    step: StepDefinition | None = None,
) -> StepDefinition:
    """Create or change one step of a draft and its exits (outcome -> target step key, or None
    for "not chosen yet"; the check before publishing names what is still missing)."""
    version = DefinitionVersion.objects.select_for_update().get(pk=version.pk)
    _check_draft(version)
    created = step is None
    if step is None:
        last = version.steps.aggregate(last=Max("position"))["last"] or 0
        step = StepDefinition(version=version, key=_next_key(version), position=last + 10)
        before: dict[str, Any] = {}
        before_exits: dict[str, str] = {}
    else:
        if step.version_id != version.pk:
            raise ValidationError(_("That step belongs to another version."))
        before = {name: getattr(step, name) for name in STEP_FIELDS}
        before_exits = _exits_of(step)
    for name in STEP_FIELDS:
        if name in fields:
            setattr(step, name, fields[name])
    step.full_clean(exclude=["version"])
    step.save()
    steps_by_key = {s.key: s for s in version.steps.all()}
    allowed = set(offered_outcomes(step.kind, step.options))
    step.exits.all().delete()
    new_exits: dict[str, str] = {}
    for outcome, target in exits.items():
        if outcome not in allowed or not target:
            continue
        if target not in steps_by_key:
            raise ValidationError(_("The chosen next step no longer exists."))
        TransitionDefinition.objects.create(
            version=version, from_step=step, outcome=outcome, to_step=steps_by_key[target]
        )
        new_exits[outcome] = target
    if created:
        _record(
            version.definition,
            Action.STEP_ADDED,
            user,
            _("Step “%(step)s” added.") % {"step": step.name_th},
            version=version,
            detail={"step": step.key},
        )
    else:
        after = {name: getattr(step, name) for name in STEP_FIELDS}
        changed = [name for name in STEP_FIELDS if before[name] != after[name]]
        if before_exits != new_exits:
            changed.append("exits")
        if changed:
            _record(
                version.definition,
                Action.STEP_EDITED,
                user,
                _("Step “%(step)s”: changed %(fields)s.")
                % {"step": step.name_th, "fields": ", ".join(_field_label(n) for n in changed)},
                version=version,
                detail={
                    "step": step.key,
                    "changed": changed,
                    "before": {n: before[n] for n in changed if n in before},
                    "after": {n: after[n] for n in changed if n in after},
                },
            )
    return step


def _exits_of(step: StepDefinition) -> dict[str, str]:
    return {t.outcome: t.to_step.key for t in step.exits.select_related("to_step")}


@transaction.atomic
def step_delete(*, version: DefinitionVersion, user: User, step: StepDefinition) -> None:
    """Remove a step; arrows that led to it are removed too, and the check names the steps left
    without a next step."""
    version = DefinitionVersion.objects.select_for_update().get(pk=version.pk)
    _check_draft(version)
    if step.version_id != version.pk:
        raise ValidationError(_("That step belongs to another version."))
    name = step.name_th
    sources = sorted(
        {t.from_step.name_th for t in step.entries.select_related("from_step")} - {name}
    )
    step.delete()
    summary = _("Step “%(step)s” deleted.") % {"step": name}
    if sources:
        summary += " " + _("Steps that led to it now need a new next step: %(steps)s.") % {
            "steps": ", ".join(sources)
        }
    _record(version.definition, Action.STEP_DELETED, user, summary, version=version)


@transaction.atomic
def steps_reorder(*, version: DefinitionVersion, user: User, keys: Iterable[str]) -> None:
    """Put the steps in the given order (the first is where a case starts)."""
    version = DefinitionVersion.objects.select_for_update().get(pk=version.pk)
    _check_draft(version)
    keys = list(keys)
    steps = {step.key: step for step in version.steps.all()}
    if sorted(keys) != sorted(steps):
        raise ValidationError(_("The new order must list every step once."))
    before = [s.key for s in sorted(steps.values(), key=lambda s: (s.position, s.pk))]
    if before == keys:
        return
    for index, key in enumerate(keys, start=1):
        steps[key].position = index * 10
    StepDefinition.objects.bulk_update(steps.values(), ["position"])
    _record(
        version.definition,
        Action.STEPS_REORDERED,
        user,
        _("New order: %(steps)s.") % {"steps": " → ".join(steps[k].name_th for k in keys)},
        version=version,
        detail={"before": before, "after": keys},
    )


# ---------------------------------------------------------------------------
# The check before publishing, in words
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing to fix: which step (key, name; empty for the whole process), what is wrong,
    and how to fix it."""

    step_key: str
    step_name: str
    message: str
    fix: str

    def __str__(self) -> str:
        return f"{self.message} {self.fix}".strip()


def _outcome_words(kind: str, options: Sequence[OutcomeOption], outcome: str) -> str:
    return dict(step_outcomes(kind, options)).get(outcome, outcome)


Add = Callable[[Mapping[str, Any] | None, str, str], None]


def check_process(
    steps: list[Mapping[str, Any]], transitions: list[Mapping[str, Any]]
) -> list[Problem]:
    """Every problem that would leave a case stuck or a form unusable, naming the step and
    saying how to fix it. `steps`/`transitions` are in the JSON shape (see definitions)."""
    if not steps:
        return [
            Problem(
                "",
                "",
                _("The process has no steps yet."),
                _("Add the steps of the process and an end step."),
            )
        ]
    problems: list[Problem] = []

    def add(step: Mapping[str, Any] | None, message: str, fix: str) -> None:
        key = step["key"] if step else ""
        name = (step.get("name_th") or step["key"]) if step else ""
        problems.append(Problem(key, name, message, fix))

    exits = _exits_by_step(steps, transitions)
    _check_start_and_end(steps, add)
    for step in steps:
        name = step.get("name_th") or step["key"]
        if step["kind"] not in StepKind.values:
            add(step, _("Step “%(step)s” has an unknown kind.") % {"step": name}, _("Pick a kind."))
            continue
        _check_exits(step, name, exits[step["key"]], add)
        _check_branches(step, name, add)
        _check_who(step, name, add)
        if step["kind"] != StepKind.END:
            _check_time(step, name, add)
        _check_form(step, name, add)
    _check_paths(steps, exits, add)
    return problems


def _exits_by_step(
    steps: list[Mapping[str, Any]], transitions: list[Mapping[str, Any]]
) -> dict[str, dict[str, str]]:
    exits: dict[str, dict[str, str]] = {step["key"]: {} for step in steps}
    for transition in transitions:
        if transition["from"] in exits and transition["to"] in exits:
            exits[transition["from"]][transition["outcome"]] = transition["to"]
    return exits


def _check_start_and_end(steps: list[Mapping[str, Any]], add: Add) -> None:
    if not any(step["kind"] == StepKind.END for step in steps):
        add(
            None,
            _("The process has no end step."),
            _("Add a step of the kind “End” and lead the last step to it."),
        )
    if steps[0]["kind"] == StepKind.END:
        add(
            steps[0],
            _("The process starts with its end step “%(step)s”.")
            % {"step": steps[0].get("name_th") or steps[0]["key"]},
            _("Move the first real step to the top of the list."),
        )


def _check_exits(step: Mapping[str, Any], name: str, exits: Mapping[str, str], add: Add) -> None:
    """Every outcome the step offers leads somewhere."""
    kind, options = step["kind"], step.get("options") or []
    for outcome in offered_outcomes(kind, options):
        if outcome in exits:
            continue
        words = _outcome_words(kind, options, outcome)
        if kind == StepKind.APPROVAL and outcome in (Outcome.RETURN, Outcome.REJECT):
            message = _("Approval step “%(step)s” does not say where “%(outcome)s” leads.")
        elif kind == StepKind.TASK and options:
            message = _("The branch “%(outcome)s” of step “%(step)s” has no target step.")
        else:
            message = _("Step “%(step)s” does not say which step comes next.")
        add(
            step,
            message % {"step": name, "outcome": words},
            _("Open the step and choose the step that follows “%(outcome)s”.") % {"outcome": words},
        )


def _check_branches(step: Mapping[str, Any], name: str, add: Add) -> None:
    options = [o for o in step.get("options") or [] if isinstance(o, Mapping)]
    values = [o.get("value") for o in options]
    if len(set(values)) != len(values):
        add(
            step,
            _("Step “%(step)s” has two branches with the same name.") % {"step": name},
            _("Give each branch its own name."),
        )
    if any(not (o.get("label_th") or "").strip() for o in options):
        add(
            step,
            _("A branch of step “%(step)s” has no name.") % {"step": name},
            _("Type what the person decides, e.g. “repair on site”."),
        )


def _check_who(step: Mapping[str, Any], name: str, add: Add) -> None:
    """An approval has a chain of approvers; any other working step has someone responsible."""
    kind = step["kind"]
    if kind == StepKind.APPROVAL:
        _check_chain(step, name, add)
    elif kind != StepKind.END and step.get("responsible") not in Responsible.values:
        add(
            step,
            _("Step “%(step)s” has nobody responsible.") % {"step": name},
            _("Choose who works this step."),
        )


def _check_chain(step: Mapping[str, Any], name: str, add: Add) -> None:
    chain = step.get("approvers") or []
    roles = [e.get("role") if isinstance(e, Mapping) else e for e in chain]
    if not chain:
        add(
            step,
            _("Approval step “%(step)s” has no approvers.") % {"step": name},
            _("Add the group head, the deputy director and/or the director, in order."),
        )
    elif any(role not in APPROVER_ROLES for role in roles):
        add(
            step,
            _("Approval step “%(step)s” lists someone who cannot approve.") % {"step": name},
            _("Approvers are the group head, the deputy director and the director."),
        )
    incomplete = [
        entry
        for entry in chain
        if isinstance(entry, Mapping)
        and not (entry.get("field") and isinstance(entry.get("if_over"), int | float))
    ]
    if incomplete:
        add(
            step,
            _("A condition of approval step “%(step)s” is incomplete.") % {"step": name},
            _("Give both the amount field and the amount, or remove the condition."),
        )


def _check_paths(
    steps: list[Mapping[str, Any]], exits: Mapping[str, Mapping[str, str]], add: Add
) -> None:
    """Every step can be reached from the start, and from every reached step the end can."""
    reachable = _reachable(steps[0]["key"], exits)
    for step in steps[1:]:
        if step["key"] not in reachable:
            add(
                step,
                _("No step leads to “%(step)s”, so no case can ever reach it.")
                % {"step": step.get("name_th") or step["key"]},
                _("Choose it as the next step of an earlier step, or delete it."),
            )
    end_keys = {step["key"] for step in steps if step["kind"] == StepKind.END}
    if not end_keys:
        return
    for step in steps:
        if step["key"] in reachable and not (_reachable(step["key"], exits) & end_keys):
            add(
                step,
                _("From “%(step)s” no path ever reaches the end.")
                % {"step": step.get("name_th") or step["key"]},
                _("Lead at least one of its outcomes towards the end step."),
            )


def _check_time(step: Mapping[str, Any], name: str, add: Add) -> None:
    """The step's time model has what it needs (the engine's check says the same, tersely)."""
    model = _time_model(step)
    days_min, days_max = step.get("days_min"), step.get("days_max")
    if model not in TimeModel.values:
        add(
            step,
            _("Step “%(step)s” has an unknown standard time.") % {"step": name},
            _("Choose how its time is counted."),
        )
        return
    if days_min is not None and days_max is not None and days_min > days_max:
        add(
            step,
            _("Step “%(step)s”: the shortest time is longer than the longest.") % {"step": name},
            _("Swap the two numbers of days."),
        )
    if model in COUNTED and not (days_min or days_max):
        add(
            step,
            _("Step “%(step)s” counts days but gives no number of days.") % {"step": name},
            _("Type the days from the manual, or choose “No standard time”."),
        )
    if model not in COUNTED and (days_min is not None or days_max is not None):
        add(
            step,
            _("Step “%(step)s” gives days, but its time is not counted in days.") % {"step": name},
            _("Clear the days, or choose working days or calendar days."),
        )
    fields = {f.get("name") for f in step.get("form") or [] if isinstance(f, Mapping)}
    if model == TimeModel.PER_ACTIVITY and step.get("activity_field") not in fields:
        add(
            step,
            _("Step “%(step)s” counts days per activity but no field holds the activities.")
            % {"step": name},
            _("Choose the field of this step's form that holds the number of activities."),
        )
    if model == TimeModel.UNTIL_CASE_DATE and not _case_date_field(step):
        add(
            step,
            _("Step “%(step)s” runs until a date of the case but does not say which.")
            % {"step": name},
            _("Type the name of the case's date, e.g. deadline."),
        )
    if step.get("kind") == StepKind.WAIT_UNTIL and model != TimeModel.UNTIL_CASE_DATE:
        add(
            step,
            _("Wait step “%(step)s” must run until a date of the case.") % {"step": name},
            _("Choose “Until a date of the case” as its standard time."),
        )


def _check_form(step: Mapping[str, Any], name: str, add: Add) -> None:
    seen: set[str] = set()
    for field in step.get("form") or []:
        if not isinstance(field, Mapping):
            continue
        field_name = str(field.get("name") or "")
        label = field.get("label_th") or field_name
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", field_name):
            add(
                step,
                _("Field “%(field)s” of step “%(step)s” needs a system name.")
                % {"field": label, "step": name},
                _("Use English letters, digits and _ (e.g. budget_total), or leave it empty."),
            )
        elif field_name in seen:
            add(
                step,
                _("The field name “%(field)s” is used twice in step “%(step)s”.")
                % {"field": field_name, "step": name},
                _("Give each field of the step its own name."),
            )
        seen.add(field_name)
        kind = field.get("type")
        if kind not in FIELD_TYPES:
            add(
                step,
                _("Field “%(field)s” of step “%(step)s” has no type.")
                % {"field": label, "step": name},
                _("Choose what the field holds."),
            )
        if kind == "choice" and not field.get("choices"):
            add(
                step,
                _("The choice field “%(field)s” of step “%(step)s” lists no options.")
                % {"field": label, "step": name},
                _("Type the options, one per line."),
            )
        if kind == "table":
            columns = field.get("columns") or []
            if not columns or any(c.get("type", "text") not in COLUMN_TYPES for c in columns):
                add(
                    step,
                    _("The table “%(field)s” of step “%(step)s” has no columns.")
                    % {"field": label, "step": name},
                    _("Name at least one column."),
                )


def _reachable(start: str, exits: Mapping[str, Mapping[str, str]]) -> set[str]:
    seen = {start}
    queue = deque([start])
    while queue:
        for target in exits.get(queue.popleft(), {}).values():
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def version_problems(version: DefinitionVersion) -> list[Problem]:
    data = version_as_dict(version)
    return check_process(data["steps"], data["transitions"])


# ---------------------------------------------------------------------------
# Publish, republish, compare
# ---------------------------------------------------------------------------


@transaction.atomic
def draft_publish(*, version: DefinitionVersion, user: User) -> DefinitionVersion:
    """Publish a valid draft; refused, with every problem in words, while any remains."""
    _check_draft(version)
    problems = version_problems(version)
    if problems:
        raise ValidationError([str(p) for p in problems])
    # The engine's own check runs too (version_publish); it agrees with the one above.
    previous = version.definition.versions.filter(status=DefinitionVersion.Status.PUBLISHED).first()
    published = version_publish(version=version, user=user)
    changes = versions_compare(previous, published) if previous else []
    _record(
        version.definition,
        Action.PUBLISHED,
        user,
        _("Version %(n)s published.") % {"n": published.number},
        version=published,
        detail={"previous": previous.number if previous else None, "changes": changes},
    )
    return published


@transaction.atomic
def version_republish(*, version: DefinitionVersion, user: User) -> DefinitionVersion:
    """Roll back: make an earlier (retired) version the one new cases start on again. Cases
    already running stay on their own versions."""
    version = DefinitionVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != DefinitionVersion.Status.RETIRED:
        raise ValidationError(_("Only an earlier, retired version can be published again."))
    errors = version_errors(version)
    if errors:
        raise ValidationError(errors)
    definition = version.definition
    current = definition.versions.filter(status=DefinitionVersion.Status.PUBLISHED).first()
    if current is not None:
        current.status = DefinitionVersion.Status.RETIRED
        current.save(update_fields=["status"])
    version.status = DefinitionVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = user
    version.save(update_fields=["status", "published_at", "published_by"])
    _record(
        definition,
        Action.REPUBLISHED,
        user,
        _("Version %(n)s published again (in place of version %(current)s).")
        % {"n": version.number, "current": current.number if current else "—"},
        version=version,
        detail={"replaced": current.number if current else None},
    )
    return version


_FIELD_LABELS = {
    "name_th": lambda: _("Thai name"),
    "name_en": lambda: _("English name"),
    "kind": lambda: _("kind"),
    "responsible": lambda: _("responsible"),
    "approvers": lambda: _("approval chain"),
    "days_min": lambda: _("shortest time"),
    "days_max": lambda: _("longest time"),
    "quality_th": lambda: _("quality standard"),
    "form_schema": lambda: _("form fields"),
    "form": lambda: _("form fields"),
    "attachments": lambda: _("required attachments"),
    "options": lambda: _("branches"),
    "auto_done_after_days": lambda: _("completes by itself after"),
    "time_model": lambda: _("standard time"),
    "activity_field": lambda: _("activity count field"),
    "case_date_field": lambda: _("case date field"),
    "exits": lambda: _("next steps"),
    "title_th": lambda: _("Thai title"),
    "title_en": lambda: _("English title"),
    "area": lambda: _("work area"),
    "objective_th": lambda: _("objective"),
    "scope_th": lambda: _("scope"),
    "key_indicator_th": lambda: _("key indicator"),
    "reference_prefix": lambda: _("reference prefix"),
    "source": lambda: _("source"),
    "variant_note": lambda: _("variant note"),
    "forms": lambda: _("forms used"),
    "references": lambda: _("references"),
}


def _field_label(name: str) -> str:
    label = _FIELD_LABELS.get(name)
    return label() if label else name


def versions_compare(old: DefinitionVersion, new: DefinitionVersion) -> list[str]:
    """What changed from `old` to `new`, one sentence per change, steps in the new order."""
    before, after = version_as_dict(old), version_as_dict(new)
    old_steps = {s["key"]: s for s in before["steps"]}
    new_steps = {s["key"]: s for s in after["steps"]}

    def exits(data: Mapping[str, Any]) -> dict[str, dict[str, str]]:
        result: dict[str, dict[str, str]] = {}
        for t in data["transitions"]:
            result.setdefault(t["from"], {})[t["outcome"]] = t["to"]
        return result

    old_exits, new_exits = exits(before), exits(after)

    def name(steps: Mapping[str, Mapping[str, Any]], key: str) -> str:
        return steps[key].get("name_th") or key

    lines: list[str] = []
    for key, step in new_steps.items():
        if key not in old_steps:
            lines.append(_("Step added: “%(step)s”.") % {"step": name(new_steps, key)})
            continue
        old_step = old_steps[key]
        changed = [
            _field_label(field)
            for field in ("form" if f == "form_schema" else f for f in STEP_FIELDS)
            if field in step and old_step.get(field) != step.get(field)
        ]
        if old_exits.get(key, {}) != new_exits.get(key, {}):
            targets = [
                f"{_outcome_words(step['kind'], step.get('options') or [], o)} → "
                f"{name(new_steps, t)}"
                for o, t in new_exits.get(key, {}).items()
            ]
            changed.append(_field_label("exits") + f" ({'; '.join(targets)})")
        if changed:
            lines.append(
                _("Step changed: “%(step)s”: %(fields)s.")
                % {"step": name(new_steps, key), "fields": ", ".join(changed)}
            )
    for key in old_steps:
        if key not in new_steps:
            lines.append(_("Step removed: “%(step)s”.") % {"step": name(old_steps, key)})
    old_order = [k for k in old_steps if k in new_steps]
    new_order = [k for k in new_steps if k in old_steps]
    if old_order != new_order:
        lines.append(_("The order of the steps changed."))
    return lines


def approval_outcomes() -> list[tuple[str, str]]:
    return [(o.value, str(o.label)) for o in APPROVAL_ORDER]


# ---------------------------------------------------------------------------
# Import as a draft (JSON of the project, or what bpmn.bpmn_to_dict read)
# ---------------------------------------------------------------------------


@transaction.atomic
def import_as_draft(
    *, data: Mapping[str, Any], user: User, source: str, not_mapped: Iterable[str] = ()
) -> DefinitionVersion:
    """Put an imported definition into a draft (a new definition, or the draft of the one with
    the same code). Nothing is published; the designer's check lists what still needs fixing."""
    if not isinstance(data, Mapping):
        raise ValidationError(_("The file does not hold a process definition."))
    missing = [f for f in ("code", "title_th", "steps") if not data.get(f)]
    if missing:
        raise ValidationError(_("The file lacks: %(fields)s.") % {"fields": ", ".join(missing)})
    steps = [s for s in data["steps"] if isinstance(s, Mapping) and s.get("key") and s.get("kind")]
    if len(steps) != len(data["steps"]):
        raise ValidationError(_("Every step in the file needs at least a key and a kind."))
    if len({s["key"] for s in steps}) != len(steps):
        raise ValidationError(_("Two steps in the file share the same key."))
    keys = {s["key"] for s in steps}
    transitions = [
        t
        for t in data.get("transitions") or []
        if isinstance(t, Mapping)
        and t.get("from") in keys
        and t.get("to") in keys
        and t.get("outcome")
    ]
    definition = ProcessDefinition.objects.filter(code=data["code"]).first()
    if definition is None:
        definition = ProcessDefinition(code=data["code"], title_th=data["title_th"])
        for name in DEFINITION_FIELDS:
            if name in data and data[name] is not None:
                setattr(definition, name, data[name])
        if not definition.area:
            definition.area = "service"
        definition.reference_prefix = data.get("reference_prefix") or "WF"
        definition.position = (
            ProcessDefinition.objects.aggregate(last=Max("position"))["last"] or 0
        ) + 1
        definition.full_clean()
        definition.save()
    draft = definition.versions.filter(status=DefinitionVersion.Status.DRAFT).first()
    if draft is None:
        number = (definition.versions.aggregate(last=Max("number"))["last"] or 0) + 1
        draft = DefinitionVersion.objects.create(definition=definition, number=number)
    else:
        if draft.cases.exists():
            raise ValidationError(_("Cases run on the open draft; publish or discard it first."))
        draft.steps.all().delete()
    try:
        _write_steps(draft, steps, transitions)
    except ValidationError as error:
        raise ValidationError(
            [
                _("A step in the file could not be stored: %(error)s") % {"error": m}
                for m in error.messages
            ]
        ) from None
    notes = list(not_mapped)
    summary = _("Imported from %(source)s into draft %(n)s.") % {
        "source": source,
        "n": draft.number,
    }
    if notes:
        summary += " " + _("%(n)s item(s) could not be mapped.") % {"n": len(notes)}
    _record(definition, Action.IMPORTED, user, summary, version=draft, detail={"not_mapped": notes})
    return draft
