"""Every process shipped from the manuals runs to its end along every path.

For each definition and each decision a step can take (every approval's approve, return and
reject), a case is driven from start to end by the right role at every step, filling each
step's required fields and attachments. A path that gets stuck fails the test.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from processes.form_schema import is_signature
from processes.models import Case, ProcessDefinition, StepKind, Task, step_outcomes
from processes.services import case_start, task_complete

CATALOGUE = Path(__file__).resolve().parents[2] / "fixtures" / "processes"
FILES = sorted(p for p in CATALOGUE.glob("*.json") if p.name != "catalogue.json")
MAX_TASKS = 200

pytestmark = pytest.mark.django_db


def test_the_catalogue_covers_the_manuals():
    assert len(FILES) >= 25, "about thirty processes from the seeds"
    order = json.loads((CATALOGUE / "catalogue.json").read_text("utf-8"))
    assert sorted(order) == sorted(p.stem for p in FILES)


def test_loading_the_catalogue_twice_changes_nothing(db):
    call_command("load_catalogue", verbosity=0)
    versions = {d.code: d.versions.count() for d in ProcessDefinition.objects.all()}
    call_command("load_catalogue", verbosity=0)
    assert {d.code: d.versions.count() for d in ProcessDefinition.objects.all()} == versions
    assert set(versions.values()) == {1}


def sample_value(field):
    kind = field.get("type", "text")
    if kind == "number":
        return "1"
    if kind == "date":
        return "21/11/2569"
    if kind == "choice":
        return str(field["choices"][0])
    if kind == "table":
        return [
            {c["name"]: "1" if c.get("type") == "number" else "ทดสอบ" for c in field["columns"]}
        ]
    return "ทดสอบ"


def fill(task, actor):
    step = task.step
    data = {f["name"]: sample_value(f) for f in step.form_schema if f.get("type") != "file"}
    # A typed-name signature is the decider's own name (the engine checks it).
    data.update({f["name"]: actor.display_name for f in step.form_schema if is_signature(f)})
    labels = [f["name"] for f in step.form_schema if f.get("type") == "file"] + list(
        step.attachments
    )
    files = [
        (label, SimpleUploadedFile(f"{i}.pdf", b"%PDF-1.4", "application/pdf"))
        for i, label in enumerate(labels)
    ]
    return data, files


def actor_for(task, case, people):
    if task.role == "requester":
        return case.requester
    return people[task.role]


def scenarios(path):
    """(step key, outcome) pairs to force once; None is the plain approve-everything path."""
    data = json.loads(path.read_text("utf-8"))
    forced = [None]
    for step in data["steps"]:
        # Every decision but the first (the default that the plain path takes).
        for outcome, _label in step_outcomes(step["kind"], step.get("options"))[1:]:
            forced.append((step["key"], outcome))
    return [(path, force) for force in forced]


@pytest.mark.parametrize(
    "path, force",
    [s for path in FILES for s in scenarios(path)],
    ids=lambda value: (
        value.stem
        if isinstance(value, Path)
        else (f"{value[0]}-{value[1]}" if value else "approve-all")
    ),
)
def test_every_path_reaches_the_end(path, force, people, school):
    call_command("load_catalogue", verbosity=0)
    definition = ProcessDefinition.objects.get(code=path.stem)
    case = case_start(
        definition=definition, requester=people["staff"], title="ทดสอบ", school=school
    )
    forced_done = False
    for _ in range(MAX_TASKS):
        case.refresh_from_db()
        if not case.is_open:
            break
        task = case.tasks.filter(status=Task.Status.OPEN).select_related("step").first()
        assert task is not None, f"{path.stem}: running case with no open task"
        outcome = task.step.outcomes[0][0]
        if force and not forced_done and task.step.key == force[0]:
            outcome, forced_done = force[1], True
        elif force and not forced_done:
            outcome = _towards(task.step, force[0]) or outcome
        actor = actor_for(task, case, people)
        data, files = fill(task, actor) if outcome not in ("return", "reject") else ({}, [])
        task_complete(
            task=task,
            user=actor,
            outcome=outcome,
            comment="ทดสอบ",
            data=data,
            files=files,
        )
    else:
        pytest.fail(f"{path.stem}: no end after {MAX_TASKS} tasks")
    expected = (
        Case.State.REJECTED
        if force and force[1] == "reject" and _reject_ends(case, force[0])
        else None
    )
    assert force is None or forced_done, f"{path.stem}: never reached {force[0]}"
    assert case.state in (Case.State.COMPLETED, Case.State.REJECTED)
    if expected:
        assert case.state == expected


def _towards(step, target_key):
    """The first outcome of `step` from which the step `target_key` can still be reached."""
    exits = {}
    for transition in step.version.transitions.select_related("from_step", "to_step"):
        exits.setdefault(transition.from_step.key, {})[transition.outcome] = transition.to_step.key
    for outcome, _label in step.outcomes:
        seen, frontier = set(), [exits[step.key][outcome]]
        while frontier:
            key = frontier.pop()
            if key == target_key:
                return outcome
            if key not in seen:
                seen.add(key)
                frontier.extend(exits.get(key, {}).values())
    return None


def _reject_ends(case, step_key):
    step = case.version.steps.get(key=step_key)
    return step.exits.get(outcome="reject").to_step.kind == StepKind.END
