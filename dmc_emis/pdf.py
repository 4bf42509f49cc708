"""The round's PDF summary, through the portal's shared Thai PDF layer (its template extends
reports/pdf/base.html), rendered in the background (core.render_jobs) for whoever may see the
whole round."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max
from django.utils import timezone

from core.pdf import render_pdf
from core.render_jobs import digest, register_renderer, rows
from dmc_emis.charts import status_over_time_svg
from dmc_emis.models import Finding, Round, SchoolStatus
from dmc_emis.selectors import board_entries, get_round_for_user
from dmc_emis.services import status_counts


def round_summary_pdf(round_: Round) -> bytes:
    counts = status_counts(round_)
    rule_choices = Finding._meta.get_field("rule").choices
    assert rule_choices is not None  # rule is a choices field
    found = dict(
        Finding.objects.filter(entry__round=round_)
        .values("rule")
        .annotate(n=Count("pk"))
        .values_list("rule", "n")
    )
    findings = {label: found.get(rule, 0) for rule, label in rule_choices}
    pending = board_entries(round_).exclude(status__in=round_.done_statuses)
    context = {
        "round": round_,
        "counts": [(SchoolStatus(s), n) for s, n in counts.items()],
        "total": sum(counts.values()),
        "findings": findings,
        "pending": pending.order_by("school__obec_code")[:300],
        "pending_count": pending.count(),
        "chart": status_over_time_svg(round_, counts, show_title=True),
        "printed_at": timezone.now(),
    }
    return render_pdf("dmc_emis/summary_pdf.html", context)


def round_summary_version(round_: Round) -> str:
    """What the summary prints, in two aggregate queries: the round, its schools per status
    and its findings."""
    return digest(
        rows(Round.objects.filter(pk=round_.pk)),
        status_counts(round_),
        Finding.objects.filter(entry__round=round_).aggregate(n=Count("pk"), last=Max("pk")),
    )


def _render(round_: Round, arguments: dict[str, Any]) -> tuple[bytes, str]:
    return round_summary_pdf(round_), f"dmc-round-{round_.pk}.pdf"


register_renderer(
    "dmc_emis.round_summary",
    access=lambda user, arguments: get_round_for_user(user, arguments["pk"]),
    render=_render,
    title=lambda round_: f"สรุปผลการส่งข้อมูล {round_.title}",
    version=round_summary_version,
)
