"""Every course exercise is a test suite, run through the real sandbox as the workspace runs it.

The starter fails, the solution passes, every wrong/ case is refused by a rule or a requirement (never only
by a parse error), every right/ case passes; the in-process engine (used by `manage.py check`) agrees.
"""

from __future__ import annotations

import pytest

from courseware.exercises import suite
from courseware.exercises.content import exercises_of
from courseware.sandbox import Limits, Runner
from courseware.topics.library import get_library


def _course() -> list:
    library = get_library()
    return [exercise for topic in library.topics.values() for exercise in exercises_of(topic)]


def _cases() -> list:
    found = []
    for exercise in _course():
        found.append(pytest.param(exercise, "starter", exercise.starter_files(), id=f"{exercise.slug}/starter"))
        found.append(pytest.param(exercise, "solution", exercise.solution_files(), id=f"{exercise.slug}/solution"))
        for case in exercise.cases:
            found.append(
                pytest.param(exercise, case.kind, case.file_map(), id=f"{exercise.slug}/{case.kind}/{case.slug}")
            )
    return found


@pytest.fixture(scope="module")
def runner():
    sandbox = Runner(Limits(pool_size=2, queue_wait_s=5.0))
    sandbox.start()
    yield sandbox
    sandbox.close()


@pytest.mark.parametrize("exercise", [pytest.param(e, id=e.slug) for e in _course()])
def test_every_exercise_has_requirements_and_its_own_cases(exercise):
    assert exercise.accept, f"{exercise.slug} has no accept: requirements"
    assert len(exercise.cases_of("wrong")) >= 3, f"{exercise.slug} needs at least 3 wrong/ cases"
    assert len(exercise.cases_of("right")) >= 1, f"{exercise.slug} needs at least 1 right/ case"


@pytest.mark.parametrize(("exercise", "kind", "files"), _cases())
def test_the_sandboxed_verdict(runner, exercise, kind, files):
    outcome = runner.check(files, learner_key=f"suite-{kind}", accept=exercise.accept, topic=exercise.engine)
    assert outcome.status == "ok", outcome.message
    verdict = suite.verdict_for(exercise, outcome.report)
    why = suite.reasons(verdict)
    if kind in ("solution", "right"):
        assert verdict.passed, f"must pass, refused because: {why}"
    else:
        assert not verdict.passed, "must be refused, but passes"
        assert verdict.remaining or verdict.regressions or verdict.unmet or verdict.removed, (
            f"refused only because {why}: a wrong case must be refused by a rule or a requirement"
        )
    assert suite.verdict_in_process(exercise, files).passed == verdict.passed, "the in-process engine disagrees"
