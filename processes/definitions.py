"""Process definitions as data: validate a version, publish it, and move it in and out as JSON.

The JSON shape is the one the catalogue in fixtures/processes/ is written in (see its README):
a definition's fields, its ordered `steps` and its `transitions` by step key.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from processes.form_schema import schema_errors
from processes.models import (
    Area,
    DefinitionVersion,
    OutcomeOption,
    ProcessDefinition,
    Responsible,
    StepDefinition,
    StepKind,
    TimeModel,
    TransitionDefinition,
    step_outcomes,
)

DEFINITION_FIELDS = (
    "title_th",
    "title_en",
    "area",
    "objective_th",
    "scope_th",
    "key_indicator_th",
    "forms",
    "references",
    "source",
    "variant_note",
)
APPROVER_ROLES = {Responsible.GROUP_HEAD, Responsible.DEPUTY_DIRECTOR, Responsible.DIRECTOR}


# ---------------------------------------------------------------------------
# Validation, on the same plain shape for stored versions and for imported files
# ---------------------------------------------------------------------------


def graph_errors(steps: list[Mapping[str, Any]], transitions: list[Mapping[str, Any]]) -> list[str]:
    """Everything that would leave a case stuck: unreachable steps, dead ends, missing outcomes."""
    if not steps:
        return [_("The process has no steps.")]
    exits, errors = _exits(steps, transitions)
    if not any(step["kind"] == StepKind.END for step in steps):
        errors.append(_("The process has no end step."))
    form_fields = {
        name
        for step in steps
        for field in (step.get("form") or [])
        if isinstance(field, Mapping) and isinstance(name := field.get("name"), str)
    }
    for step in steps:
        errors.extend(_step_errors(step, exits[step["key"]], form_fields))
    # Paths are only worth following once every step and transition is well formed.
    return errors or _path_errors(steps, exits)


def _exits(
    steps: list[Mapping[str, Any]], transitions: list[Mapping[str, Any]]
) -> tuple[dict[str, dict[str, str]], list[str]]:
    """Each step's outcomes and where they lead, and what is wrong with the transitions."""
    errors: list[str] = []
    by_key = {step["key"]: step for step in steps}
    if len(by_key) != len(steps):
        errors.append(_("Two steps share the same key."))
    exits: dict[str, dict[str, str]] = {key: {} for key in by_key}
    for transition in transitions:
        source, target, outcome = transition["from"], transition["to"], transition["outcome"]
        if source not in by_key or target not in by_key:
            errors.append(
                _("A transition names a step that does not exist: %(s)s → %(t)s")
                % {"s": source, "t": target}
            )
            continue
        if outcome in exits[source]:
            errors.append(
                _("Step “%(step)s” has two “%(outcome)s” transitions.")
                % {"step": source, "outcome": outcome}
            )
        exits[source][outcome] = target
    return exits, errors


def _step_errors(
    step: Mapping[str, Any], exits: dict[str, str], form_fields: set[str]
) -> list[str]:
    """What is wrong with one step on its own: kind, outcomes, who works it, form and time."""
    kind = step["kind"]
    name = step.get("name_th") or step["key"]
    if kind not in StepKind.values:
        return [_("Step “%(step)s” has an unknown kind.") % {"step": name}]
    errors = _outcome_errors(step, name, exits)
    errors.extend(_responsible_errors(step, name))
    if kind == StepKind.WAIT_UNTIL and not _case_date_field(step):
        errors.append(
            _("Wait step “%(step)s” does not say which date to wait for.") % {"step": name}
        )
    errors.extend(f"{name}: {problem}" for problem in schema_errors(step.get("form") or []))
    errors.extend(_time_errors(step, name, form_fields))
    return errors


def _outcome_errors(step: Mapping[str, Any], name: str, exits: dict[str, str]) -> list[str]:
    """Every outcome the step offers leads somewhere, and no transition is for another."""
    offered = dict(step_outcomes(step["kind"], _option_list(step)))
    have = set(exits)
    errors = [
        _("Step “%(step)s” needs a “%(outcome)s” transition.")
        % {"step": name, "outcome": offered[outcome]}
        for outcome in sorted(set(offered) - have)
    ]
    errors += [
        _("Step “%(step)s” cannot have a “%(outcome)s” transition.")
        % {"step": name, "outcome": outcome}
        for outcome in sorted(have - set(offered))
    ]
    if step.get("options") and not _option_list(step):
        errors.append(
            _("Step “%(step)s”: each named outcome needs a value of letters, digits and _.")
            % {"step": name}
        )
    return errors


