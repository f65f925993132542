"""The Kubernetes exercises: every starter fires exactly its targets, every solution is clean, the course covers
what issue 13 asks (the anti-primer's manifests, a Service and the pods it should select, an HPA on a Deployment
without requests), and each exercise carries enough cases of its own.

The suites themselves (starter fails, solution passes, wrong refused, right passes) run through the sandbox in
test_exercise_suites.py and in process in `manage.py check`.
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

ROOT = Path(__file__).resolve().parents[2]
TOPIC = ROOT / "content" / "kubernetes"
EXERCISES = TOPIC / "exercises"
RULE_FOOTGUN = {rule.id: rule.footgun_slug for rule in all_rules()}
HINT_ORDER = ["primer", "fix", "street_ops", "minimal_change"]
CROSS_REFERENCE = re.compile(r"\[\[([a-z_]+):([a-z0-9-]+)(?:\|[^\]]*)?\]\]")
KUBECTL = re.compile(r"^\s*kubectl ", re.M)
SLUGS = sorted(p.parent.name for p in EXERCISES.glob("*/exercise.yaml"))


@cache
def _exercise(slug: str) -> dict:
    return yaml.safe_load((EXERCISES / slug / "exercise.yaml").read_text(encoding="utf-8"))


def _read(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.name != "why.txt"
    }


@cache
def _report(slug: str, part: str) -> Report:
    return check_files(_read(EXERCISES / slug / part))


def _fired(report: Report) -> set[str]:
    fired = {finding.rule for finding in report.findings}
    for result in report.files:
        fired |= {item.finding.rule for item in result.suppressed}
    return fired


@cache
def _anchors(page: str) -> set[str]:
    return set(re.findall(r"^#+ .*\{#([a-z0-9-]+)\}\s*$", (TOPIC / page).read_text(encoding="utf-8"), re.M))


@cache
def _story() -> dict[int, str]:
    data = yaml.safe_load((TOPIC / "anti_primer.yaml").read_text(encoding="utf-8"))
    return {hour["hour"]: hour["footgun"] for hour in data["hours"]}


def test_there_are_at_least_ten():
    assert len(SLUGS) >= 10, SLUGS


@pytest.mark.parametrize("slug", SLUGS)
def test_exercise_yaml(slug):
    exercise = _exercise(slug)
    assert exercise["format"] == "kubernetes"
    assert exercise["accept"], f"{slug}: no requirements"
    assert all(target.startswith("kubernetes/") and target in RULE_FOOTGUN for target in exercise["targets"])
    assert [hint["kind"] for hint in exercise["hints"]] == HINT_ORDER
    hints = {hint["kind"]: hint["text"] for hint in exercise["hints"]}
    assert "[[primer:" in hints["primer"] and "[[street_ops:" in hints["street_ops"]
    assert KUBECTL.search(hints["street_ops"]), f"{slug}: the street-ops hint runs no kubectl command"
    assert "```" in hints["minimal_change"]


@pytest.mark.parametrize("slug", SLUGS)
def test_cross_references_resolve(slug):
    exercise = _exercise(slug)
    known = {
        "primer": _anchors("primer.md"),
        "street_ops": _anchors("street_ops.md"),
        "footgun": {e["slug"] for e in yaml.safe_load((TOPIC / "footguns.yaml").read_text())["footguns"]},
    }
    texts = [exercise["prompt"], *(hint["text"] for hint in exercise["hints"])]
    for kind, target in CROSS_REFERENCE.findall("\n".join(texts)):
        assert target in known[kind], f"{slug}: [[{kind}:{target}]] does not exist"
    for spec in exercise["accept"]:
        assert spec.get("learn") in known["primer"], f"{slug}: learn: {spec.get('learn')} is no primer anchor"


@pytest.mark.parametrize("slug", SLUGS)
def test_starter_fires_exactly_its_targets_and_the_solution_is_clean(slug):
    starter, solution = _report(slug, "starter"), _report(slug, "solution")
    assert {r.format for r in starter.files} == {"kubernetes"}
    assert _fired(starter) == set(_exercise(slug)["targets"])
    assert not solution.findings and not _fired(solution), [(f.rule, f.line) for f in solution.findings]


@pytest.mark.parametrize("slug", SLUGS)
def test_cases_are_complete_learner_submissions(slug):
    starter = sorted(_read(EXERCISES / slug / "starter"))
    assert sorted(_read(EXERCISES / slug / "solution")) == starter
    for kind, least in (("wrong", 5), ("right", 2)):
        cases = sorted((EXERCISES / slug / kind).iterdir())
        assert len(cases) >= least, f"{slug}: {len(cases)} {kind} cases"
        for case in cases:
            assert sorted(_read(case)) == starter, case
            assert (case / "why.txt").read_text(encoding="utf-8").strip(), f"{case}: no why"
    suppressions = [case for case in (EXERCISES / slug / "wrong").iterdir()
                    if "footgun:ignore" in "".join(_read(case).values())]  # fmt: skip
    assert suppressions, f"{slug}: no wrong case tries a suppression comment"


def test_the_anti_primer_exercise_covers_every_hour():
    capstones = [
        slug for slug in SLUGS
        if set(_story().values()) <= {RULE_FOOTGUN[t] for t in _exercise(slug)["targets"]}
    ]  # fmt: skip
    assert "fix-the-anti-primer" in capstones


@pytest.mark.parametrize("slug", SLUGS)
def test_anti_primer_hour_matches_a_target(slug):
    hour = _exercise(slug).get("anti_primer_hour")
    if hour is not None:
        assert _story()[hour] in {RULE_FOOTGUN[t] for t in _exercise(slug)["targets"]}


def test_the_shapes_the_issue_names():
    targets = {slug: set(_exercise(slug)["targets"]) for slug in SLUGS}
    # A Service whose selector misses its Deployment's labels, fixed in two files that refer to each other.
    selector = [s for s, t in targets.items() if "kubernetes/service-selector-no-match" in t]
    assert any(len(_read(EXERCISES / s / "starter")) >= 2 for s in selector), selector
    # An HPA on a Deployment without requests, with replicas set in the Deployment.
    assert any({"kubernetes/hpa-without-requests", "kubernetes/replicas-with-hpa"} <= t for t in targets.values())
    covered = set().union(*targets.values())
    assert len(covered) >= 17, sorted(set(RULE_FOOTGUN) - covered)


def _form(root: Path) -> dict[str, str]:
    return {f"file-{index}": text for index, (_path, text) in enumerate(sorted(_read(root).items()))}


@pytest.mark.django_db
def test_the_workspace_grades_a_two_file_exercise(learner_client, fake_runner):
    url = "/topics/kubernetes/exercises/orders-api-service-selector/"
    page = learner_client.get(url).content.decode()
    assert '<label for="file-0">deployment.yaml</label>' in page and '<label for="file-1">service.yaml</label>' in page
    folder = EXERCISES / "orders-api-service-selector"
    htmx = {"HTTP_HX_REQUEST": "true"}
    refused = learner_client.post(url + "check/", _form(folder / "wrong" / "service-back-to-app-label"), **htmx)
    body = refused.content.decode()
    assert "Passed." not in body and "app.kubernetes.io/name: orders-api" in body
    passed = learner_client.post(url + "check/", _form(folder / "solution"), **htmx).content.decode()
    assert "Passed." in passed


@pytest.mark.django_db
def test_a_pass_links_the_anti_primer_hour_it_prevents(learner_client, fake_runner):
    url = "/topics/kubernetes/exercises/checkout-graceful-shutdown/"
    form = _form(EXERCISES / "checkout-graceful-shutdown" / "solution")
    body = learner_client.post(url + "check/", form, HTTP_HX_REQUEST="true").content.decode()
    assert "Passed." in body and 'href="/topics/kubernetes/anti_primer/#hour-2"' in body
