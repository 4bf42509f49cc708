"""core.pagination.ListPage: pages of a list counted no further than a cap."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Office
from core.pagination import ListPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def offices():
    Office.objects.bulk_create(
        Office(code=f"{n:04d}", name_th=f"สพป.ทดสอบ {n}", kind=Office.Kind.PRIMARY)
        for n in range(1, 24)
    )
    return Office.objects.order_by("code")


def codes(page) -> list[str]:
    return [office.code for office in page]


def test_a_page_holds_its_rows_in_the_list_order_and_knows_what_follows(offices):
    page = ListPage(offices, "2", per_page=10)
    assert codes(page) == [f"{n:04d}" for n in range(11, 21)]
    assert page.number == 2
    assert page.has_previous() and page.has_next() and page.has_other_pages()
    assert (page.previous_page_number(), page.next_page_number()) == (1, 3)
    assert (page.count, page.count_is_exact, page.num_pages) == (23, True, 3)


def test_the_last_page_has_no_next(offices):
    page = ListPage(offices, 3, per_page=10)
    assert codes(page) == ["0021", "0022", "0023"]
    assert not page.has_next()


def test_past_the_cap_the_count_says_more_than_the_cap(offices):
    page = ListPage(offices, 1, per_page=5, cap=10)
    assert page.count == 11  # the cap and one: "more than 10"
    assert not page.count_is_exact
    assert page.num_pages is None
    assert page.cap_text == "10"
    assert ListPage(offices, 1, per_page=5, cap=1000).cap_text == "1,000"


def test_the_count_reads_no_more_rows_than_the_cap(offices):
    page = ListPage(offices, 1, per_page=5, cap=10)
    with CaptureQueriesContext(connection) as queries:
        assert page.count == 11
    assert "LIMIT 11" in queries[0]["sql"]


@pytest.mark.parametrize("junk", [None, "", "0", "-1", "abc", "²", "๒", "1e3", "9" * 40])
def test_junk_page_numbers_give_the_first_page(offices, junk):
    page = ListPage(offices, junk, per_page=10)
    assert page.number == 1
    assert codes(page)[0] == "0001"


def test_a_page_past_the_end_gives_the_last_page(offices):
    page = ListPage(offices, "99", per_page=10)
    assert page.number == 3
    assert codes(page) == ["0021", "0022", "0023"]


def test_a_page_past_the_end_of_an_uncounted_list_gives_the_first(offices):
    page = ListPage(offices, "99", per_page=5, cap=10)
    assert page.number == 1
    assert codes(page)[0] == "0001"


def test_an_empty_list_has_one_empty_page(db):
    page = ListPage(Office.objects.none(), "3")
    assert list(page) == []
    assert page.number == 1
    assert (page.count, page.num_pages, page.has_other_pages()) == (0, 1, False)