def _responsible_errors(step: Mapping[str, Any], name: str) -> list[str]:
    """An approval names its chain; any other working step names who works it."""
    kind = step["kind"]
    errors = []
    if kind == StepKind.APPROVAL:
        chain = step.get("approvers") or []
        if not chain or any(not _valid_approver(entry) for entry in chain):
            errors.append(
                _(
                    "Approval step “%(step)s” needs an approval chain of group head, deputy"
                    " director and/or director."
                )
                % {"step": name}
            )
    elif step.get("responsible") not in Responsible.values and kind != StepKind.END:
        errors.append(_("Step “%(step)s” has no valid responsible role.") % {"step": name})
    if step.get("through_chain") and kind != StepKind.APPROVAL:
        errors.append(
            _("Step “%(step)s”: only an approval goes through the chain of command.")
            % {"step": name}
        )
    return errors


def _path_errors(steps: list[Mapping[str, Any]], exits: dict[str, dict[str, str]]) -> list[str]:
    """Steps nobody can reach from the start, and steps from which no path ends."""
    reachable = _reachable(steps[0]["key"], exits)
    end_keys = {step["key"] for step in steps if step["kind"] == StepKind.END}
    errors = [
        _("Step “%(step)s” cannot be reached from the start.")
        % {"step": step.get("name_th") or step["key"]}
        for step in steps
        if step["key"] not in reachable
    ]
    errors += [
        _("From step “%(step)s” no path reaches the end.")
        % {"step": step.get("name_th") or step["key"]}
        for step in steps
        if not (_reachable(step["key"], exits) & end_keys)
    ]
    return errors


def _case_date_field(step: Mapping[str, Any]) -> str:
    """The case-data date key; files written before the rename call it `wait_until_field`."""
    return step.get("case_date_field") or step.get("wait_until_field") or ""


def _time_model(step: Mapping[str, Any]) -> str:
    """The step's time model; files without one keep their old meaning: a wait waits for the
    case's date, numbers of days are working days, no numbers means no standard time."""
    if step.get("time_model"):
        model: str = step["time_model"]
        return model
    if step.get("kind") == StepKind.WAIT_UNTIL:
        return TimeModel.UNTIL_CASE_DATE
    if step.get("days_min") is not None or step.get("days_max") is not None:
        return TimeModel.WORKING_DAYS
    return TimeModel.NONE


def _time_errors(step: Mapping[str, Any], name: str, form_fields: set[str]) -> list[str]:
    """A time model that is known and has what it needs, and no numbers it would ignore."""
    model = _time_model(step)
    days_min, days_max = step.get("days_min"), step.get("days_max")
    has_days = days_min is not None or days_max is not None
    if model not in TimeModel.values:
        return [_("Step “%(step)s” has an unknown standard time.") % {"step": name}]
    errors = []
    if days_min is not None and days_max is not None and days_min > days_max:
        errors.append(_("Step “%(step)s”: the minimum time exceeds the maximum.") % {"step": name})
    counted = (TimeModel.WORKING_DAYS, TimeModel.CALENDAR_DAYS, TimeModel.PER_ACTIVITY)
    if model in counted and not (days_min or days_max):
        errors.append(_("Step “%(step)s”: give its standard time in days.") % {"step": name})
    if model not in counted and has_days:
        errors.append(
            _("Step “%(step)s”: days are given but its standard time does not count days.")
            % {"step": name}
        )
    if model == TimeModel.PER_ACTIVITY and step.get("activity_field") not in form_fields:
        errors.append(
            _("Step “%(step)s”: name the form field that holds the number of activities.")
            % {"step": name}
        )
    if model == TimeModel.UNTIL_CASE_DATE and not _case_date_field(step):
        errors.append(
            _("Step “%(step)s”: name the case date its time runs until.") % {"step": name}
        )
    if step.get("kind") == StepKind.WAIT_UNTIL and model != TimeModel.UNTIL_CASE_DATE:
        errors.append(_("Wait step “%(step)s” runs until a date of the case.") % {"step": name})
    return errors


