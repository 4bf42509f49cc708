"""Many rows in one statement: the same rows `bulk_create` and `bulk_update` would write, in
row order, on PostgreSQL and on SQLite alike."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.bulk_sql import insert_columns, update_by_key
from processes.models import Notification, ReferenceCounter

pytestmark = pytest.mark.django_db


def test_rows_come_back_in_order_with_defaults_for_what_is_not_named(people):
    ids = insert_columns(
        Notification,
        same={"recipient_id": people["staff"].pk, "kind": "k"},
        varying={
            "subject": ["หนึ่ง", "สอง", "สาม"],
            "body": ["1", "2", "3"],
            "dedupe_key": ["a", "b", "c"],
            "channels_done": [[], ["email"], []],
        },
    )
    rows = [Notification.objects.get(pk=pk) for pk in ids]
    assert [row.subject for row in rows] == ["หนึ่ง", "สอง", "สาม"]
    assert [row.channels_done for row in rows] == [[], ["email"], []]
    # Not named: the fields' defaults.
    assert {row.status for row in rows} == {Notification.Status.PENDING}
    assert {row.attempts for row in rows} == {0}
    assert all(row.created_at is not None and row.url == "" for row in rows)


def test_one_statement_for_many_rows_on_postgresql(people):
    if connection.vendor != "postgresql":
        pytest.skip("other databases fall back to bulk_create")
    with CaptureQueriesContext(connection) as queries:
        ids = insert_columns(
            ReferenceCounter,
            same={"fiscal_year": 2570},
            varying={"prefix": [f"P{n}" for n in range(5000)]},
        )
    assert len(ids) == 5000 and len(queries) == 1
    assert ReferenceCounter.objects.get(pk=ids[4321]).prefix == "P4321"


def test_conflicts_can_be_ignored_and_names_must_be_columns():
    insert_columns(ReferenceCounter, same={"fiscal_year": 2570}, varying={"prefix": ["A"]})
    insert_columns(
        ReferenceCounter,
        same={"fiscal_year": 2570},
        varying={"prefix": ["A", "B"]},
        ignore_conflicts=True,
    )
    assert sorted(ReferenceCounter.objects.values_list("prefix", flat=True)) == ["A", "B"]
    with pytest.raises(ValueError, match="no columns"):
        insert_columns(ReferenceCounter, same={"year": 1}, varying={"prefix": ["C"]})
    with pytest.raises(ValueError, match="lengths"):
        insert_columns(ReferenceCounter, same={}, varying={"prefix": ["C"], "fiscal_year": []})
    assert insert_columns(ReferenceCounter, same={}, varying={"prefix": []}) == []


def test_update_by_key_sets_each_row_its_own_value():
    ids = insert_columns(
        ReferenceCounter, same={"fiscal_year": 2570}, varying={"prefix": ["A", "B", "C"]}
    )
    changed = update_by_key(
        ReferenceCounter,
        keys=[ids[2], ids[0]],
        varying={"last_number": [30, 10]},
        same={"fiscal_year": 2571},
    )
    assert changed == 2
    rows = dict(ReferenceCounter.objects.values_list("prefix", "last_number"))
    assert rows == {"A": 10, "B": 0, "C": 30}
    assert ReferenceCounter.objects.get(prefix="B").fiscal_year == 2570
    assert update_by_key(ReferenceCounter, keys=[], varying={"last_number": []}) == 0
    with pytest.raises(ValueError, match="no columns"):
        update_by_key(ReferenceCounter, keys=ids, varying={"number": [1, 2, 3]})
