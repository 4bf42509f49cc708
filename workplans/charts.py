"""Charts of this app, drawn with the portal's SVG helpers in reports/charts.py (used, not
changed): a survey question's answers, money spent per quarter, KPI results against targets."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.charts import bar_chart_svg, horizontal_bar_svg
from workplans.models import Question
from workplans.selectors import FollowUp, QuestionSummary, SurveySummary


def question_chart(summary: QuestionSummary) -> str:
    """Rating questions: how many schools gave each score; choice questions: each choice's
    count. Free-text questions have no chart (their answers are listed)."""
    title = f"{summary.question.position}. {summary.question.text}"
    if summary.question.kind == Question.Kind.RATING:
        return bar_chart_svg(
            [label for label, _count in summary.counts],
            [(_("Schools"), [count for _label, count in summary.counts])],
            title=title,
            unit=_("schools"),
        )
    if summary.question.kind == Question.Kind.CHOICE:
        return horizontal_bar_svg(summary.counts, title=title, unit=_("schools"))
    return ""


def add_charts(summaries: list[SurveySummary]) -> list[SurveySummary]:
    for summary in summaries:
        for question in summary.questions:
            question.chart = question_chart(question)
    return summaries


def spending_chart(follow_up: FollowUp) -> str:
    quarters = [_("Q%(n)s") % {"n": q} for q in (1, 2, 3, 4)]
    return bar_chart_svg(
        quarters,
        [(_("Spent"), [float(follow_up.spent_by_quarter[q]) for q in (1, 2, 3, 4)])],
        title=_("Budget spent per quarter, fiscal year %(year)s") % {"year": follow_up.fiscal_year},
        unit=_("baht"),
    )


def kpi_chart(follow_up: FollowUp) -> str:
    labels = [f"{status.kpi.position}. {status.kpi.name}" for status in follow_up.kpis]
    return bar_chart_svg(
        labels,
        [
            (_("Target"), [float(status.kpi.target) for status in follow_up.kpis]),
            (
                _("Result"),
                [float(s.latest) if s.latest is not None else None for s in follow_up.kpis],
            ),
        ],
        title=_("Indicators: result against target, fiscal year %(year)s")
        % {"year": follow_up.fiscal_year},
    )