def _option_list(step: Mapping[str, Any]) -> list[OutcomeOption]:
    """The step's named outcomes if every one is well formed, else [] (reported as an error)."""
    options = step.get("options") or []
    valid = all(isinstance(o, Mapping) and str(o.get("value", "")).isidentifier() for o in options)
    return list(options) if valid else []


def _valid_approver(entry: Any) -> bool:
    if isinstance(entry, Mapping):
        return (
            entry.get("role") in APPROVER_ROLES
            and bool(entry.get("field"))
            and isinstance(entry.get("if_over"), int | float)
        )
    return entry in APPROVER_ROLES


def _reachable(start: str, exits: Mapping[str, Mapping[str, str]]) -> set[str]:
    seen = {start}
    queue = deque([start])
    while queue:
        for target in exits[queue.popleft()].values():
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def version_errors(version: DefinitionVersion) -> list[str]:
    data = version_as_dict(version)
    return graph_errors(data["steps"], data["transitions"])


# ---------------------------------------------------------------------------
# Export and import
# ---------------------------------------------------------------------------


def version_as_dict(version: DefinitionVersion) -> dict[str, Any]:
    definition = version.definition
    steps = list(version.steps.order_by("position", "pk"))
    keys = {step.pk: step.key for step in steps}
    return {
        "code": definition.code,
        **{field: getattr(definition, field) for field in DEFINITION_FIELDS},
        "reference_prefix": definition.reference_prefix,
        "version": version.number,
        "steps": [
            {
                "key": step.key,
                "name_th": step.name_th,
                "name_en": step.name_en,
                "kind": step.kind,
                "responsible": step.responsible,
                "approvers": list(step.approvers),
                "through_chain": step.through_chain,
                "time_model": step.time_model,
                "days_min": step.days_min,
                "days_max": step.days_max,
                "activity_field": step.activity_field,
                "quality_th": step.quality_th,
                "form": list(step.form_schema),
                "attachments": list(step.attachments),
                "options": list(step.options),
                "auto_done_after_days": step.auto_done_after_days,
                "case_date_field": step.case_date_field,
            }
            for step in steps
        ],
        "transitions": [
            {"from": keys[t.from_step_id], "outcome": t.outcome, "to": keys[t.to_step_id]}
            for t in version.transitions.order_by("from_step__position", "pk")
        ],
    }


def _shape_errors(data: Mapping[str, Any]) -> list[str]:
    errors = []
    if not isinstance(data, Mapping):
        return [_("The file does not hold a process definition.")]
    for field in ("code", "title_th", "steps", "transitions"):
        if not data.get(field):
            errors.append(_("Missing “%(field)s”.") % {"field": field})
    if data.get("area") and data["area"] not in Area.values:
        errors.append(_("Unknown work area “%(area)s”.") % {"area": data["area"]})
    for index, step in enumerate(data.get("steps") or [], start=1):
        if not isinstance(step, Mapping) or not step.get("key") or not step.get("kind"):
            errors.append(_("Step %(n)s needs at least a key and a kind.") % {"n": index})
    for index, transition in enumerate(data.get("transitions") or [], start=1):
        if not isinstance(transition, Mapping) or not all(
            transition.get(k) for k in ("from", "outcome", "to")
        ):
            errors.append(_("Transition %(n)s needs from, outcome and to.") % {"n": index})
    return errors


