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


def test_the_postgresql_server_of_the_second_run_answers_queries():
    """On the SQLite pass this proves the PostgreSQL pass has a server that answers, not just an open port."""
    require_or_skip(_postgres_reachable(), "PostgreSQL on 127.0.0.1:5432")
    import psycopg

    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        conninfo = url.rsplit("/", 1)[0] + "/postgres"  # the server's own database: the test one may not exist yet
    else:
        password = f":{os.environ['PGPASSWORD']}" if os.environ.get("PGPASSWORD") else ""
        conninfo = f"postgresql://postgres{password}@127.0.0.1:5432/postgres"
    with psycopg.connect(conninfo, connect_timeout=5) as conn:
        version = conn.execute("show server_version_num").fetchone()[0]
    assert int(version) >= 120000  # ON CONFLICT ... RETURNING and the rest of what the app runs


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
