"""The board's chart: schools by status over the days of a round (drawn by core.charts)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.charts import bar_chart_svg
from core.thaitime import format_thai_date
from dmc_emis.models import STAGE_OF, DutyStage, Round, SchoolStatus

# Neighbouring statuses are drawn as one band so the chart stays readable on a phone.
BANDS = [
    (gettext_lazy("Not started"), [SchoolStatus.NOT_STARTED]),
    (
        gettext_lazy("Submitted / being checked"),
        [SchoolStatus.SUBMITTED, SchoolStatus.ISSUES_FOUND, SchoolStatus.CORRECTED],
    ),
    (
        gettext_lazy("Checked clean / confirmed"),
        [SchoolStatus.CHECKED_CLEAN, SchoolStatus.CONFIRMED],
    ),
    (gettext_lazy("Certified / acknowledged"), [SchoolStatus.CERTIFIED, SchoolStatus.ACKNOWLEDGED]),
]


def bands_of(round_: Round) -> list:
    """The student-data bands above, or a simple duty's four stages, one band each."""
    if round_.has_import:
        return BANDS
    return [
        (stage.label, [s for s in round_.statuses if STAGE_OF[s] == stage]) for stage in DutyStage
    ]


def status_over_time_svg(
    round_: Round, today_counts: dict[str, int], *, days: int = 14, show_title: bool = False
) -> str:
    """Stacked bars, one per day with a snapshot (the last `days`), today's live counts last."""
    today = timezone.localdate()
    points = [
        (snapshot.day, snapshot.counts)
        for snapshot in round_.snapshots.exclude(day=today).order_by("-day")[: days - 1]
    ][::-1]
    points.append((today, today_counts))
    # Day and month only: the round's year is in the page heading.
    labels = [format_thai_date(day).rsplit(" ", 1)[0] for day, _counts in points]
    series = [
        (str(name), [sum(int(counts.get(s, 0)) for s in statuses) for _day, counts in points])
        for name, statuses in bands_of(round_)
    ]
    return bar_chart_svg(
        labels,
        series,
        title=_("Schools by status over time"),
        unit=_("schools"),
        stacked=True,
        show_title=show_title,
    )
