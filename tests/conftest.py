from __future__ import annotations

import os
from pathlib import Path

import pytest

FIXTURE_CONTENT = Path(__file__).parent / "fixtures" / "content"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


# Argon2 costs tens of milliseconds per hash by design; hundreds of tests create and log in users. Tests use a
# fast hasher, except those marked `password_hashing`, which run with the project's real hashers.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _no_connection_outlives_the_test_database(django_db_setup, django_db_blocker):
    """Threads and worker processes that tests start (concurrency tests, readiness probes, the live server) may
    still hold a PostgreSQL session when the run ends, and DROP DATABASE then fails the whole run. End them first."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hasher():
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
        yield


@pytest.fixture(autouse=True)
def _real_password_hasher_when_marked(request):
    if request.node.get_closest_marker("password_hashing") is None:
        yield
        return
    from django.test.utils import override_settings

    from courseware import settings as project_settings

    with override_settings(PASSWORD_HASHERS=project_settings.PASSWORD_HASHERS):
        yield


@pytest.fixture
def fixture_content(settings):
    """Point the app at the small test pack instead of the real course."""
    from courseware.topics import library

    settings.CONTENT_DIR = FIXTURE_CONTENT
    library.clear()
    yield FIXTURE_CONTENT
    library.clear()


@pytest.fixture
def learner(db, django_user_model):
    return django_user_model.objects.create_user(username="lena", password="correct horse battery")


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


def require_or_skip(available: bool, what: str) -> None:
    """Skip locally when a dependency is missing, but fail in CI: CI must run every test."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is required in CI but is not available")
    pytest.skip(f"{what} is not available")


def pytest_collection_modifyitems(config, items):
    """Tests marked postgres_only are deselected (not skipped) on the SQLite pass; CI runs both passes."""
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return
    keep = [item for item in items if item.get_closest_marker("postgres_only") is None]
    dropped = [item for item in items if item.get_closest_marker("postgres_only") is not None]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep
