"""The draft of a memo or order before its decision (marked ร่าง), rendered in the background
(core.render_jobs) from the case as it stands. A decided document is never rendered here: it
is the stored file (documents.rendering, documents.services.document_render)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import translation

from core.render_jobs import digest, register_renderer, rows
from documents.memo import memo_content
from documents.models import IssuedDocument
from documents.orders import ORDER_PROCESS
from documents.rendering import render_draft
from documents.services import order_content
from processes.models import Case, StepKind, Task
from processes.selectors import get_case_for_user


@dataclass(frozen=True)
class MemoDraft:
    """The approval (or acknowledgement) task a memo is asked for, and its case."""

    task: Task
    case: Case

    def get_absolute_url(self) -> str:
        return self.case.get_absolute_url()


def memo_task_for_user(user: Any, task_pk: int) -> MemoDraft:
    """The task's memo if the user may see its case and the step is a decision (404 else)."""
    task = get_object_or_404(Task.objects.select_related("case", "step"), pk=task_pk)
    case = get_case_for_user(user, task.case.reference)
    if task.step.kind not in (StepKind.APPROVAL, StepKind.ACKNOWLEDGE):
        raise Http404
    return MemoDraft(task=task, case=case)


def memo_draft_pdf(draft: MemoDraft) -> bytes:
    case, task = draft.case, draft.task
    with translation.override("th"):
        if case.version.definition.code == ORDER_PROCESS:  # the order the director signs
            return render_draft(IssuedDocument.Kind.ORDER, order_content(case, task), case.office)
        return render_draft(IssuedDocument.Kind.MEMO, memo_content(case, task), case.office)


def memo_draft_version(draft: MemoDraft) -> str:
    """What the draft prints: the case (its data, the order's text), its last event (every
    submission and decision writes one) and the task."""
    case = draft.case
    return digest(
        rows(Case.objects.filter(pk=case.pk)),
        case.events.order_by("-pk").values_list("pk", flat=True).first(),
        rows(Task.objects.filter(pk=draft.task.pk)),
    )


def _render(draft: MemoDraft, arguments: dict[str, Any]) -> tuple[bytes, str]:
    return memo_draft_pdf(draft), f"memo-draft-{draft.case.reference}-{draft.task.pk}.pdf"


register_renderer(
    "documents.memo_draft",
    access=lambda user, arguments: memo_task_for_user(user, arguments["task_pk"]),
    render=_render,
    title=lambda draft: f"ร่างบันทึกข้อความ {draft.case.reference} {draft.case.title}",
    version=memo_draft_version,
)
