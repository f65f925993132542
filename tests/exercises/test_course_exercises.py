"""The AWS Lambda exercises: every starter fires exactly its targets, every solution passes.

Runs the footgun engine directly on the files under content/aws-lambda/exercises/, the same way
the exercise workspace checks a learner's submission (a suppressed finding still counts as fired).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
import yaml

from courseware.footguns.engine import check_files
from courseware.footguns.registry import all_rules
from courseware.footguns.report import Report

RULES = all_rules()


ROOT = Path(__file__).resolve().parents[2]
TOPIC = ROOT / "content" / "aws-lambda"
EXERCISES = TOPIC / "exercises"

RULE_FOOTGUN = {rule.id: rule.footgun_slug for rule in RULES}
FORMATS = {"sam", "cloudformation", "terraform", "serverless", "python"}
TEMPLATE_FORMATS = {"sam", "cloudformation", "terraform", "serverless"}
HINT_ORDER = ["primer", "fix", "street_ops", "minimal_change"]
# The four footguns the issue names for the anti-primer; the story's hours are checked as well.
ANTI_PRIMER_FOOTGUNS = {
    "cold-start-blindness",
    "no-timeout-configuration",
    "unbounded-concurrency",
    "synchronous-in-disguise",
}
REQUIRED_KEYS = {
    "title", "summary", "difficulty", "format", "prompt", "targets", "hints",
    "solution_after_failed_checks", "accept",
}  # fmt: skip
OPTIONAL_KEYS = {"anti_primer_hour", "scenario"}
CROSS_REFERENCE = re.compile(r"\[\[([a-z_]+):([a-z0-9-]+)(?:\|[^\]]*)?\]\]")
# A real command or query: the AWS CLI, or CloudWatch Logs Insights.
STREET_OPS_COMMAND = re.compile(r"```(bash|sql)\n(.*?)```", re.S)
AWS_COMMAND = re.compile(r"^\s*aws [a-z0-9-]+ [a-z0-9-]+", re.M)


def _slugs() -> list[str]:
    return sorted(p.parent.name for p in EXERCISES.glob("*/exercise.yaml"))


@cache
def _exercise(slug: str) -> dict:
    return yaml.safe_load((EXERCISES / slug / "exercise.yaml").read_text(encoding="utf-8"))


@cache
def _files(slug: str, part: str) -> dict[str, str]:
    root = EXERCISES / slug / part
    return {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@cache
def _report(slug: str, part: str) -> Report:
    return check_files(_files(slug, part))


def _fired(report: Report) -> set[str]:
    """Rule ids that fired, suppressed or not: a suppression does not make a target pass."""
    fired = {finding.rule for finding in report.findings}
    for result in report.files:
        fired |= {item.finding.rule for item in result.suppressed}
    return fired


def _describe(report: Report, rules: set[str]) -> str:
    lines = []
    for result in report.files:
        for finding in result.findings:
            if finding.rule in rules:
                lines.append(f"  {result.path}:{finding.line} {finding.rule} ({finding.resource})")
    return "\n".join(lines)


@cache
def _anchors(page: str) -> set[str]:
    text = (TOPIC / page).read_text(encoding="utf-8")
    return set(re.findall(r"^## .*\{#([a-z0-9-]+)\}\s*$", text, re.M))


@cache
def _footgun_slugs() -> set[str]:
    data = yaml.safe_load((TOPIC / "footguns.yaml").read_text(encoding="utf-8"))
    return {entry["slug"] for entry in data["footguns"]}


@cache
def _story_hours() -> dict[int, str]:
    data = yaml.safe_load((TOPIC / "anti_primer.yaml").read_text(encoding="utf-8"))
    return {hour["hour"]: hour["footgun"] for hour in data["hours"]}


SLUGS = _slugs()


def test_exercises_exist():
    assert SLUGS, f"no exercises under {EXERCISES}"


@pytest.mark.parametrize("slug", SLUGS)
def test_exercise_yaml_is_complete(slug):
    exercise = _exercise(slug)
    keys = set(exercise)
    assert REQUIRED_KEYS <= keys, f"{slug}: missing {sorted(REQUIRED_KEYS - keys)}"
    assert keys <= REQUIRED_KEYS | OPTIONAL_KEYS, f"{slug}: unknown {sorted(keys - REQUIRED_KEYS - OPTIONAL_KEYS)}"
    assert re.fullmatch(r"[a-z0-9-]+", slug)
    assert exercise["format"] in FORMATS
    assert exercise["difficulty"] in (1, 2, 3)
    assert isinstance(exercise["solution_after_failed_checks"], int)
    assert exercise["solution_after_failed_checks"] >= 0
    assert exercise["targets"], f"{slug}: no targets"
    unknown = set(exercise["targets"]) - set(RULE_FOOTGUN)
    assert not unknown, f"{slug}: unknown rule ids {sorted(unknown)}"
    assert len(exercise["targets"]) == len(set(exercise["targets"])), f"{slug}: repeated target"


@pytest.mark.parametrize("slug", SLUGS)
def test_hints_are_graded_in_order(slug):
    hints = _exercise(slug)["hints"]
    assert [hint["kind"] for hint in hints] == HINT_ORDER, slug
    by_kind = {hint["kind"]: hint["text"] for hint in hints}
    assert all(text.strip() for text in by_kind.values()), f"{slug}: an empty hint"
    assert "[[primer:" in by_kind["primer"], f"{slug}: the primer hint links no primer section"
    assert "[[street_ops:" in by_kind["street_ops"], f"{slug}: the street-ops hint links no runbook"
    commands = [code for _lang, code in STREET_OPS_COMMAND.findall(by_kind["street_ops"])]
    assert any(AWS_COMMAND.search(code) or "filter @" in code or "stats " in code for code in commands), (
        f"{slug}: the street-ops hint has no aws command or Logs Insights query"
    )
    assert "```" in by_kind["minimal_change"], f"{slug}: the minimal change shows no lines"


@pytest.mark.parametrize("slug", SLUGS)
def test_cross_references_resolve(slug):
    exercise = _exercise(slug)
    texts = [exercise["prompt"], exercise["summary"], *(hint["text"] for hint in exercise["hints"])]
    known = {
        "primer": _anchors("primer.md"),
        "street_ops": _anchors("street_ops.md"),
        "footgun": _footgun_slugs(),
    }
    for text in texts:
        for kind, target in CROSS_REFERENCE.findall(text):
            assert kind in known, f"{slug}: unknown reference kind [[{kind}:{target}]]"
            assert target in known[kind], f"{slug}: [[{kind}:{target}]] does not exist"


@pytest.mark.parametrize("slug", SLUGS)
def test_anti_primer_hour_matches_a_target(slug):
    exercise = _exercise(slug)
    if "anti_primer_hour" not in exercise:
        return
    hours = _story_hours()
    hour = exercise["anti_primer_hour"]
    assert hour in hours, f"{slug}: the anti-primer has no hour {hour}"
    footguns = {RULE_FOOTGUN[rule] for rule in exercise["targets"]}
    assert hours[hour] in footguns, f"{slug}: hour {hour} is about {hours[hour]}, which none of the targets detects"


@pytest.mark.parametrize("slug", SLUGS)
def test_starter_and_solution_have_the_same_files(slug):
    starter, solution = _files(slug, "starter"), _files(slug, "solution")
    assert starter, f"{slug}: empty starter"
    assert sorted(starter) == sorted(solution)


@pytest.mark.parametrize("part", ["starter", "solution"])
@pytest.mark.parametrize("slug", SLUGS)
def test_every_file_parses(slug, part):
    report = _report(slug, part)
    bad = [(r.path, r.status, r.error) for r in report.files if r.status != "ok" or r.format == "unknown"]
    assert not bad, f"{slug}/{part}: {bad}"
    assert not report.truncated


@pytest.mark.parametrize("slug", SLUGS)
def test_starter_fires_exactly_its_targets(slug):
    report = _report(slug, "starter")
    fired = _fired(report)
    targets = set(_exercise(slug)["targets"])
    assert fired == targets, (
        f"{slug}: starter fires {sorted(fired)}, targets are {sorted(targets)}; "
        f"not fired: {sorted(targets - fired)}; not a target:\n{_describe(report, fired - targets)}"
    )


@pytest.mark.parametrize("slug", SLUGS)
def test_solution_passes(slug):
    report = _report(slug, "solution")
    fired = _fired(report)
    targets = set(_exercise(slug)["targets"])
    still = fired & targets
    assert not still, f"{slug}: the solution still fires\n{_describe(report, still)}"
    regressed = fired - _fired(_report(slug, "starter"))
    assert not regressed, f"{slug}: the solution fires rules the starter did not\n{_describe(report, regressed)}"
    assert not report.findings, f"{slug}: the solution should be clean\n{_describe(report, fired)}"


def test_course_requirements():
    exercises = {slug: _exercise(slug) for slug in SLUGS}
    assert len(exercises) >= 8, f"only {len(exercises)} exercises"

    targeted = {RULE_FOOTGUN[rule] for e in exercises.values() for rule in e["targets"]}
    story = set(_story_hours().values())
    assert ANTI_PRIMER_FOOTGUNS <= story, "the anti-primer story no longer covers the issue's four"
    missing = (ANTI_PRIMER_FOOTGUNS | story) - targeted
    assert not missing, f"no exercise targets the anti-primer footguns {sorted(missing)}"

    formats = {
        result.format for slug in SLUGS for result in _report(slug, "starter").files
    }  # fmt: skip
    assert TEMPLATE_FORMATS <= formats, f"no exercise in {sorted(TEMPLATE_FORMATS - formats)}"
    declared = {e["format"] for e in exercises.values()}
    assert TEMPLATE_FORMATS <= declared, f"no exercise declares {sorted(TEMPLATE_FORMATS - declared)}"

    # A Python handler whose code (not only its template) makes a target fire.
    handler_hits = [
        slug for slug in SLUGS
        for finding in _report(slug, "starter").findings
        if finding.file.endswith(".py") and finding.rule in exercises[slug]["targets"]
    ]  # fmt: skip
    assert handler_hits, "no exercise has a Python handler that fires a target"
    assert any("aws-lambda/sync-lambda-invoke" in exercises[slug]["targets"] for slug in handler_hits), (
        "no exercise has a handler that invokes another function synchronously"
    )

    # Fix the anti-primer: the story's stack, every footgun of the story a target.
    story_footguns = ANTI_PRIMER_FOOTGUNS | story
    capstones = [
        slug for slug, e in exercises.items()
        if story_footguns <= {RULE_FOOTGUN[rule] for rule in e["targets"]}
    ]  # fmt: skip
    assert capstones, f"no exercise targets a rule of each of {sorted(story_footguns)}"


@pytest.mark.parametrize("slug", SLUGS)
def test_the_workspace_verdict_agrees(slug):
    """The exercise workspace's own grading: the starter fails on every target, the solution passes."""
    from courseware.exercises.grading import grade

    targets = _exercise(slug)["targets"]
    starter = _report(slug, "starter").to_dict()
    on_starter = grade(targets=targets, starter_report=starter, report=starter)
    assert not on_starter.passed
    assert sorted(on_starter.remaining) == sorted(targets)
    verdict = grade(targets=targets, starter_report=starter, report=_report(slug, "solution").to_dict())
    assert verdict.passed, f"{slug}: {verdict.to_dict()}"
    assert sorted(verdict.fixed) == sorted(targets)
