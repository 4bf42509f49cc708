"""The official case dossier PDF (แฟ้มเรื่อง), rendered in the background (core.render_jobs)
for whoever may see the case."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max
from django.utils import timezone, translation

from core.pdf import render_pdf
from core.render_jobs import digest, register_renderer, rows
from processes.models import Case, TaskAttachment
from processes.selectors import get_case_for_user
from reports.selectors import build_dossier


def dossier_pdf(case: Case) -> bytes:
    with translation.override("th"):
        dossier = build_dossier(case)
        return render_pdf(
            "reports/pdf/dossier.html",
            {"dossier": dossier, "printed_at": timezone.now()},
            author=case.office.name_th if case.office_id else "",
        )


def dossier_version(case: Case) -> str:
    """What the dossier prints: the case, its last event (every step and decision writes one),
    its tasks and its attachments."""
    return digest(
        rows(Case.objects.filter(pk=case.pk)),
        case.events.order_by("-pk").values_list("pk", flat=True).first(),
        case.tasks.aggregate(n=Count("pk"), last=Max("pk")),
        TaskAttachment.objects.filter(task__case=case).aggregate(n=Count("pk"), last=Max("pk")),
    )


def _render(case: Case, arguments: dict[str, Any]) -> tuple[bytes, str]:
    return dossier_pdf(case), f"dossier-{case.reference}.pdf"


register_renderer(
    "reports.dossier",
    access=lambda user, arguments: get_case_for_user(user, arguments["reference"]),
    render=_render,
    title=lambda case: f"แฟ้มเรื่อง {case.reference} {case.title}",
    version=dossier_version,
)
