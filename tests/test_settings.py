from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "TESTING", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        "SECRET_KEY": "x" * 20 + "-production-secret-key-with-enough-entropy-1234567890",
        "ALLOWED_HOSTS": "courseware.example.org",
        "TRUSTED_PROXY_COUNT": "1",
        "VAR_DIR": str(tmp_path),
        "CONTENT_DIR": str(ROOT / "tests" / "fixtures" / "content"),
    }
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_is_off_unless_asked_for(tmp_path):
    code = "from django.conf import settings; print(settings.DEBUG, settings.SESSION_COOKIE_SECURE)"
    result = run_manage("shell", "--no-imports", "-c", code, env={"VAR_DIR": str(tmp_path)})
    assert result.stdout.split() == ["False", "True"], result.stderr


def test_default_database_is_sqlite_in_wal_mode_with_immediate_transactions(tmp_path):
    code = (
        "from django.db import connection; c = connection.cursor(); c.execute('PRAGMA journal_mode');"
        "print(c.fetchone()[0], connection.settings_dict['OPTIONS']['transaction_mode'],"
        " connection.settings_dict['OPTIONS']['timeout'])"
    )
    result = run_manage("shell", "--no-imports", "-c", code, env={"VAR_DIR": str(tmp_path), "DEBUG": "1"})
    assert result.stdout.split() == ["wal", "IMMEDIATE", "20"], result.stderr
    assert (tmp_path / "courseware.sqlite3").exists()
    assert (tmp_path / "secret_key").exists()


def test_database_url_selects_postgresql(tmp_path):
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        env={"VAR_DIR": str(tmp_path), "DATABASE_URL": "postgres://u@127.0.0.1:5432/x"},
    )
    assert result.stdout.strip() == "django.db.backends.postgresql", result.stderr


PRODUCTION = {
    "ALLOWED_HOSTS": "courseware.example.org",
    "TRUSTED_PROXY_COUNT": "1",
    "CONTENT_DIR": str(ROOT / "tests" / "fixtures" / "content"),
}


def test_the_test_configuration_says_it_is_testing():
    from django.conf import settings

    assert os.environ["TESTING"] == "1"  # set by pytest-env from pyproject.toml
    assert settings.TESTING is True


def test_importing_pytest_does_not_make_settings_think_they_are_tested(tmp_path):
    code = "import pytest; from django.conf import settings; print(settings.TESTING)"
    env = {**PRODUCTION, "VAR_DIR": str(tmp_path), "SECRET_KEY": "k" * 60}
    result = run_manage("shell", "--no-imports", "-c", code, env=env)
    assert result.stdout.split() == ["False"], result.stderr


def test_check_deploy_is_an_error_without_secret_key(tmp_path):
    result = run_manage("check", "--deploy", env={**PRODUCTION, "VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "courseware.E001" in result.stderr and "SECRET_KEY is not set" in result.stderr
    assert not (tmp_path / "secret_key").exists()  # no key generated behind the operator's back


def test_the_app_refuses_to_start_without_secret_key(tmp_path):
    code = "import courseware.wsgi"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k not in {"DEBUG", "TESTING", "SECRET_KEY"}},
            **PRODUCTION,
            "VAR_DIR": str(tmp_path),
            "SANDBOX_WARM": "0",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in result.stderr


def test_development_still_generates_a_local_key(tmp_path):
    code = "from django.conf import settings; print(len(settings.SECRET_KEY) > 40)"
    result = run_manage("shell", "--no-imports", "-c", code, env={"VAR_DIR": str(tmp_path), "DEBUG": "1"})
    assert result.stdout.split() == ["True"], result.stderr


def test_check_deploy_flags_a_proxy_with_no_trusted_proxy_count(tmp_path):
    env = {**PRODUCTION, "TRUSTED_PROXY_COUNT": "0", "SECRET_KEY": "k" * 60, "VAR_DIR": str(tmp_path)}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "courseware.W001" in result.stderr
    clean = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env={**env, "BEHIND_TLS_PROXY": "0", "SECURE_SSL_REDIRECT": "1"}
    )
    assert "courseware.W001" not in clean.stdout + clean.stderr


def test_the_gunicorn_config_preloads_content_and_leaves_the_sandbox_to_the_workers(tmp_path):
    code = (
        "import threading; from courseware import gunicorn_conf; import courseware.wsgi;"
        "from django.db import connection; from courseware.topics import library;"
        "print(gunicorn_conf.preload_app, gunicorn_conf.max_requests, bool(library._cache),"
        " any(t.name == 'sandbox-warm-up' for t in threading.enumerate()), connection.connection is None)"
    )
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DEBUG", "TESTING"}},
        **PRODUCTION,
        "SECRET_KEY": "k" * 60,
        "VAR_DIR": str(tmp_path),
        "SANDBOX_WARM": "1",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    # Content loaded in the (master) process; no sandbox thread and no database connection to be forked.
    assert result.stdout.split() == ["True", "0", "True", "False", "True"], result.stderr[-2000:]
