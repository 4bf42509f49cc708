"""Plans and spec drafts follow their cases: status, the director's signature, publication."""

from __future__ import annotations

from django.utils import timezone

from processes.hooks import CaseChange, on_case_change
from processes.models import Outcome, StepKind
from workplans.models import DEFINITION_BY_KIND, Plan, SpecDraft
from workplans.services import plan_mark_approved, spec_draft_follow_case


def follow_plan_case(change: CaseChange) -> None:
    plan = Plan.objects.filter(case=change.case).first()
    if plan is None:
        return  # the case is being started; the plan links to it right after
    step = change.step
    assert step is not None  # the engine names the step in every change after "started"
    if (
        change.kind == "entered"
        and step.kind == StepKind.APPROVAL
        and change.task is not None
        and change.task.level == 0
    ):
        _set_status(plan, Plan.Status.PROPOSED)
    elif change.kind == "decided" and step.kind == StepKind.APPROVAL:
        _gate_decided(plan, change)
    elif change.kind == "decided" and step.key == "publish":
        plan.status = Plan.Status.PUBLISHED
        plan.published_at = timezone.now()
        plan.save(update_fields=["status", "published_at"])


def _gate_decided(plan: Plan, change: CaseChange) -> None:
    task = change.task
    assert task is not None  # a decision is always on a task
    if change.outcome == Outcome.RETURN:
        _set_status(plan, Plan.Status.RETURNED)
        return
    if change.outcome == Outcome.REJECT:
        # Not passed: back to studying, the plan is a draft again.
        _set_status(plan, Plan.Status.DRAFTING)
        return
    # The engine has checked the typed-name signature against the approver already.
    signature = (task.data or {}).get("signed_name", "")
    assert change.step is not None
    is_last_level = task.level + 1 >= len(change.step.chain_for(change.case))
    if is_last_level:
        plan_mark_approved(plan=plan, user=change.actor, signature=signature)


def _set_status(plan: Plan, status: str) -> None:
    if plan.status != status:
        plan.status = status
        plan.save(update_fields=["status"])


for _code in DEFINITION_BY_KIND.values():
    on_case_change(_code)(follow_plan_case)


@on_case_change("spec-draft")
def follow_spec_draft_case(change: CaseChange) -> None:
    draft = SpecDraft.objects.filter(case=change.case).first()
    if draft is None:
        return
    spec_draft_follow_case(
        draft=draft,
        step_key=change.step.key if change.step else "",
        kind=change.kind,
        task=change.task,
        outcome=change.outcome,
    )
