"""A second connection to the default database, for the few writes that others must see while
a long transaction of the same worker is still open: an import's progress bar, written as it
reads a million rows that become visible only when the import is applied.

On SQLite a second connection would wait on the first one's write lock, so the worker's own
connection is used there: the progress then shows when the transaction ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper


@contextmanager
def side_connection() -> Iterator[BaseDatabaseWrapper]:
    """A connection outside the current transaction (autocommit), closed on leaving."""
    if connection.vendor != "postgresql":
        yield connection
        return
    side = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        yield side
    finally:
        side.close()
