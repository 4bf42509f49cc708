"""When a task of a step is due: the one place that reads a step's time model.

A step's time is what its manual says, and nothing else (see `TimeModel`):

* none: no due date; the task is never due soon, overdue, reminded or escalated;
* working days: the maximum (or the only number) in working days of the Thai calendar;
* calendar days: the same number of plain days (the manuals' "๑ - ๕ วัน" endorsements);
* per activity: days per activity (calendar days, "๓ - ๕ วันต่อกิจกรรม") times the number of
  activities entered in the step's form (`activity_field`); unknown until that number is;
* until a date of the case: the date held in the case data under `case_date_field`.

An approval step's time covers its whole chain: the engine opens the first level with the due
date computed here and hands the same date on to each following level.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from core import thaitime

if TYPE_CHECKING:
    from processes.models import StepDefinition


def standard_number(step: StepDefinition) -> int | None:
    """The number of days the due date is counted with: the maximum, else the minimum."""
    return step.days_max or step.days_min or None


def _latest_value(case_data: Mapping[str, Any], key: str, prefer: str = "") -> Any:
    """`key` at the top of the case data, else in the preferred step's data, else the latest
    step that submitted it."""
    if not key:
        return None
    if case_data.get(key) not in (None, ""):
        return case_data[key]
    preferred = case_data.get(prefer) if prefer else None
    if isinstance(preferred, Mapping) and preferred.get(key) not in (None, ""):
        return preferred[key]
    found = None
    for step_data in case_data.values():
        if isinstance(step_data, Mapping) and step_data.get(key) not in (None, ""):
            found = step_data[key]
    return found


def activity_count(
    step: StepDefinition,
    case_data: Mapping[str, Any],
    form_data: Mapping[str, Any] | None = None,
) -> int | None:
    """The number of activities entered for a per-activity step: a number field, or a table
    field counted by its rows. `form_data` (what is being entered now) wins over the case."""
    value = None
    if form_data and form_data.get(step.activity_field) not in (None, ""):
        value = form_data[step.activity_field]
    if value is None:
        value = _latest_value(case_data, step.activity_field, prefer=step.key)
    if isinstance(value, list | tuple):
        return len(value) or None
    try:
        count = int(value)
    except (TypeError, ValueError):
        return None
    return count if count > 0 else None


def case_date(case_data: Mapping[str, Any], key: str) -> datetime.date | None:
    """The ISO date held by the case under `key` (None when missing or not a date)."""
    raw = _latest_value(case_data, key)
    if isinstance(raw, datetime.date):
        return raw
    try:
        return datetime.date.fromisoformat(str(raw)) if raw else None
    except ValueError:
        return None


def due_on_for(
    step: StepDefinition,
    *,
    start: datetime.date,
    case_data: Mapping[str, Any],
    form_data: Mapping[str, Any] | None = None,
) -> datetime.date | None:
    """The due date of a task of `step` started on `start`; None for an untimed step (or a
    per-activity step before its activities are known, or a case without the date)."""
    from processes.models import StepKind, TimeModel

    if step.kind == StepKind.WAIT_UNTIL:
        return case_date(case_data, step.case_date_field)
    model = step.time_model
    if model == TimeModel.UNTIL_CASE_DATE:
        return case_date(case_data, step.case_date_field)
    days = standard_number(step)
    if model == TimeModel.NONE or days is None:
        return None
    if model == TimeModel.WORKING_DAYS:
        return thaitime.add_working_days(start, days)
    if model == TimeModel.CALENDAR_DAYS:
        return start + datetime.timedelta(days=days)
    if model == TimeModel.PER_ACTIVITY:
        count = activity_count(step, case_data, form_data)
        return start + datetime.timedelta(days=days * count) if count else None
    raise ValueError(f"Unknown time model {model!r}")


def due_after_pause(
    step: StepDefinition,
    due_on: datetime.date | None,
    paused_since: datetime.date,
    resumed_on: datetime.date,
) -> tuple[int, datetime.date | None]:
    """Working days the clock stood still, and the due date moved on by the time waited:
    working days for a working-days step, plain days for the calendar-counted ones; a date
    of the case does not move."""
    from processes.models import TimeModel

    paused, moved = thaitime.pause_extension(due_on, paused_since, resumed_on)
    if due_on is None or step.time_model == TimeModel.WORKING_DAYS:
        return paused, moved
    if step.time_model in (TimeModel.CALENDAR_DAYS, TimeModel.PER_ACTIVITY):
        return paused, due_on + (resumed_on - paused_since)
    return paused, due_on
