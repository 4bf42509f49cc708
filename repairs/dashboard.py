"""The repairs dashboard's figures for one fiscal year: counts, times, service targets, ratings.

Everything is about the tickets *filed* in the fiscal year (1 October to 30 September, named
by the Buddhist-era year it ends in), among those of the given queryset (pass
`tickets_visible_to(user)` so that nobody counts what they may not see). Counting happens in
the database; only the median needs the rows, as (filed, resolved) pairs.

Months and days are those of the office (settings.TIME_ZONE, Asia/Bangkok), named in the
queries themselves: a request filed at 23:30 UTC on 31 October was filed on 1 November.

Definitions:

* open: new, in progress, awaiting approval, waiting, resolved and awaiting confirmation;
  closed: closed after confirmation; cancelled: not carried out (purchase rejected).
* per month: filed = filed that month; closed = of the year's tickets, those closed that
  month. Tickets filed in the year but closed after 30 September are in `closed_after_year`.
* median working days to resolve: working days (core.thaitime) from the day filed to the
  day resolved, over the tickets resolved so far; time waiting for parts is included.
* first-response target met: first response at or before `response_due_at`. Judged when
  answered, or when still unanswered (status new) after its due time: then it is missed.
* resolve target met: resolved (day, in Bangkok) on or before `resolve_due_on`. Judged when
  resolved, or when still open past the due day while neither waiting for parts (its due day
  moves when the waiting ends) nor resolved: then it is missed. These are the same lateness
  rules as the hourly service-target check (repairs.services).
* satisfaction: the average rating (1-5) given at confirmation, and how many gave one.
"""

from __future__ import annotations

import datetime
import statistics

from django.db.models import Avg, Count, F, Q, QuerySet
from django.db.models.functions import ExtractMonth, TruncDate
from django.utils import timezone

from core import thaitime
from core.fiscal import FISCAL_MONTHS, fiscal_year_range, month_label
from repairs.models import Category, RepairTicket
from repairs.selectors import OPEN_STATUSES

TOP_SCHOOLS = 5
# Still open and able to be late for the resolve target (see the module docstring).
_RESOLVE_PENDING = [
    s for s in OPEN_STATUSES if s not in (RepairTicket.Status.WAITING, RepairTicket.Status.RESOLVED)
]


def _share(met: int, judged: int) -> dict:
    return {
        "met": met,
        "judged": judged,
        "percent": round(met * 100 / judged, 1) if judged else None,
    }


