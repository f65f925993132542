"""Liveness and readiness, and the one answer to an outage: 503 with Retry-After, never a bare 500.

`/livez` only says the process answers. `/healthz` is readiness: the database answers a query and the rate-limit
store (Redis or the database table) answers, each within a short timeout; it also says how the sandbox's
self-test went in this process (without starting it). A load balancer takes a server out while it says 503.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from django.db import DatabaseError, InterfaceError, OperationalError, connection

from courseware.ratelimit.limiter import RateLimitUnavailable, store_ready

logger = logging.getLogger(__name__)

PROBE_TIMEOUT_S = 2.0
RETRY_AFTER_S = 5
# Bounded: probes that hang (a database that accepts but never answers) cannot pile up threads.
_probes = ThreadPoolExecutor(max_workers=2, thread_name_prefix="readiness")


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return "ok"
    finally:
        connection.close()


def _counters() -> str:
    try:
        return f"ok ({store_ready()})"
    finally:
        connection.close()


def _probe(check) -> tuple[bool, str]:
    try:
        return True, _probes.submit(check).result(timeout=PROBE_TIMEOUT_S)
    except FutureTimeout:
        return False, f"no answer within {PROBE_TIMEOUT_S:g} s"
    except (DatabaseError, RateLimitUnavailable) as exc:
        return False, f"{type(exc).__name__}: {str(exc).strip()[:200]}"


def readiness() -> tuple[bool, dict[str, str]]:
    from courseware.sandbox import runner_status

    database_ok, database = _probe(_database)
    counters_ok, counters = _probe(_counters) if database_ok else (False, "not checked: the database is down")
    report = {"database": database, "rate_limits": counters, "sandbox": runner_status()}
    return database_ok and counters_ok, report


def is_outage(exc: BaseException | None) -> bool:
    """A dependency is down (database, Redis): the learner should retry, nothing they did is at fault."""
    import redis

    # OperationalError and InterfaceError: the database is unreachable or went away; an IntegrityError or
    # ProgrammingError is a bug and stays a 500.
    return isinstance(
        exc, OperationalError | InterfaceError | RateLimitUnavailable | redis.ConnectionError | redis.TimeoutError
    )
