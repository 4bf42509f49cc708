"""Sessions read from the cache (Redis) and kept in the database, for more than one node.

Django's `cached_db` store already writes every session to both, so any node finds a sign-in
and a Redis restart signs nobody out. Its reads, though, still need the cache: with Redis
unreachable, reading a session that is in the database fails on putting it back into the cache,
and making a new session key fails on asking the cache whether the key is taken. Both fall back
to the database here, so an outage of Redis slows pages down instead of breaking every one.

Deleting (signing out, or the new key given at sign-in) still needs the cache: a session left
behind in Redis would come back once Redis returns. The cache is asked first, so a failure
leaves the session whole in both places instead of only in Redis, as Django's order would.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.core.cache.backends.base import BaseCache

logger = logging.getLogger(__name__)


class SessionStore(CachedDBStore):
    _cache: BaseCache  # set by Django's __init__; the stubs do not declare it

    def load(self) -> dict[str, Any]:
        try:
            return super().load()
        except Exception:  # the cache backend's own errors (redis.ConnectionError, timeouts)
            logger.warning("Session cache unavailable; reading the session from the database.")
            return DBStore.load(self)

    def exists(self, session_key: str) -> bool:
        try:
            return super().exists(session_key)
        except Exception:  # as above: the database alone says whether the key is taken
            return DBStore.exists(self, session_key)

    def delete(self, session_key: str | None = None) -> None:
        key = session_key or self.session_key
        if key is not None:
            self._cache.delete(self.cache_key_prefix + key)
        DBStore.delete(self, session_key)
