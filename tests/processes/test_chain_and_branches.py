"""The office sets its chain of command (group head, deputy) for memos to the director; seed
004's flowcharts are followed where they branch."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from processes.models import DefinitionVersion, ProcessDefinition, StepKind, Task
from processes.services import case_start, task_complete
from tests.processes.test_catalogue import actor_for, fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(db):
    call_command("load_catalogue", verbosity=0)


def _to_step(case, key, people, outcome_for=None):
    for _hop in range(40):
        task = case.tasks.filter(status=Task.Status.OPEN).select_related("step").first()
        if task.step.key == key:
            return task
        actor = actor_for(task, case, people)
        data, files = fill(task, actor)
        task_complete(
            task=task,
            user=actor,
            outcome=task.step.outcomes[0][0],
            data=data,
            files=files,
        )
    raise AssertionError(key)


@pytest.mark.parametrize(
    ("via_head", "via_deputy", "chain"),
    [
        (True, False, ["group_head", "director"]),
        (True, True, ["group_head", "deputy_director", "director"]),
        (False, False, ["director"]),
    ],
)
def test_the_office_sets_the_levels_before_the_director(
    catalogue, people, office, via_head, via_deputy, chain
):
    office.chain_via_group_head, office.chain_via_deputy = via_head, via_deputy
    office.save()
    definition = ProcessDefinition.objects.get(code="ict-master-plan")
    case = case_start(definition=definition, requester=people["staff"], title="แผนแม่บท")
    first = _to_step(case, "propose", people)
    levels = []
    task = first
    while task is not None:
        levels.append(task.role)
        assert task.due_on == first.due_on  # the chain shares the step's time
        data, files = fill(task, people[task.role])  # the director's level signs by name
        task_complete(task=task, user=people[task.role], outcome="approve", data=data, files=files)
        task = case.tasks.filter(status=Task.Status.OPEN, step__key="propose").first()
    assert levels == chain
    assert first.chain_size == len(chain)


def test_the_catalogue_names_the_director_and_leaves_the_levels_to_the_office(catalogue):
    published = DefinitionVersion.objects.filter(status=DefinitionVersion.Status.PUBLISHED)
    own = {"repair-ticket", "equipment-loan", "equipment-use", "spec-draft"}
    for version in published.exclude(definition__code__in=own):
        for step in version.steps.filter(kind=StepKind.APPROVAL):
            assert (step.approvers, step.through_chain) == (["director"], True), step


def test_seed_004_revise_goes_back_to_the_study_step(catalogue, people):
    """Process 1's flowchart: D -- ปรับปรุง --> B (ศึกษา วิเคราะห์ วางแผนการดำเนินงาน)."""
    definition = ProcessDefinition.objects.get(code="digital-tech-plan")
    case = case_start(definition=definition, requester=people["staff"], title="แผนดิจิทัล")
    propose = _to_step(case, "propose", people)
    task_complete(task=propose, user=people["group_head"], outcome="return", comment="ปรับปรุง")
    assert case.tasks.get(status=Task.Status.OPEN).step.key == "study"


def test_seed_004_not_passed_is_reviewed_then_studied_again(catalogue, people):
    """Process 2's flowchart: D -- ไม่ผ่าน --> F[ทบทวน ปรับปรุง] --> B."""
    definition = ProcessDefinition.objects.get(code="distance-ed-plan")
    case = case_start(definition=definition, requester=people["staff"], title="แผนทางไกล")
    propose = _to_step(case, "propose", people)
    task_complete(task=propose, user=people["group_head"], outcome="reject", comment="ไม่ผ่าน")
    review = case.tasks.get(status=Task.Status.OPEN)
    assert review.step.key == "review"
    task_complete(task=review, user=people["staff"], outcome="done", data={"points": "ทบทวน"})
    assert case.tasks.get(status=Task.Status.OPEN).step.key == "study"
