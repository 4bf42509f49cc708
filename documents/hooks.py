"""Documents follow every process through the engine's hook registry: when the final
decision of an approval is recorded, its memo is numbered and frozen in the same transaction."""

from __future__ import annotations

from documents.services import ends_approval, memo_issue
from processes.hooks import CaseChange, on_every_case_change


@on_every_case_change
def issue_memo_on_final_decision(change: CaseChange) -> None:
    if change.kind != "decided" or change.task is None:
        return
    if ends_approval(change.task, change.case):
        memo_issue(case=change.case, task=change.task)
