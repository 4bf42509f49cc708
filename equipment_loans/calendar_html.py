"""The cells of the availability calendar, written once per row instead of once per tag.

The month view is items by days cells (30 items make 900), and each cell carries a title, a
screen-reader label, a booking link and, in the week view, the bookings' references. Rendered by
the template language that was about a hundred microseconds a cell (two date filters, a
translated sentence and a `{% url %}` each): the page answered about ten times a second.
Everything that depends on the day only (its dates in words and in digits, whether it can still
be booked) or on the free/total pair only (the sentence) is worked out once here, and each row's
cells are joined into one escaped string the template prints as it is.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.thaitime import format_thai_date
from equipment_loans.selectors import DayCell, ItemRow


@dataclass(frozen=True)
class _Day:
    long: str  # 21 พ.ย. 2569: the title and the screen-reader label, escaped
    numeric: str  # 21/11/2569: the booking form's day, escaped
    bookable: bool  # today or later


def _days(days: Sequence[datetime.date], today: datetime.date) -> dict[datetime.date, _Day]:
    return {
        day: _Day(
            escape(format_thai_date(day)), escape(format_thai_date(day, "numeric")), day >= today
        )
        for day in days
    }


def row_cells_html(
    rows: Sequence[ItemRow],
    *,
    today: datetime.date,
    show_references: bool,
) -> list[tuple[ItemRow, SafeString]]:
    """Each row with the HTML of its day cells (`<td>`s), as the calendar template used to
    write them: the colour class, the title (date, free of total, who booked), the number of
    free units, a link to book the day while it is not past, and in the week view the links
    to the bookings for the office side. Every text from outside (dates in words, the
    translated sentence, references) is escaped; numbers and the level are ours."""
    if not rows:
        return []
    days = _days([cell.day for cell in rows[0].cells], today)
    free_word = escape(_("free"))
    book_url = escape(reverse("equipment_loans:new"))

    @cache
    def free_of_total(free: int, total: int) -> str:
        return escape(_("%(free)s of %(total)s free") % {"free": free, "total": total})

    def references_html(references: list[str]) -> str:
        return "".join(
            f'<div class="text-nowrap"><a href="{escape(url)}">{escape(reference)}</a></div>'
            for reference in references
            if (url := reverse("equipment_loans:loan", args=[reference]))
        )

    def cell_html(item_pk: int, cell: DayCell) -> str:
        day = days[cell.day]
        free = int(cell.free)
        title = f"{day.long}: {free_of_total(free, int(cell.total))}"
        if cell.references:
            title += " · " + escape(", ".join(cell.references))
        label = f'<span class="visually-hidden">{day.long} {free_word}</span>{free}'
        if day.bookable and free:
            label = (
                '<a class="d-block text-reset text-decoration-none" '
                f'href="{book_url}?item={item_pk}&amp;day={day.numeric}">{label}</a>'
            )
        links = references_html(cell.references) if show_references else ""
        return f'<td class="loan-{cell.level}" title="{title}">{label}{links}</td>'

    return [
        # Everything from outside was escaped above, piece by piece.
        (row, mark_safe("".join(cell_html(int(row.item.pk), cell) for cell in row.cells)))
        for row in rows
    ]
