from __future__ import annotations

import os
import socket

import pytest
from django.db import connection

from tests.conftest import require_or_skip

pytestmark = pytest.mark.postgres


def _postgres_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=2):
            return True
    except OSError:
        return False


def test_a_postgresql_server_is_available_for_the_postgresql_run():
    require_or_skip(_postgres_reachable(), "PostgreSQL on 127.0.0.1:5432")


@pytest.mark.django_db
def test_database_url_runs_the_suite_on_postgresql():
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        assert connection.vendor == "postgresql"
        with connection.cursor() as cursor:
            cursor.execute("select version()")
            assert "PostgreSQL" in cursor.fetchone()[0]
    else:
        assert connection.vendor == "sqlite"
