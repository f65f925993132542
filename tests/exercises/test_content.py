from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from courseware.exercises.checker import solution_report, starter_report
from courseware.exercises.content import exercise_of, exercises_of
from courseware.exercises.grading import fired_rules, grade
from courseware.topics.content import load_library

FIXTURE = Path(__file__).parent.parent / "fixtures" / "content"
EXERCISE = "demo-topic/exercises/set-a-timeout"


@pytest.fixture
def pack(tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "content")
    return tmp_path / "content"


def errors_of(pack: Path) -> list[str]:
    return [str(error) for error in load_library(pack).errors]


def edit(pack: Path, old: str, new: str, name: str = "exercise.yaml") -> None:
    path = pack / EXERCISE / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_fixture_exercises_load_into_immutable_objects():
    library = load_library(FIXTURE)
    assert library.errors == () and library.warnings == ()
    topic = library.topic("demo-topic")
    assert [e.slug for e in exercises_of(topic)] == ["keep-logs-bounded", "set-a-timeout"]
    exercise = exercise_of(topic, "set-a-timeout")
    assert exercise.targets == ("aws-lambda/default-timeout",)
    assert [h.kind for h in exercise.hints] == ["primer", "fix", "street_ops", "minimal_change"]
    assert 'href="/topics/demo-topic/primer/#limits"' in exercise.hints[0].html
    assert exercise.paths == ("template.yaml",)
    assert exercise.anti_primer_hour == 0
    assert exercise.solution_after_failed_checks == 2
    with pytest.raises(AttributeError):
        exercise.title = "changed"  # type: ignore[misc]


@pytest.mark.parametrize("slug", ["set-a-timeout", "keep-logs-bounded"])
def test_fixture_starters_fire_exactly_their_targets_and_solutions_pass(slug):
    exercise = exercise_of(load_library(FIXTURE).topic("demo-topic"), slug)
    starter = starter_report(exercise)
    assert fired_rules(starter) == set(exercise.targets)
    assert grade(targets=exercise.targets, starter_report=starter, report=solution_report(exercise)).passed


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("difficulty: 1", "difficulty: 4", f"{EXERCISE}/exercise.yaml:3: 'difficulty' must be 1, 2 or 3"),
        ("format: sam", "format: cdk", f"{EXERCISE}/exercise.yaml:4: 'format' must be one of"),
        (
            "  - aws-lambda/default-timeout",
            "  - aws-lambda/no-such-rule",
            f"{EXERCISE}/exercise.yaml:9: target 'aws-lambda/no-such-rule' is not a rule id",
        ),
        ("anti_primer_hour: 0", "anti_primer_hour: 9", f"{EXERCISE}/exercise.yaml:10: anti_primer_hour 9 is not"),
        ("  - kind: fix", "  - kind: guess", f"{EXERCISE}/exercise.yaml:14: hint kind must be one of"),
        ("  - kind: street_ops", "  - kind: primer", f"{EXERCISE}/exercise.yaml:16: hints go in the order"),
        (
            "[[street_ops:find-the-limit]]",
            "[[street_ops:nowhere]]",
            f"{EXERCISE}/exercise.yaml:17: cross reference [[street_ops:nowhere]] has no target",
        ),
        ("title: Give", "titel: Give", f"{EXERCISE}/exercise.yaml:1: unknown key 'titel'"),
        ("difficulty: 1\n", "difficulty: 1\ndifficulty: 2\n", f"{EXERCISE}/exercise.yaml:4: duplicate key"),
    ],
)
def test_problems_in_exercise_yaml_name_file_and_line(pack, old, new, expected):
    edit(pack, old, new)
    errors = errors_of(pack)
    assert any(error.startswith(expected) for error in errors), errors


def test_starter_and_solution_must_hold_the_same_files(pack):
    (pack / EXERCISE / "solution" / "extra.yaml").write_text("a: 1\n")
    expected = (
        f"{EXERCISE}/exercise.yaml:1: starter/ and solution/ must hold the same file names; differ in: extra.yaml"  # noqa: E501
    )
    assert expected in errors_of(pack)


def test_a_missing_solution_folder_is_an_error(pack):
    shutil.rmtree(pack / EXERCISE / "solution")
    assert f"{EXERCISE}/solution:1: the 'solution' folder is missing" in errors_of(pack)


def test_files_must_be_utf8_and_under_the_sandbox_caps(pack):
    (pack / EXERCISE / "starter" / "template.yaml").write_bytes(b"a: 1\nb: \xff\n")
    (pack / EXERCISE / "solution" / "template.yaml").write_bytes(b"# " + b"x" * 300_000 + b"\n")
    errors = errors_of(pack)
    assert f"{EXERCISE}/starter/template.yaml:2: not valid UTF-8" in errors
    too_big = f"{EXERCISE}/solution/template.yaml:1: file is 300003 bytes, over the sandbox cap"
    assert any(e.startswith(too_big) for e in errors)


def test_a_yaml_syntax_error_has_its_line(pack):
    edit(pack, "difficulty: 1", "difficulty: [1")
    assert any(e.startswith(f"{EXERCISE}/exercise.yaml:") for e in errors_of(pack))
