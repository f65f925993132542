"""`make run` is never empty: demo accounts, a demo cohort with history, credentials printed last."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from courseware.cohorts.models import Cohort

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("demo_setup", *args, stdout=out)
    return out.getvalue()


def test_demo_setup_creates_a_demo_cohort_with_history_once_and_prints_credentials_last(settings, tmp_path, client):
    settings.VAR_DIR = tmp_path
    first = run()
    second = run()
    cohort = Cohort.objects.get(name="Demo cohort")
    assert Cohort.objects.filter(name="Demo cohort").count() == 1  # idempotent
    assert cohort.memberships.count() == 13  # a dozen generated learners and the demo learner
    assert cohort.instructors.filter(username="instructor").exists()
    passwords = json.loads((tmp_path / "demo-credentials.json").read_text())
    for output in (first, second):
        last = output.strip().splitlines()[-3:]
        assert last[0].startswith("Demo accounts")
        assert passwords["instructor"] in last[1] and passwords["learner"] in last[2]
    assert run("--credentials-only").strip().splitlines()[-1].endswith(passwords["learner"])

    # The instructor lands on the dashboard, whose readiness matrix shows the cohort's learners.
    response = client.post("/accounts/login/", {"username": "instructor", "password": passwords["instructor"]})
    assert response.headers["Location"] == "/dashboard/"
    matrix = client.get(f"/dashboard/cohorts/{cohort.pk}/").content.decode()
    assert matrix.count("demo-learner-") >= 12
    client.post("/accounts/logout/")
    response = client.post("/accounts/login/", {"username": "learner", "password": passwords["learner"]})
    assert response.headers["Location"] == "/"
    assert "Demo cohort" in client.get("/").content.decode()
