"""A live exercise round on the Kubernetes topic, through the real sandbox: two files, the footgun by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from courseware.accounts.services import user_create
from courseware.cohorts.services import cohort_create
from courseware.live import selectors
from courseware.live.services import live_check_submit, live_join, live_session_create, live_session_transition

pytestmark = pytest.mark.django_db
EXERCISE = Path(__file__).resolve().parents[2] / "content/kubernetes/exercises/orders-api-service-selector"


def _files(folder: str) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted((EXERCISE / folder).iterdir())}


def test_a_kubernetes_exercise_round_in_a_live_session():
    teacher = user_create(username="teacher", password="a long test passphrase", instructor=True)
    cohort = cohort_create(instructor=teacher, name="Platform", topics=[("kubernetes", None), ("aws-lambda", None)])
    quiz_question = (
        "kubernetes/basics#"
        + __import__("yaml").safe_load((EXERCISE.parents[1] / "quizzes/basics.yaml").read_text())["questions"][0]["id"]
    )
    session = live_session_create(
        cohort=cohort, instructor=teacher, title="K8s", questions=[quiz_question], allow_guests=True,
        exercise="kubernetes/orders-api-service-selector", exercise_seconds=300,
    )  # fmt: skip
    ada = live_join(session=session, guest_name="Ada")
    live_session_transition(session_id=session.pk, action="open_exercise")
    exercise = selectors.exercise_for(session.exercise)
    starter = {path: _files("starter").get(path.rsplit("/", 1)[-1], "") for path in exercise.paths}
    check, message = live_check_submit(session_id=session.pk, participant=ada, files=starter)
    assert not check.passed and "kubernetes/service-selector-no-match" in check.rules
    assert message.startswith("Not yet.") and "still fires at" in message
    solution = {path: _files("solution").get(path.rsplit("/", 1)[-1], "") for path in exercise.paths}
    check, message = live_check_submit(session_id=session.pk, participant=ada, files=solution)
    assert check.passed, message
