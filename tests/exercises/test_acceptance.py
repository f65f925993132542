"""Exercises that a wrong fix cannot pass: requirements, cases, feedback, check_exercise, kept edits."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from courseware.exercises import grading, suite
from courseware.exercises.content import exercise_of
from courseware.exercises.models import Draft, Submission
from courseware.topics.content import load_library

FIXTURE = Path(__file__).parent.parent / "fixtures" / "content"
EXERCISE = "demo-topic/exercises/set-a-timeout"
URL = "/topics/demo-topic/exercises/set-a-timeout/"
STARTER = (FIXTURE / EXERCISE / "starter/template.yaml").read_text()
AT_MAXIMUM = STARTER.replace("      MemorySize: 1024\n", "      MemorySize: 1024\n      Timeout: 900\n")
SOLUTION = STARTER.replace("      MemorySize: 1024\n", "      MemorySize: 1024\n      Timeout: 60\n")
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def pack(tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "content")
    return tmp_path / "content"


def _exercise(root: Path = FIXTURE):
    return exercise_of(load_library(root).topic("demo-topic"), "set-a-timeout")


def _edit(pack: Path, old: str, new: str) -> None:
    path = pack / EXERCISE / "exercise.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_the_fixture_exercise_loads_its_requirements_and_cases():
    exercise = _exercise()
    assert exercise.accept == (
        {
            "function": "ReportBuilder",
            "timeout": {"min": 10, "max": 300},
            "message": "A report takes up to 8 seconds: give it room, and end a stuck one within five minutes.",
            "learn": "limits",
        },
    )
    assert {(c.kind, c.slug) for c in exercise.cases} == {
        ("wrong", "timeout-at-maximum"), ("wrong", "timeout-too-short"), ("wrong", "function-deleted"),
        ("right", "globals-timeout"),
    }  # fmt: skip
    assert suite.suite_problems(exercise) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "    timeout: {min: 10, max: 300}",
            "    timout: {min: 10}",
            f"{EXERCISE}/exercise.yaml:23: unknown key 'timout'",
        ),
        (
            "    timeout: {min: 10, max: 300}",
            "    timeout: {min: 300, max: 10}",
            f"{EXERCISE}/exercise.yaml:23: 'min' is above",
        ),
        ("    learn: limits", "    learn: nowhere", f"{EXERCISE}/exercise.yaml:26: cross reference [[primer:nowhere]]"),
        (
            "  - function: ReportBuilder\n",
            "  - function: ReportBuilder\n    queue: Jobs\n",
            f"{EXERCISE}/exercise.yaml:22: a requirement names exactly one subject",
        ),
    ],
)
def test_problems_in_accept_name_file_and_line(pack, old, new, expected):
    _edit(pack, old, new)
    errors = [str(e) for e in load_library(pack).errors]
    assert any(error.startswith(expected) for error in errors), errors


def test_a_requirement_on_a_function_the_starter_lacks_is_a_content_error(pack):
    _edit(pack, "  - function: ReportBuilder", "  - function: ReportBuildr")
    problems = suite.subject_problems(_exercise(pack))
    assert [(p.source, p.line, p.message) for p in problems] == [
        (f"{EXERCISE}/exercise.yaml", 22, "the starter has no function named 'ReportBuildr'")
    ]


def test_a_wrong_case_that_passes_and_a_right_case_that_fails_are_reported(pack):
    (pack / EXERCISE / "wrong/timeout-at-maximum/template.yaml").write_text(SOLUTION)
    (pack / EXERCISE / "right/globals-timeout/template.yaml").write_text(AT_MAXIMUM)
    messages = [p.message for p in suite.suite_problems(_exercise(pack))]
    assert any(m.startswith("this wrong case passes, but must be refused (900 s is the maximum") for m in messages)
    assert any(
        m.startswith("this right case is refused: requirement 1: The timeout of ReportBuilder is 900") for m in messages
    )


def test_a_case_needs_a_why_and_exactly_the_starter_files(pack):
    (pack / EXERCISE / "wrong/timeout-too-short/why.txt").unlink()
    (pack / EXERCISE / "right/globals-timeout/extra.yaml").write_text("a: 1\n")
    exercise = _exercise(pack)
    assert load_library(pack).errors == ()  # cases are read on demand, not at start-up
    errors = [f"{p.source}:{p.line}: {p.message}" for p in suite.suite_problems(exercise)]
    assert f"{EXERCISE}/wrong/timeout-too-short:1: why.txt must hold one line: why this case is wrong" in errors
    assert any(
        e.startswith(f"{EXERCISE}/right/globals-timeout:1: a case holds exactly the starter's files") for e in errors
    )


def test_a_verdict_fails_closed_when_requirements_were_not_evaluated():
    exercise = _exercise()
    clean = {
        "version": 1,
        "files": [{"path": "template.yaml", "status": "ok", "findings": []}],
        "resources": ["ReportBuilder"],
    }
    starter = {"files": []}
    verdict = grading.grade(targets=exercise.targets, starter_report=starter, report=clean, requirements=1)
    assert not verdict.passed and verdict.unmet[0].message == grading.NOT_EVALUATED


def test_an_unmet_requirement_refuses_a_check_and_says_why_with_the_line(learner_client, fake_runner, fixture_content):
    body = learner_client.post(URL + "check/", {"file-0": AT_MAXIMUM}, **HTMX).content.decode()
    assert "Not yet." in body and "What is still wrong" in body
    assert "end a stuck one within five minutes" in body
    assert "The timeout of ReportBuilder is 900 s (template.yaml line 12); it should be between 10 and 300 s." in body
    assert 'href="#result-file-0-L-12">Line 12</a>' in body
    assert 'href="/topics/demo-topic/primer/#limits">Primer</a>' in body
    assert '<span id="result-file-0-L-12"><span class="hll">' in body  # the line is marked in the file
    submission = Submission.objects.get()
    assert not submission.passed and submission.verdict["unmet"][0]["line"] == 12


def test_deleting_the_function_names_it_and_earns_no_fixed_so_far(learner_client, fake_runner, fixture_content):
    deleted = (FIXTURE / EXERCISE / "wrong/function-deleted/template.yaml").read_text()
    body = learner_client.post(URL + "check/", {"file-0": deleted}, **HTMX).content.decode()
    assert "<code>ReportBuilder</code> is gone from your files" in body
    assert "Fixed so far" not in body


def test_an_empty_file_is_not_fixed_so_far(learner_client, fake_runner, fixture_content):
    body = learner_client.post(URL + "check/", {"file-0": ""}, **HTMX).content.decode()
    assert "Not yet." in body and "Fixed so far" not in body
    assert "ReportBuilder" in body


@pytest.mark.usefixtures("fixture_content")
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("case", "code"),
    [("solution", 0), ("wrong/timeout-at-maximum", 1), ("wrong/function-deleted", 1), ("right/globals-timeout", 0)],
)
def test_check_exercise_runs_the_grading_path(capsys, case, code):
    with pytest.raises(SystemExit) as exit_:
        call_command("check_exercise", "demo-topic/set-a-timeout", str(FIXTURE / EXERCISE / case), "--format", "json")
    assert exit_.value.code == code
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"passed", "status", "message", "fixed", "remaining", "regressions", "removed", "unmet",
                           "parse_errors", "findings"}  # fmt: skip
    assert result["passed"] is (code == 0) and result["status"] == "ok"


@pytest.mark.usefixtures("fixture_content")
@pytest.mark.django_db
def test_check_exercise_says_what_is_wrong_in_text(capsys):
    with pytest.raises(SystemExit) as exit_:
        call_command("check_exercise", "demo-topic/set-a-timeout", str(FIXTURE / EXERCISE / "wrong/timeout-at-maximum"))
    out = capsys.readouterr().out
    assert exit_.value.code == 1
    assert "NOT PASSED" in out and "requirement 1 not met [template.yaml:12]" in out and "saw: The timeout" in out


@pytest.mark.usefixtures("fixture_content")
@pytest.mark.parametrize(("args", "message"), [
    (["demo-topic/nope", "."], "no exercise 'demo-topic/nope'"),
    (["demo-topic/set-a-timeout", "/nonexistent-folder"], "is not a folder"),
    (["demo-topic/set-a-timeout", str(FIXTURE)], "has no template.yaml"),
])  # fmt: skip
def test_check_exercise_refuses_bad_input_with_exit_2(capsys, args, message):
    with pytest.raises(SystemExit) as exit_:
        call_command("check_exercise", *args)
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err


@pytest.mark.usefixtures("fixture_content")
def test_a_visitors_checks_and_edits_move_into_the_account_at_sign_in(client, learner, fake_runner):
    exercise = _exercise()
    response = client.post(URL + "check/", {"file-0": SOLUTION})
    assert response.status_code == 302 and response["Location"].endswith("#feedback")  # checked, no account needed
    page = client.get(URL).content.decode()
    assert page.count("Timeout: 60") >= 1 and "Passed." in page  # the kept edits and the visitor's own check
    visitor_check = Submission.objects.get()
    assert visitor_check.user is None and visitor_check.anon_token and visitor_check.passed
    assert fake_runner.calls[0]["learner_key"] == f"visitor:{visitor_check.anon_token}"
    client.post("/accounts/login/", {"username": "lena", "password": "correct horse battery"})
    draft = Draft.objects.get(user=learner, exercise=exercise.slug)
    assert draft.files == {"template.yaml": SOLUTION}
    assert "exercise_drafts" not in client.session
    visitor_check.refresh_from_db()
    assert (visitor_check.user, visitor_check.anon_token, visitor_check.check_number) == (learner, "", 1)
    assert "Passed" in client.get(URL).content.decode()


@pytest.mark.usefixtures("fixture_content")
def test_a_visitors_htmx_check_shows_feedback_and_autosave_keeps_the_edits(client, fake_runner):
    response = client.post(URL + "check/", {"file-0": AT_MAXIMUM}, **HTMX)
    assert response.status_code == 200 and "HX-Redirect" not in response
    assert 'id="check-announcer"' in response.content.decode()
    client.post(URL + "draft/", {"file-0": SOLUTION})
    assert client.session["exercise_drafts"]["demo-topic/set-a-timeout"] == {"template.yaml": SOLUTION}
