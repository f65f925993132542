"""The one rate-limit helper: counted windows and short locks, shared by every app server.

Every limit in the app goes through `hit` (count one event, then decide), `peek` (decide without counting),
`reset`, and `acquire` / `release` (a lock that expires by itself, so a crashed worker cannot leave it set).

The state lives where an increment is atomic and nothing evicts an active window: Redis when `REDIS_URL` is set
(one Lua script: INCR, then PEXPIRE on the first hit), otherwise the `ratelimit_counter` table (one
INSERT ... ON CONFLICT DO UPDATE ... RETURNING, which SQLite and PostgreSQL both run atomically). A window ends by
time only. Because the decision is made on the count after this event was added, concurrent requests cannot all
slip past a limit: the n-th of n simultaneous events sees n.

When the store cannot be reached, `RateLimitUnavailable` is raised; the site answers 503 (courseware.views).
"""

from __future__ import annotations

import hashlib
import math
import random
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

# Expired rows are deleted now and then by the writes themselves (never an active one).
PURGE_ONE_IN = 200


class RateLimitUnavailable(Exception):
    """The store that holds the counters cannot be reached."""


@dataclass(frozen=True)
class Decision:
    allowed: bool
    count: int
    retry_after_s: int = 0


def hit(scope: str, key: object, *, limit: int, window_s: int, now: float | None = None) -> Decision:
    """Count one event in `scope` for `key`; allowed while the count, this event included, is at most `limit`."""
    now_ms = _now_ms(now)
    count, expires_ms = _store().incr(_key(scope, key), window_ms=window_s * 1000, now_ms=now_ms)
    return _decide(count, expires_ms, limit, now_ms, counted=True)


def peek(scope: str, key: object, *, limit: int, now: float | None = None) -> Decision:
    """Would the next event be refused? Counts nothing: for limits that count only failures."""
    now_ms = _now_ms(now)
    count, expires_ms = _store().get(_key(scope, key), now_ms=now_ms)
    return _decide(count, expires_ms, limit, now_ms, counted=False)


def reset(scope: str, key: object) -> None:
    _store().delete(_key(scope, key))


def acquire(scope: str, key: object, *, ttl_s: float, now: float | None = None) -> bool:
    """Take a lock that frees itself after ttl_s (a crash cannot leave it set); False when someone holds it."""
    now_ms = _now_ms(now)
    count, _expires = _store().incr(_key(scope, key), window_ms=math.ceil(ttl_s * 1000), now_ms=now_ms)
    return count == 1


def release(scope: str, key: object) -> None:
    reset(scope, key)


def _decide(count: int, expires_ms: int, limit: int, now_ms: int, *, counted: bool) -> Decision:
    refused = count > limit if counted else count >= limit
    if not refused:
        return Decision(True, count)
    return Decision(False, count, max(1, math.ceil((expires_ms - now_ms) / 1000)))


def _now_ms(now: float | None) -> int:
    return int((time.time() if now is None else now) * 1000)


def _key(scope: str, key: object) -> str:
    # Hashed: usernames and addresses never appear in Redis or in the table, and the length is bounded.
    return f"rl:{scope[:30]}:" + hashlib.sha256(str(key).encode()).hexdigest()[:40]


# One statement, so the database serialises concurrent increments of a key (SQLite 3.35+ and PostgreSQL).
_UPSERT = """
INSERT INTO ratelimit_counter (key, count, expires_ms) VALUES (%s, 1, %s)
ON CONFLICT (key) DO UPDATE SET
  count = CASE WHEN ratelimit_counter.expires_ms <= %s THEN 1 ELSE ratelimit_counter.count + 1 END,
  expires_ms = CASE WHEN ratelimit_counter.expires_ms <= %s THEN %s ELSE ratelimit_counter.expires_ms END
RETURNING count, expires_ms
"""
_PURGE = "DELETE FROM ratelimit_counter WHERE expires_ms < %s"


class DatabaseStore:
    def incr(self, key: str, *, window_ms: int, now_ms: int) -> tuple[int, int]:
        expires = now_ms + window_ms
        with connection.cursor() as cursor:
            cursor.execute(_UPSERT, [key, expires, now_ms, now_ms, expires])
            count, expires_ms = cursor.fetchone()
            if random.randrange(PURGE_ONE_IN) == 0:  # noqa: S311 - housekeeping, not security
                cursor.execute(_PURGE, [now_ms])
        return int(count), int(expires_ms)

    def get(self, key: str, *, now_ms: int) -> tuple[int, int]:
        from .models import Counter

        row = Counter.objects.filter(key=key, expires_ms__gt=now_ms).values_list("count", "expires_ms").first()
        return (int(row[0]), int(row[1])) if row else (0, now_ms)

    def delete(self, key: str) -> None:
        from .models import Counter

        Counter.objects.filter(key=key).delete()


_INCR = """
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if count == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
"""


class RedisStore:
    def __init__(self, url: str) -> None:
        import redis

        self._errors = (redis.RedisError,)
        self._client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        self._incr = self._client.register_script(_INCR)

    def incr(self, key: str, *, window_ms: int, now_ms: int) -> tuple[int, int]:
        try:
            count, ttl = self._incr(keys=[key], args=[window_ms])
        except self._errors as exc:
            raise RateLimitUnavailable(f"Redis: {exc}") from exc
        return int(count), now_ms + int(ttl)

    def get(self, key: str, *, now_ms: int) -> tuple[int, int]:
        try:
            with self._client.pipeline(transaction=False) as pipe:
                count, ttl = pipe.get(key).pttl(key).execute()
        except self._errors as exc:
            raise RateLimitUnavailable(f"Redis: {exc}") from exc
        return (int(count), now_ms + max(0, int(ttl))) if count is not None else (0, now_ms)

    def delete(self, key: str) -> None:
        try:
            self._client.delete(key)
        except self._errors as exc:
            raise RateLimitUnavailable(f"Redis: {exc}") from exc

    def ping(self) -> None:
        try:
            self._client.ping()
        except self._errors as exc:
            raise RateLimitUnavailable(f"Redis: {exc}") from exc


_stores: dict[str, RedisStore] = {}
_stores_lock = threading.Lock()


def _store() -> DatabaseStore | RedisStore:
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return DatabaseStore()
    store = _stores.get(url)
    if store is None:
        with _stores_lock:
            store = _stores.setdefault(url, RedisStore(url))
    return store


def store_ready() -> str:
    """For readiness: which store holds the counters; raises RateLimitUnavailable when it cannot be reached."""
    store = _store()
    if isinstance(store, RedisStore):
        store.ping()
        return "redis"
    return "database"
