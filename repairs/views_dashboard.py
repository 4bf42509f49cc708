"""The repairs dashboard: a fiscal year's figures and charts, for the office's people."""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Min
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.http import AuthenticatedHttpRequest
from core import thaitime
from core.charts import bar_chart_svg, horizontal_bar_svg
from repairs.dashboard import dashboard_figures
from repairs.selectors import tickets_visible_to

# Four ASCII digits (after Thai digits are turned into them); \d would also take other scripts.
_YEAR = re.compile(r"[0-9]{4}")


def chosen_fiscal_year(value: object, default: int) -> int:
    """The B.E. fiscal year asked for in `?fy=`; anything unusable gives `default`.

    Thai digits are accepted ('๒๕๗๐'); an A.D. year, a word or an out-of-range number is not.
    """
    text = thaitime.to_arabic_digits(str(value or "")).strip()
    if not _YEAR.fullmatch(text):
        return default
    year = int(text)
    if not thaitime.MIN_BE_YEAR <= year <= thaitime.MAX_BE_YEAR:
        return default
    return year


def _year_choices(tickets, current: int, chosen: int) -> list[int]:
    """From the year of the first visible ticket (at most 10 back) to this year, newest first."""
    first_filed = tickets.order_by().aggregate(first=Min("created_at"))["first"]
    first = thaitime.fiscal_year_of(first_filed) if first_filed else current
    years = set(range(max(min(first, current), current - 10), current + 1))
    years.add(chosen)
    return sorted(years, reverse=True)


def _charts(figures: dict) -> dict[str, str]:
    months = figures["months"]
    # Translators: th: รายการ
    requests = _("requests")
    return {
        "months": bar_chart_svg(
            [m["label"] for m in months],
            [
                # Translators: th: รับแจ้ง
                (_("Filed"), [m["filed"] for m in months]),
                (_("Closed"), [m["closed"] for m in months]),
            ],
            # Translators: th: คำขอซ่อมรายเดือน
            title=_("Requests per month"),
            unit=requests,
        ),
        "schools": horizontal_bar_svg(
            [(s["name"], s["count"]) for s in figures["top_schools"]],
            # Translators: th: โรงเรียนที่แจ้งซ่อมมากที่สุด
            title=_("Schools with the most requests"),
            unit=requests,
        ),
        "categories": horizontal_bar_svg(
            [(str(c["label"]), c["count"]) for c in figures["categories"]],
            # Translators: th: คำขอซ่อมตามประเภท
            title=_("Requests by category"),
            unit=requests,
        ),
    }


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    # The office's people only: a school sees its own requests in the list, not office figures.
    if user.is_school_side or not (user.is_superuser or user.office_id):
        raise PermissionDenied
    current = thaitime.fiscal_year_of(timezone.localdate())
    fiscal_year = chosen_fiscal_year(request.GET.get("fy"), current)
    tickets = tickets_visible_to(user)
    figures = dashboard_figures(tickets, fiscal_year=fiscal_year)
    return render(
        request,
        "repairs/dashboard.html",
        {
            "figures": figures,
            "charts": _charts(figures),
            "fiscal_year": fiscal_year,
            "current_fiscal_year": current,
            "years": _year_choices(tickets, current, fiscal_year),
        },
    )
