"""Pages of long lists without an exact COUNT(*) over the whole list.

Django's Paginator counts every matching row before it shows the first fifty; on an office's
hundred thousand tickets that count costs more than the page itself. A `ListPage` reads one row
more than it shows (so it knows whether a next page exists) and counts at most `cap` rows
(`SELECT COUNT(*) FROM (... LIMIT cap + 1)`), so the cost stays flat however long the list
grows: up to the cap the count and the number of pages are exact, past it the page says "more
than <cap>". (It counts even when one page holds the whole list, so a page runs as many
queries on a small list as on a long one.)

It answers the same questions as Django's `Page` where templates ask them (`number`,
`has_previous`, `has_next`, `previous_page_number`, `next_page_number`, `has_other_pages`,
iteration), plus `count`, `count_is_exact` and `num_pages` (None past the cap).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, Generic, TypeVar

from django.db.models import QuerySet

from core.params import int_param

T = TypeVar("T")

COUNT_CAP = 1000
# Far past any real list; keeps a junk ?page= from asking the database for an absurd OFFSET.
MAX_PAGE = 100_000


class ListPage(Generic[T]):
    def __init__(
        self,
        rows: QuerySet[Any],
        number: object,
        *,
        per_page: int = 50,
        cap: int = COUNT_CAP,
    ) -> None:
        self.per_page = per_page
        self.cap = cap
        self._rows = rows
        self._count: int | None = None
        self.number = min(int_param(number) or 1, MAX_PAGE)
        self.object_list: Sequence[T] = self._read()
        if not self.object_list and self.number > 1:
            # Past the end (an old link, a hand-typed number): the last page, as Django does.
            self.number = (self.num_pages or 1) if self.count_is_exact else 1
            self.object_list = self._read()

    def _read(self) -> list[T]:
        start = (self.number - 1) * self.per_page
        # The sort and the limit run on the ids alone, then the page's rows are read whole:
        # sorting every match with its joined columns (step forms, process texts) first made
        # the database carry hundreds of wide rows to keep fifty.
        ids = list(self._rows.values_list("pk", flat=True)[start : start + self.per_page + 1])
        self._has_next = len(ids) > self.per_page
        ids = ids[: self.per_page]
        if not ids:
            return []
        by_pk = {row.pk: row for row in self._rows.filter(pk__in=ids).order_by()}
        return [by_pk[pk] for pk in ids if pk in by_pk]

    @property
    def count(self) -> int:
        """The number of rows, exact up to the cap; the cap plus one past it."""
        if self._count is None:
            # Only the ids: the list's annotations (and their subqueries) are not computed.
            self._count = self._rows.order_by().values("pk")[: self.cap + 1].count()
        return self._count

    @property
    def count_is_exact(self) -> bool:
        return self.count <= self.cap

    @property
    def cap_text(self) -> str:
        """The cap as people read it (1,000), for "more than 1,000 …"."""
        return f"{self.cap:,}"

    @property
    def num_pages(self) -> int | None:
        if not self.count_is_exact:
            return None
        return max(1, -(-self.count // self.per_page))

    # The parts of Django's Page the templates use.
    def __iter__(self) -> Iterator[T]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_previous() or self.has_next()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1
