"""The one rate-limit helper, on both stores: the database fallback and the Redis server CI has."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
from django.db import connection

from courseware.ratelimit import limiter
from courseware.ratelimit.models import Counter
from tests.conftest import require_or_skip

REDIS = "redis://127.0.0.1:6379/0"
CONCURRENT = 20


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=2):
            return True
    except OSError:
        return False


def _use(store: str, request, settings) -> str:
    if store == "redis":
        require_or_skip(_redis_reachable(), "Redis on 127.0.0.1:6379")
        settings.REDIS_URL = REDIS
    else:
        settings.REDIS_URL = ""
        request.getfixturevalue("transactional_db")
    return store


@pytest.fixture(params=["database", "redis"])
def store(request, settings):
    return _use(request.param, request, settings)


# In-memory shared-cache SQLite (the suite's test database) fails table locks at once instead of waiting, so the
# threaded database case runs in the PostgreSQL pass; the file-database subprocess test covers SQLite.
@pytest.fixture(params=[pytest.param("database", marks=pytest.mark.postgres_only), "redis"])
def concurrent_store(request, settings):
    return _use(request.param, request, settings)


@pytest.fixture
def scope():
    return f"test-{uuid.uuid4().hex[:12]}"


def test_counts_up_to_the_limit_then_refuses_until_the_window_ends(store, scope):
    now = 1_000_000.0
    decisions = [limiter.hit(scope, "ana", limit=3, window_s=60, now=now + i) for i in range(5)]
    assert [d.allowed for d in decisions] == [True, True, True, False, False]
    assert [d.count for d in decisions] == [1, 2, 3, 4, 5]
    if store == "database":  # the clock passed in moves the database window; Redis keeps its own clock
        assert decisions[3].retry_after_s == 57
        assert limiter.hit(scope, "ana", limit=3, window_s=60, now=now + 61).count == 1
    else:
        assert 55 <= decisions[3].retry_after_s <= 60


def test_peek_counts_nothing_and_reset_clears(store, scope):
    for _ in range(2):
        limiter.hit(scope, "ana", limit=2, window_s=60)
    assert limiter.peek(scope, "ana", limit=2).allowed is False
    assert limiter.peek(scope, "ana", limit=3).allowed is True
    assert limiter.peek(scope, "ana", limit=3).count == 2
    assert limiter.peek(scope, "bo", limit=2).allowed is True
    limiter.reset(scope, "ana")
    assert limiter.peek(scope, "ana", limit=1).allowed is True


def test_a_lock_has_one_holder_and_frees_itself(store, scope):
    assert limiter.acquire(scope, 7, ttl_s=60) is True
    assert limiter.acquire(scope, 7, ttl_s=60) is False
    assert limiter.acquire(scope, 8, ttl_s=60) is True
    limiter.release(scope, 7)
    assert limiter.acquire(scope, 7, ttl_s=60) is True
    if store == "database":
        assert limiter.acquire(scope, 9, ttl_s=5, now=100.0) is True
        assert limiter.acquire(scope, 9, ttl_s=5, now=106.0) is True  # a crashed holder cannot keep it


def test_concurrent_hits_are_counted_exactly_once_each(concurrent_store, scope):
    counts: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(CONCURRENT)

    def one() -> None:
        try:
            start.wait()
            counts.append(limiter.hit(scope, "shared", limit=5, window_s=60).count)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=one) for _ in range(CONCURRENT)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    # Atomic: every request saw its own count, so exactly 5 were allowed however they interleaved.
    assert sorted(counts) == list(range(1, CONCURRENT + 1))


def test_concurrent_hits_on_a_file_sqlite_database_are_counted_exactly_once_each(tmp_path):
    env = {**os.environ, "VAR_DIR": str(tmp_path), "DATABASE_URL": "", "REDIS_URL": "", "TESTING": "1"}
    worker = Path(__file__).with_name("concurrency_worker.py")
    done = subprocess.run(
        [sys.executable, str(worker), str(CONCURRENT)], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["vendor"] == "sqlite" and report["errors"] == []
    assert report["counts"] == list(range(1, CONCURRENT + 1))


def test_nothing_evicts_an_active_lockout(settings, db, scope):
    settings.REDIS_URL = ""
    for _ in range(3):
        limiter.hit(scope, "locked", limit=2, window_s=900)
    # The database cache culled at 300 entries and freed this lock; the table expires rows by time only.
    for number in range(400):
        limiter.hit(scope, f"other-{number}", limit=2, window_s=900)
    assert limiter.peek(scope, "locked", limit=2).allowed is False
    assert Counter.objects.count() >= 401


def test_expired_rows_are_purged_by_time_only(settings, db, scope, monkeypatch):
    settings.REDIS_URL = ""
    monkeypatch.setattr(limiter, "PURGE_ONE_IN", 1)
    limiter.hit(scope, "old", limit=2, window_s=10, now=100.0)
    limiter.hit(scope, "active", limit=2, window_s=900, now=100.0)
    limiter.hit(scope, "new", limit=2, window_s=10, now=200.0)
    assert Counter.objects.count() == 2
    assert limiter.peek(scope, "active", limit=1, now=200.0).allowed is False


def test_an_unreachable_redis_is_a_clear_error_not_a_hang(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    with pytest.raises(limiter.RateLimitUnavailable):
        limiter.hit("test", "x", limit=1, window_s=1)
    with pytest.raises(limiter.RateLimitUnavailable):
        limiter.store_ready()


def test_keys_never_hold_the_username_or_address(settings, db):
    settings.REDIS_URL = ""
    limiter.hit("login", "ana\x0010.0.0.1", limit=5, window_s=60)
    (key,) = Counter.objects.values_list("key", flat=True)
    assert "ana" not in key and "10.0.0.1" not in key and key.startswith("rl:login:")
