"""The Kubernetes pack's quizzes, street ops and trivia: the sizes the course promises, and answer keys that
point at the lines their explanations talk about."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from courseware.quizzes.content import KINDS, quizzes_of
from courseware.topics.content import load_library

CONTENT = Path(__file__).resolve().parents[2] / "content"
PACK = CONTENT / "kubernetes"
RUNBOOK_SUBSECTIONS = ["Symptom", "Commands", "What to look for", "Fix"]
# "Line 24:" or "Lines 17 and 24:" at the start of an explanation names the answer key.
EXPLAINED_LINES = re.compile(r"^Lines? (\d+)(?:(?:, | and )(\d+))*")


@pytest.fixture(scope="module")
def library():
    return load_library(CONTENT)


@pytest.fixture(scope="module")
def quizzes(library):
    return quizzes_of(library.topic("kubernetes"))


def sections(markdown: str) -> dict[str, str]:
    """`##` sections of a page by heading, each with its body."""
    parts = re.split(r"^## (.+)$", markdown, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_the_pack_loads_without_errors_or_warnings(library):
    problems = [str(p) for p in (*library.errors, *library.warnings) if p.path.startswith("kubernetes/")]
    assert problems == []


def test_at_least_45_questions_over_at_least_3_quizzes(quizzes):
    assert len(quizzes) >= 3
    assert sum(len(q.questions) for q in quizzes.values()) >= 45


def test_every_question_kind_is_used(quizzes):
    used = {question.kind for quiz in quizzes.values() for question in quiz.questions}
    assert used == set(KINDS)


def test_every_question_explains_and_links_a_footgun_or_section(quizzes):
    for quiz in quizzes.values():
        for question in quiz.questions:
            assert question.explanation_html.strip(), question.id
            assert question.learn.url.startswith("/topics/kubernetes/"), question.id


def raw_spot_questions():
    for path in sorted((PACK / "quizzes").glob("*.yaml")):
        for question in yaml.safe_load(path.read_text())["questions"]:
            if question["kind"] == "spot_the_footgun":
                yield pytest.param(question, id=f"{path.stem}:{question['id']}")


def test_at_least_three_spot_the_footgun_questions_on_kubernetes_manifests():
    manifests = []
    for param in raw_spot_questions():
        question = param.values[0]
        if question.get("language") != "kubernetes":
            continue
        documents = [d for d in yaml.safe_load_all(question["snippet"]) if d]
        assert documents and all({"apiVersion", "kind"} <= d.keys() for d in documents), question["id"]
        manifests.append(question["id"])
    assert len(manifests) >= 3, manifests


@pytest.mark.parametrize("question", list(raw_spot_questions()))
def test_spot_answer_key_matches_the_lines_the_explanation_names(question):
    snippet = question["snippet"].rstrip("\n").split("\n")
    assert all(snippet[n - 1].strip() for n in question["lines"]), "an answer line is blank"
    named = EXPLAINED_LINES.match(question["explanation"])
    assert named, "the explanation should start with the line(s) it explains"
    numbers = {int(n) for n in re.findall(r"\d+", named.group(0))}
    assert numbers == set(question["lines"])


def test_at_least_ten_runbooks_each_with_the_four_subsections_in_order():
    runbooks = sections((PACK / "street_ops.md").read_text())
    assert len(runbooks) >= 10
    for heading, body in runbooks.items():
        assert re.search(r"\{#[a-z0-9-]+\}$", heading), heading
        found = re.findall(r"^### (.+?)(?: \{#[a-z0-9-]+\})?$", body, flags=re.MULTILINE)
        assert found == RUNBOOK_SUBSECTIONS, heading
        commands = body.split("### Commands", 1)[1].split("### What to look for", 1)[0]
        assert "kubectl " in commands, heading


def test_the_runbooks_the_brief_lists_are_there():
    anchors = set(re.findall(r"^## .+\{#([a-z0-9-]+)\}$", (PACK / "street_ops.md").read_text(), re.MULTILINE))
    assert {
        "crashloopbackoff", "oomkilled", "pending-pods", "stuck-rollouts", "drain-blocked-by-pdb",
        "cpu-throttling", "service-without-endpoints", "probe-failures", "node-pressure-evictions",
        "ephemeral-debug-containers",
    } <= anchors  # fmt: skip


def test_at_least_twelve_trivia_facts_each_ending_with_a_source():
    facts = sections((PACK / "trivia.md").read_text())
    assert len(facts) >= 12
    for heading, body in facts.items():
        lines = [line for line in body.strip().splitlines() if line.strip()]
        assert lines[-1].startswith("Source: https://"), heading
        assert not lines[0].startswith("Source:"), f"{heading}: a fact needs text before its sources"