@transaction.atomic
def definition_import(
    data: Mapping[str, Any],
    *,
    user: User | None = None,
    publish: bool = True,
    position: int | None = None,
) -> DefinitionVersion:
    """Create or update a definition from its JSON shape, as a new version.

    A file identical to the published version changes nothing (fixtures can be loaded on every
    start). Otherwise a new draft version holds the steps and, with `publish`, replaces the
    published one; running cases stay on the version they started on.
    """
    errors = _shape_errors(data)
    if not errors:
        errors = graph_errors(list(data["steps"]), list(data["transitions"]))
    if errors:
        raise ValidationError(errors)
    definition, _created = ProcessDefinition.objects.get_or_create(
        code=data["code"],
        defaults={"title_th": data["title_th"], "area": data.get("area") or Area.SERVICE},
    )
    for field in DEFINITION_FIELDS:
        if field in data:
            setattr(definition, field, data[field] if data[field] is not None else "")
    if data.get("reference_prefix"):
        definition.reference_prefix = data["reference_prefix"]
    if position is not None:
        definition.position = position
    definition.full_clean()
    definition.save()

    published = definition.versions.filter(status=DefinitionVersion.Status.PUBLISHED).first()
    if published and _same_steps(version_as_dict(published), data):
        return published
    number = (
        definition.versions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    version = DefinitionVersion.objects.create(definition=definition, number=number)
    _write_steps(version, data["steps"], data["transitions"])
    if publish:
        version = version_publish(version=version, user=user)
    return version


def _canonical_step(step: Mapping[str, Any]) -> dict[str, Any]:
    """A step with every field present and defaulted, as stored."""
    return {
        "key": step["key"],
        "name_th": step.get("name_th") or step["key"],
        "name_en": step.get("name_en") or "",
        "kind": step["kind"],
        "responsible": step.get("responsible") or Responsible.STAFF,
        "approvers": list(step.get("approvers") or []),
        "through_chain": bool(step.get("through_chain")),
        "time_model": _time_model(step),
        "days_min": step.get("days_min"),
        "days_max": step.get("days_max"),
        "activity_field": step.get("activity_field") or "",
        "quality_th": step.get("quality_th") or "",
        "form": list(step.get("form") or []),
        "attachments": list(step.get("attachments") or []),
        "options": list(step.get("options") or []),
        "auto_done_after_days": step.get("auto_done_after_days"),
        "case_date_field": _case_date_field(step),
    }


def _same_steps(current: Mapping[str, Any], incoming: Mapping[str, Any]) -> bool:
    def edges(transitions: list[Mapping[str, Any]]) -> set[tuple[str, str, str]]:
        return {(t["from"], t["outcome"], t["to"]) for t in transitions}

    same_steps = [_canonical_step(s) for s in current["steps"]] == [
        _canonical_step(s) for s in incoming["steps"]
    ]
    return same_steps and edges(current["transitions"]) == edges(incoming["transitions"])


def _write_steps(
    version: DefinitionVersion,
    steps: Sequence[Mapping[str, Any]],
    transitions: Sequence[Mapping[str, Any]],
) -> None:
    created = {}
    for position, step in enumerate(steps, start=1):
        fields = _canonical_step(step)
        fields["form_schema"] = fields.pop("form")
        row = StepDefinition(version=version, position=position * 10, **fields)
        row.full_clean(exclude=["version"])
        row.save()
        created[row.key] = row
    TransitionDefinition.objects.bulk_create(
        TransitionDefinition(
            version=version,
            from_step=created[t["from"]],
            outcome=t["outcome"],
            to_step=created[t["to"]],
        )
        for t in transitions
    )


@transaction.atomic
def version_publish(*, version: DefinitionVersion, user: User | None) -> DefinitionVersion:
    """Make `version` the one new cases start on; the previous one retires (its cases carry on)."""
    version = DefinitionVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != DefinitionVersion.Status.DRAFT:
        raise ValidationError(_("Only a draft version can be published."))
    errors = version_errors(version)
    if errors:
        raise ValidationError(errors)
    version.definition.versions.filter(status=DefinitionVersion.Status.PUBLISHED).update(
        status=DefinitionVersion.Status.RETIRED
    )
    version.status = DefinitionVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = user
    version.save(update_fields=["status", "published_at", "published_by"])
    return version


@transaction.atomic
def version_create_draft(*, definition: ProcessDefinition) -> DefinitionVersion:
    """A new draft copied from the latest version, for admins to edit."""
    latest = definition.versions.order_by("-number").first()
    if latest is not None and latest.status == DefinitionVersion.Status.DRAFT:
        return latest
    number = (latest.number if latest else 0) + 1
    draft = DefinitionVersion.objects.create(definition=definition, number=number)
    if latest is not None:
        data = version_as_dict(latest)
        _write_steps(draft, data["steps"], data["transitions"])
    return draft


# ---------------------------------------------------------------------------
# XLSX: the same shape as three sheets, for people who edit steps in a spreadsheet
# ---------------------------------------------------------------------------

XLSX_STEP_COLUMNS = (
    "key",
    "name_th",
    "name_en",
    "kind",
    "responsible",
    "approvers",
    "through_chain",
    "time_model",
    "days_min",
    "days_max",
    "activity_field",
    "quality_th",
    "attachments",
    "case_date_field",
    "form",
    "options",
    "auto_done_after_days",
)
_TRUE_TEXT = {"1", "true", "yes", "y", "ใช่"}
_XLSX_RENAMED = {"wait_until_field": "case_date_field"}
# Lists travel as text: approvers and attachments one per line, the form as JSON.
_LINE_LISTS = {"attachments", "forms", "references"}
# Structured columns travel as JSON text (approvers may carry conditions).
_JSON_COLUMNS = {"form", "options", "approvers"}


def version_to_xlsx(version: DefinitionVersion) -> bytes:
    from io import BytesIO

    from openpyxl import Workbook

    data = version_as_dict(version)
    book = Workbook()
    about = book.active
    about.title = "definition"
    for field in ("code", *DEFINITION_FIELDS, "reference_prefix"):
        value = data.get(field)
        about.append([field, "\n".join(value) if isinstance(value, list) else value])
    steps = book.create_sheet("steps")
    steps.append(list(XLSX_STEP_COLUMNS))
    for step in data["steps"]:
        steps.append([_cell(column, step.get(column)) for column in XLSX_STEP_COLUMNS])
    transitions = book.create_sheet("transitions")
    transitions.append(["from", "outcome", "to"])
    for transition in data["transitions"]:
        transitions.append([transition["from"], transition["outcome"], transition["to"]])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(column: str, value: Any) -> Any:
    if column in _JSON_COLUMNS:
        return json.dumps(value or [], ensure_ascii=False)
    if column in _LINE_LISTS:
        return "\n".join(value or [])
    return value


def xlsx_to_dict(content: bytes) -> dict[str, Any]:
    """Read a workbook written by `version_to_xlsx` (and edited by a person) back to the shape."""
    from io import BytesIO

    from openpyxl import load_workbook

    try:
        book = load_workbook(BytesIO(content), read_only=True, data_only=True)
        about, steps, transitions = book["definition"], book["steps"], book["transitions"]
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationError(
            _("The file is not a process workbook (sheets definition, steps, transitions).")
        ) from error
    data: dict[str, Any] = {}
    for key, value, *_rest in about.iter_rows(values_only=True):
        if key:
            data[key] = _split_lines(value) if key in _LINE_LISTS else (value or "")
    rows = steps.iter_rows(values_only=True)
    # Columns are read by their header, so a workbook written before a column was added (or
    # renamed: wait_until_field is now case_date_field) still reads right.
    header = [_XLSX_RENAMED.get(str(h), str(h)) if h else "" for h in next(rows, ())]
    data["steps"] = [
        _step_from_row(row_number, dict(zip(header, row, strict=False)))
        for row_number, row in enumerate(rows, start=2)
        if any(row)
    ]
    data["transitions"] = [
        {"from": row[0], "outcome": row[1], "to": row[2]}
        for row in transitions.iter_rows(min_row=2, values_only=True)
        if row and any(row[:3])
    ]
    return data


def _split_lines(value: Any) -> list[str]:
    return [line.strip() for line in str(value or "").splitlines() if line.strip()]


def _step_from_row(row_number: int, row: dict[str, Any]) -> dict[str, Any]:
    step: dict[str, Any] = {column: row.get(column) for column in XLSX_STEP_COLUMNS}
    step["attachments"] = _split_lines(step["attachments"])
    for column in sorted(_JSON_COLUMNS):
        try:
            step[column] = json.loads(step[column]) if step[column] else []
        except json.JSONDecodeError as error:
            raise ValidationError(
                _("Steps sheet, row %(row)s: the %(column)s column is not valid JSON.")
                % {"row": row_number, "column": column}
            ) from error
    flag = step.get("through_chain")
    step["through_chain"] = (
        flag if isinstance(flag, bool) else str(flag or "").strip().lower() in _TRUE_TEXT
    )
    for column in ("days_min", "days_max", "auto_done_after_days"):
        value = step[column]
        if value in (None, ""):
            step[column] = None
        else:
            try:
                step[column] = int(value)
            except (TypeError, ValueError):
                raise ValidationError(
                    _("Steps sheet, row %(row)s: %(column)s must be a whole number of days.")
                    % {"row": row_number, "column": column}
                ) from None
    return step