def dashboard_figures(
    tickets_queryset: QuerySet[RepairTicket],
    *,
    fiscal_year: int,
    now: datetime.datetime | None = None,
) -> dict:
    """The figures of the tickets in `tickets_queryset` filed in B.E. `fiscal_year`.

    `now` (default: the current time) decides which unanswered or unresolved tickets are
    already late. Raises ValueError for a year that is not Buddhist-era (see
    `thaitime.fiscal_year_bounds`). Returns a dict:

    fiscal_year, first_day, last_day; total, open, closed, cancelled; months: a list of
    {"month": 1st of the month (date), "label": "ต.ค.", "year": B.E. year, "filed": n,
    "closed": n} from October
    to September; closed_after_year; resolved_count, median_resolve_days (None if nothing is
    resolved); first_response and resolve: {"met", "judged", "percent" (None when nothing
    could be judged)}; satisfaction_average (None without ratings), satisfaction_count;
    top_schools: up to 5 of {"school_id", "name", "count"}, most first (requests of the office
    itself, without a school, are left out); categories: {"category", "label", "count"} for
    every category with requests, most first.
    """
    zone = timezone.get_default_timezone()
    now = now or timezone.now()
    today = timezone.localtime(now, zone).date()
    begin, finish = fiscal_year_range(fiscal_year)
    first_day, last_day = thaitime.fiscal_year_bounds(fiscal_year)
    tickets = tickets_queryset.filter(created_at__gte=begin, created_at__lt=finish).order_by()

    status = RepairTicket.Status
    answered = Q(first_response_at__isnull=False, response_due_at__isnull=False)
    resolved = Q(resolved_at__isnull=False, resolve_due_on__isnull=False)
    totals = tickets.annotate(resolved_on=TruncDate("resolved_at", tzinfo=zone)).aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        closed=Count("pk", filter=Q(status=status.CLOSED)),
        cancelled=Count("pk", filter=Q(status=status.CANCELLED)),
        response_met=Count("pk", filter=answered & Q(first_response_at__lte=F("response_due_at"))),
        response_late=Count(
            "pk",
            filter=(answered & Q(first_response_at__gt=F("response_due_at")))
            | Q(first_response_at__isnull=True, status=status.NEW, response_due_at__lt=now),
        ),
        resolve_met=Count("pk", filter=resolved & Q(resolved_on__lte=F("resolve_due_on"))),
        resolve_late=Count(
            "pk",
            filter=(resolved & Q(resolved_on__gt=F("resolve_due_on")))
            | Q(
                resolved_at__isnull=True,
                status__in=_RESOLVE_PENDING,
                resolve_due_on__lt=today,
            ),
        ),
        satisfaction_average=Avg("satisfaction"),
        satisfaction_count=Count("satisfaction"),
    )

    filed_by_month = dict(
        tickets.annotate(month=ExtractMonth("created_at", tzinfo=zone))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    closed_tickets = tickets.filter(status=status.CLOSED, closed_at__isnull=False)
    closed_by_month = dict(
        closed_tickets.filter(closed_at__gte=begin, closed_at__lt=finish)
        .annotate(month=ExtractMonth("closed_at", tzinfo=zone))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    closed_after_year = closed_tickets.filter(closed_at__gte=finish).count()
    months = [
        {
            "month": datetime.date(first_day.year if m >= 10 else last_day.year, m, 1),
            "label": month_label(m),
            "year": (first_day.year if m >= 10 else last_day.year) + thaitime.BE_OFFSET,
            "filed": filed_by_month.get(m, 0),
            "closed": closed_by_month.get(m, 0),
        }
        for m in FISCAL_MONTHS
    ]

    days = [
        thaitime.working_days_between(
            timezone.localtime(filed, zone).date(), timezone.localtime(done, zone).date()
        )
        for filed, done in tickets.filter(resolved_at__isnull=False).values_list(
            "created_at", "resolved_at"
        )
    ]

    top_schools = [
        {"school_id": row["school_id"], "name": row["school__name_th"], "count": row["n"]}
        for row in tickets.filter(school__isnull=False)
        .values("school_id", "school__name_th")
        .annotate(n=Count("pk"))
        .order_by("-n", "school__name_th", "school_id")[:TOP_SCHOOLS]
    ]
    labels = dict(Category.choices)
    categories = [
        {
            "category": row["category"],
            "label": labels.get(row["category"], row["category"]),
            "count": row["n"],
        }
        for row in tickets.values("category").annotate(n=Count("pk")).order_by("-n", "category")
    ]

    average = totals["satisfaction_average"]
    return {
        "fiscal_year": fiscal_year,
        "first_day": first_day,
        "last_day": last_day,
        "total": totals["total"],
        "open": totals["open"],
        "closed": totals["closed"],
        "cancelled": totals["cancelled"],
        "months": months,
        "closed_after_year": closed_after_year,
        "resolved_count": len(days),
        "median_resolve_days": statistics.median(days) if days else None,
        "first_response": _share(
            totals["response_met"], totals["response_met"] + totals["response_late"]
        ),
        "resolve": _share(totals["resolve_met"], totals["resolve_met"] + totals["resolve_late"]),
        "satisfaction_average": round(float(average), 2) if average is not None else None,
        "satisfaction_count": totals["satisfaction_count"],
        "top_schools": top_schools,
        "categories": categories,
    }
