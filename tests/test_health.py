"""Liveness, readiness that tells the truth, and an outage answered with 503 + Retry-After, never a bare 500."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent


def test_liveness_is_cheap_and_touches_nothing(client):
    response = client.get("/livez")  # no django_db mark: a database query would fail this test
    assert response.status_code == 200 and response.content == b"ok"


@pytest.mark.django_db
def test_readiness_reports_database_counters_and_sandbox(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    report = json.loads(response.content)
    assert report["status"] == "ready"
    assert report["database"] == "ok"
    assert report["rate_limits"] == "ok (database)"
    assert "sandbox" in report
    assert "no-cache" in response.headers["Cache-Control"]


@pytest.mark.django_db
def test_readiness_is_503_when_the_database_does_not_answer(client, monkeypatch):
    def down():
        raise OperationalError("connection refused")

    monkeypatch.setattr("courseware.health._database", down)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    report = json.loads(response.content)
    assert report["status"] == "unavailable" and "connection refused" in report["database"]


@pytest.mark.django_db
def test_readiness_is_503_within_the_timeout_when_the_database_hangs(client, monkeypatch):
    import threading

    release = threading.Event()
    monkeypatch.setattr("courseware.health.PROBE_TIMEOUT_S", 0.2)
    monkeypatch.setattr("courseware.health._database", lambda: release.wait(5) and "ok")
    try:
        response = client.get("/healthz")
    finally:
        release.set()
    assert response.status_code == 503
    assert "no answer within 0.2 s" in json.loads(response.content)["database"]


@pytest.mark.django_db
def test_an_unreachable_redis_is_a_503_for_logins_and_for_readiness(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    client = Client(raise_request_exception=False)
    response = client.post("/accounts/login/", {"username": "ana", "password": "whatever it is"})
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert b"Back in a moment" in response.content
    ready = client.get("/healthz")
    assert ready.status_code == 503 and "Redis" in json.loads(ready.content)["rate_limits"]


@pytest.mark.django_db
def test_a_bug_stays_a_500_not_a_503(monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr("courseware.accounts.views.throttle.signup_attempt", broken)
    response = Client(raise_request_exception=False).post(
        "/accounts/signup/",
        {"username": "newbie", "password1": "a long new passphrase", "password2": "a long new passphrase"},
    )
    assert response.status_code == 500 and b"Something went wrong on our side" in response.content


OUTAGE = """
import json
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client(raise_request_exception=False)
answers = {}
for method, path, data in [("get", "/livez", None), ("get", "/healthz", None),
                           ("post", "/accounts/login/", {"username": "ana", "password": "a password"}),
                           ("post", "/topics/demo-topic/quizzes/demo/start/", {})]:
    response = getattr(client, method)(path, data)
    answers[path] = [response.status_code, response.headers.get("Retry-After"), response.content.decode()[:3000]]
print(json.dumps(answers))
"""


def test_a_database_outage_answers_503_with_a_styled_page(tmp_path):
    """The database URL points at nothing: every request that needs it is a 503 page, liveness still answers."""
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}},
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/down",
        "REDIS_URL": "",
        "TESTING": "1",
        "VAR_DIR": str(tmp_path),
        "CONTENT_DIR": str(ROOT / "tests" / "fixtures" / "content"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", OUTAGE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    assert answers["/livez"][0] == 200
    status, retry_after, body = answers["/healthz"]
    assert status == 503 and retry_after == "5" and json.loads(body)["database"].startswith("OperationalError")
    for path in ("/accounts/login/", "/topics/demo-topic/quizzes/demo/start/"):
        status, retry_after, body = answers[path]
        assert status == 503, (path, status, body[:500])
        assert retry_after == "5"
        assert "Back in a moment" in body and "/static/css/app.css" in body
