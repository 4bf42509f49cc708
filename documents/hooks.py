"""Documents follow every process through the engine's hook registry: when the final
decision of an approval is recorded, its memo is numbered and frozen in the same transaction;
an approved appointment order (process `appointment-order`) is issued as a คำสั่ง instead."""

from __future__ import annotations

from documents.orders import ORDER_PROCESS
from documents.services import ends_approval, memo_issue, order_issue
from processes.hooks import CaseChange, on_every_case_change
from processes.models import Outcome


@on_every_case_change
def issue_on_final_decision(change: CaseChange) -> None:
    if change.kind != "decided" or change.task is None:
        return
    if not ends_approval(change.task, change.case):
        return
    if change.case.version.definition.code == ORDER_PROCESS:
        if change.task.outcome == Outcome.APPROVE:
            order_issue(case=change.case, task=change.task)
        return
    memo_issue(case=change.case, task=change.task)
