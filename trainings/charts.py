"""The evaluation's charts, drawn with the portal's SVG helpers (core.charts)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.charts import bar_chart_svg, horizontal_bar_svg
from trainings.models import SCALE
from trainings.selectors import EvaluationResults


def result_charts(summary: EvaluationResults) -> list[str]:
    """The mean of each rating question (out of 5), and how many answers fell on each level."""
    ratings = summary.ratings
    if not ratings or not any(q.n for q in ratings):
        return []
    means = horizontal_bar_svg(
        [(f"{q.question.position}. {q.question.text}", q.mean) for q in ratings],
        title=_("Mean satisfaction per question (out of 5): %(title)s")
        % {"title": summary.training.title},
        unit=_("points"),
    )
    levels = bar_chart_svg(
        [f"{level} {label}" for level, label in SCALE],
        [
            (
                _("Answers"),
                [sum(dict(q.counts).get(level, 0) for q in ratings) for level, _l in SCALE],
            )
        ],
        title=_("Answers per level, all questions: %(title)s") % {"title": summary.training.title},
        unit=_("answers"),
    )
    return [means, levels]
