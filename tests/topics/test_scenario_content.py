"""Scenarios are content: `manage.py check` names the file and line of every problem in them and in the
exercises and the anti-primer that name them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from courseware.exercises.content import exercise_of
from courseware.exercises.suite import scenario_problems
from courseware.topics.content import load_library

CONTENT = Path(__file__).resolve().parents[2] / "content"
TOPIC = "aws-lambda"


@pytest.fixture
def pack(tmp_path):
    shutil.copytree(CONTENT / TOPIC, tmp_path / "content" / TOPIC)
    return tmp_path / "content"


def edit(pack: Path, name: str, old: str, new: str) -> None:
    path = pack / TOPIC / name
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def errors_of(pack: Path) -> list[str]:
    return [str(error) for error in load_library(pack).errors]


def test_the_shipped_scenarios_load():
    topic = load_library(CONTENT).topic(TOPIC)
    assert {"friday-night", "sales-day", "invoice-run"} <= set(topic.scenarios)
    assert topic.anti_primer.scenario == "friday-night"
    assert exercise_of(topic, "fix-the-anti-primer").scenario == "friday-night"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("step: 30s", "step: 30s\nweather: rain", "scenarios/friday-night.yaml:13: unknown key 'weather'"),
        ("median: 7s, at_memory: 512", "median: fast, at_memory: 512", "scenarios/friday-night.yaml:20: 'median'"),
        ('{at: "00:20", burst: 1}', '{at: "25:00", burst: 1}', "scenarios/friday-night.yaml:30: 'at' must be"),
        ("instance_class: db.t3.medium", "instance_class: db.x9.huge", "scenarios/friday-night.yaml:16: unknown"),
        ("factor: 5}", "factor: fast}", "scenarios/friday-night.yaml:52: 'factor'"),
        ("seed: 17", "seed: [17", "scenarios/friday-night.yaml:"),
    ],
)
def test_problems_in_a_scenario_name_file_and_line(pack, old, new, expected):
    edit(pack, "scenarios/friday-night.yaml", old, new)
    errors = errors_of(pack)
    assert any(error.startswith(f"{TOPIC}/{expected}") for error in errors), errors


def test_an_exercise_naming_an_unknown_scenario_is_an_error_at_its_line(pack):
    edit(pack, "exercises/importer-timeout/exercise.yaml", "scenario: partner-drops", "scenario: partner-drop")
    errors = errors_of(pack)
    expected = f"{TOPIC}/exercises/importer-timeout/exercise.yaml:19: scenario 'partner-drop' is not"
    assert any(e.startswith(expected) for e in errors), errors


def test_the_anti_primer_naming_an_unknown_scenario_is_an_error(pack):
    edit(pack, "anti_primer.yaml", "scenario: friday-night", "scenario: saturday-night")
    errors = errors_of(pack)
    assert any(e.startswith(f"{TOPIC}/anti_primer.yaml:5: scenario 'saturday-night'") for e in errors), errors


def test_a_scenario_driving_a_function_the_starter_lacks_is_a_suite_problem(pack):
    edit(pack, "scenarios/partner-drops.yaml", "  PartnerImporter:", "  PartnerImport:")
    topic = load_library(pack).topic(TOPIC)
    exercise = exercise_of(topic, "importer-timeout")
    problems = scenario_problems(exercise, topic.scenarios["partner-drops"])
    assert [(p.line, p.message) for p in problems][:1] == [
        (19, "scenario 'partner-drops' drives function 'PartnerImport', which the starter does not define")
    ]
    assert scenario_problems(exercise_of(load_library(CONTENT).topic(TOPIC), "importer-timeout"),
                             load_library(CONTENT).topic(TOPIC).scenarios["partner-drops"]) == []  # fmt: skip
