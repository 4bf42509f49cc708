"""Inserting many rows of one model in one statement, without a model instance per row.

`bulk_create` builds a Python object per row and sends every value as a parameter of its own:
for the 30,000 cases, tasks, events and notices of a data round opened for every school, that
is most of the time the opening takes. On PostgreSQL, `insert_columns` sends one array per
column that varies from row to row and one value for each column that does not, and lets the
database unnest them (`INSERT … SELECT … FROM unnest(…) WITH ORDINALITY … RETURNING id`).

Every value still goes through its field's own conversion (`get_db_prep_save`), and every
concrete column not named takes the field's default as `bulk_create` would give it (a callable
default is called once for all rows), so a field added later with a default needs no change
here; a name that is not a column is an error before any SQL is sent. Other databases get
`bulk_create`. Imports no app.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection, models

BATCH = 10_000


def insert_columns(
    model: type[models.Model],
    *,
    same: Mapping[str, Any],
    varying: Mapping[str, Sequence[Any]],
    ignore_conflicts: bool = False,
) -> list[int]:
    """Insert one row per position of the `varying` columns (all of one length), with the
    `same` values in every row; keys are attribute names (`case_id`, not `case`). Returns the
    new primary keys in row order (empty with `ignore_conflicts`, where some rows may not be
    inserted)."""
    lengths = {len(values) for values in varying.values()}
    if len(lengths) > 1:
        raise ValueError(f"varying columns of different lengths: {sorted(lengths)}")
    count = lengths.pop() if lengths else 0
    if not count:
        return []
    fields = _fields(model, same, varying)
    if connection.vendor != "postgresql":
        return _bulk_create(model, fields, same, varying, count, ignore_conflicts)
    keys: list[int] = []
    for start in range(0, count, BATCH):
        part = {name: values[start : start + BATCH] for name, values in varying.items()}
        keys += _insert(model, fields, same, part, ignore_conflicts)
    return keys


def _fields(
    model: type[models.Model], same: Mapping[str, Any], varying: Mapping[str, Sequence[Any]]
) -> list[models.Field[Any, Any]]:
    fields = [
        field
        for field in model._meta.concrete_fields
        if not (field.primary_key and field.attname not in same and field.attname not in varying)
    ]
    known = {field.attname for field in fields}
    unknown = (set(same) | set(varying)) - known
    if unknown:
        raise ValueError(f"{model.__name__} has no columns {sorted(unknown)}")
    return fields


def _insert(
    model: type[models.Model],
    fields: list[models.Field[Any, Any]],
    same: Mapping[str, Any],
    varying: Mapping[str, Sequence[Any]],
    ignore_conflicts: bool,
) -> list[int]:
    quote = connection.ops.quote_name
    columns: list[str] = []
    selected: list[str] = []
    arrays: list[str] = []
    # Scalars sit in the select list and arrays in the FROM clause, so their parameters are
    # gathered apart and sent scalars first.
    scalar_params: list[Any] = []
    array_params: list[Any] = []
    for field in fields:
        columns.append(quote(str(field.column)))
        db_type = field.rel_db_type(connection) if field.is_relation else field.db_type(connection)
        if field.attname in varying:
            selected.append(f"c{len(arrays)}")
            arrays.append(f"%s::{db_type}[]")
            array_params.append(
                [field.get_db_prep_save(value, connection) for value in varying[field.attname]]
            )
        else:
            value = same[field.attname] if field.attname in same else field.get_default()
            selected.append(f"%s::{db_type}")
            scalar_params.append(field.get_db_prep_save(value, connection))
    aliases = ", ".join(f"c{n}" for n in range(len(arrays)))
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(columns)})"
        f" SELECT {', '.join(selected)}"
        f" FROM unnest({', '.join(arrays)}) WITH ORDINALITY AS row({aliases}, place)"
        " ORDER BY place"
    )
    if ignore_conflicts:
        sql += " ON CONFLICT DO NOTHING"
    else:
        primary_key = model._meta.pk
        assert primary_key is not None  # every concrete model has one
        sql += f" RETURNING {quote(str(primary_key.column))}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*scalar_params, *array_params])
        return [] if ignore_conflicts else [row[0] for row in cursor.fetchall()]


def _bulk_create(
    model: type[models.Model],
    fields: list[models.Field[Any, Any]],
    same: Mapping[str, Any],
    varying: Mapping[str, Sequence[Any]],
    count: int,
    ignore_conflicts: bool,
) -> list[int]:
    rows = [
        model(**same, **{name: values[n] for name, values in varying.items()}) for n in range(count)
    ]
    made = model._default_manager.bulk_create(
        rows, batch_size=2_000, ignore_conflicts=ignore_conflicts
    )
    return [] if ignore_conflicts else [row.pk for row in made]


def update_by_key(
    model: type[models.Model],
    *,
    keys: Sequence[int],
    varying: Mapping[str, Sequence[Any]],
    same: Mapping[str, Any] | None = None,
) -> int:
    """Set, on the row of each primary key in `keys`, the `varying` value at its position and
    the `same` values; the rows changed. On PostgreSQL one statement joins the arrays to the
    table by primary key, a plan that needs no statistics of the table (a fresh table's first
    big update does not fall into a plan quadratic in its rows)."""
    same = dict(same or {})
    if not keys:
        return 0
    fields = {field.attname: field for field in model._meta.concrete_fields}
    unknown = (set(varying) | set(same)) - set(fields)
    if unknown:
        raise ValueError(f"{model.__name__} has no columns {sorted(unknown)}")
    if connection.vendor != "postgresql":
        rows = [
            model(pk=key, **same, **{name: column[n] for name, column in varying.items()})
            for n, key in enumerate(keys)
        ]
        names = [fields[name].name for name in [*varying, *same]]
        return model._default_manager.bulk_update(rows, names, batch_size=1_000)
    quote = connection.ops.quote_name
    primary_key = model._meta.pk
    assert primary_key is not None  # every concrete model has one
    pk_type = primary_key.db_type(connection)
    sets, scalar_params, arrays, array_params = [], [], [f"%s::{pk_type}[]"], [list(keys)]
    for name, value in same.items():
        field = fields[name]
        sets.append(f"{quote(str(field.column))} = %s")
        scalar_params.append(field.get_db_prep_save(value, connection))
    for n, (name, column) in enumerate(varying.items()):
        field = fields[name]
        db_type = field.rel_db_type(connection) if field.is_relation else field.db_type(connection)
        sets.append(f"{quote(str(field.column))} = row.c{n}")
        arrays.append(f"%s::{db_type}[]")
        array_params.append([field.get_db_prep_save(value, connection) for value in column])
    aliases = ", ".join(["key", *(f"c{n}" for n in range(len(varying)))])
    table = quote(model._meta.db_table)
    sql = (
        f"UPDATE {table} SET {', '.join(sets)}"
        f" FROM unnest({', '.join(arrays)}) AS row({aliases})"
        f" WHERE {table}.{quote(str(primary_key.column))} = row.key"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*scalar_params, *array_params])
        return int(cursor.rowcount)
