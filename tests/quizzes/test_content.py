from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from courseware.quizzes.content import quizzes_of
from courseware.topics.content import load_library

FIXTURE = Path(__file__).parent.parent / "fixtures" / "content"
REAL_CONTENT = Path(__file__).resolve().parents[2] / "content"


@pytest.fixture
def pack(tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "content")
    return tmp_path / "content"


def load_with(pack: Path, name: str, text: str):
    (pack / "demo-topic" / "quizzes" / name).write_text(textwrap.dedent(text).lstrip())
    library = load_library(pack)
    return [str(e) for e in library.errors], [str(w) for w in library.warnings], library


def test_fixture_quizzes_load_into_immutable_objects():
    library = load_library(FIXTURE)
    assert library.errors == () and library.warnings == ()
    quizzes = quizzes_of(library.topic("demo-topic"))
    assert list(quizzes) == ["demo", "one-page"]
    demo = quizzes["demo"]
    assert [q.kind for q in demo.questions] == [
        "single", "multiple", "true_false", "numeric", "ordering", "spot_the_footgun",
    ]  # fmt: skip
    assert demo.mode == "one_at_a_time" and demo.pass_mark == 0.5 and demo.shuffle
    assert demo.url == "/topics/demo-topic/quizzes/demo/" and len(demo.content_hash) == 16
    single = demo.question("q-single")
    assert single.learn.url == "/topics/demo-topic/footguns/#forgot-the-limit"
    assert single.learn.label == "Footgun: Forgot the Limit"
    assert (single.footgun, single.primer) == ("forgot-the-limit", "limits")
    assert demo.question("q-ordering").learn.url == "/topics/demo-topic/street_ops/#find-the-limit"
    assert demo.question("q-true-false").primer == "retries"
    spot = demo.question("q-spot")
    assert spot.lines == frozenset({3}) and len(spot.snippet_lines) == 4
    assert "Timeout" in spot.snippet_lines[2].html and "<span" in spot.snippet_lines[2].html
    assert 'href="/topics/demo-topic/primer/#limits"' in demo.description_html
    with pytest.raises(AttributeError):
        demo.title = "changed"  # type: ignore[misc]


def test_the_real_course_quizzes_load_clean():
    library = load_library(REAL_CONTENT)
    problems = [str(e) for e in (*library.errors, *library.warnings) if "/quizzes/" in e.path]
    assert problems == []
    assert quizzes_of(library.topic("aws-lambda"))


def test_yaml_errors_and_duplicate_keys_have_a_line(pack):
    errors, _, _ = load_with(pack, "broken.yaml", "title: x\ntitle: y\n")
    assert "demo-topic/quizzes/broken.yaml:2: duplicate key 'title'" in errors


QUIZ_WITH_PROBLEMS = """
title: Problems
mode: sideways
pass_mark: 2
questions:
  - id: Bad Id
    kind: single
    prompt: p
    explanation: e
    learn: footgun:no-such-footgun
    choices:
      - id: a
        text: A
      - id: b
        text: B
  - id: q-two
    kind: multiple
    prompt: p
    explanation: e
    learn: primer:limits
    choices:
      - id: a
        text: A
        correct: true
      - id: a
        text: again
        correct: true
  - id: q-two
    kind: true_false
    prompt: p [[primer:nowhere]]
    explanation: e
    learn: somewhere
    answer: maybe
  - id: q-num
    kind: numeric
    prompt: p
    explanation: e
    learn: street_ops:find-the-limit
    answer: lots
  - id: q-num-tol
    kind: numeric
    prompt: p
    explanation: e
    learn: primer:limits
    answer: 5
    tolerance: about
  - id: q-order
    kind: ordering
    prompt: p
    explanation: e
    learn: primer:limits
    items:
      - id: only
        text: one
  - id: q-spot
    kind: spot_the_footgun
    prompt: p
    explanation: e
    learn: primer:limits
    language: cobol
    snippet: |
      a: 1
      b: 2
    lines: [3, 1, 1]
  - id: q-kind
    kind: essay
  - id: q-extra
    kind: true_false
    prompt: p
    explanation: e
    learn: primer:limits
    answer: true
    choices: []
"""


def test_every_validation_error_names_file_and_line(pack):
    errors, warnings, _ = load_with(pack, "problems.yaml", QUIZ_WITH_PROBLEMS)
    path = "demo-topic/quizzes/problems.yaml"
    expected = [
        f"{path}:2: 'mode' must be one of one_at_a_time, one_page",
        f"{path}:3: 'pass_mark' must be a number from 0 to 1",
        f"{path}:5: question id 'Bad Id' is not slug-like",
        f"{path}:9: 'learn' target footgun:no-such-footgun does not exist",
        f"{path}:10: a single-choice question needs exactly one correct choice (found 0)",
        f"{path}:24: choice id 'a' repeats (first at line 21)",
        f"{path}:27: question id 'q-two' repeats (first at line 15)",
        f"{path}:29: cross reference [[primer:nowhere]] has no target",
        f"{path}:31: 'learn' must be footgun:<slug>, primer:<anchor> or street_ops:<anchor>",
        f"{path}:32: 'answer' must be true or false",
        f"{path}:38: 'answer' must be a number",
        f"{path}:45: 'tolerance' must be a number ≥ 0 or a percentage like 5%",
        f"{path}:51: 'items' must list at least two steps, in the right order",
        f"{path}:59: 'language' must be one of yaml, hcl, json, python",
        f"{path}:63: line 3 is outside the snippet (1–2)",
        f"{path}:63: line 1 is listed twice",
        f"{path}:65: 'kind' must be one of single, multiple, true_false, numeric, ordering, spot_the_footgun",
        f"{path}:72: 'choices' is not used by a true_false question",
    ]
    for message in expected:
        assert any(e.startswith(message) for e in errors), (message, errors)
    assert f"{path}:11: wrong choice 'a' has no 'feedback' explaining why it is wrong" in warnings


def test_a_wrong_choice_without_feedback_is_a_warning_not_an_error(pack):
    errors, warnings, library = load_with(
        pack,
        "warn.yaml",
        """
        title: Warn
        questions:
          - id: q
            kind: single
            prompt: p
            explanation: e
            learn: primer:retries
            choices:
              - id: a
                text: A
                correct: true
              - id: b
                text: B
        """,
    )
    assert errors == []
    assert warnings == [
        "demo-topic/quizzes/warn.yaml:12: wrong choice 'b' has no 'feedback' explaining why it is wrong"
    ]
    assert "warn" in quizzes_of(library.topic("demo-topic"))


def test_file_names_and_stray_files(pack):
    (pack / "demo-topic" / "quizzes" / "notes.txt").write_text("x")
    errors, warnings, _ = load_with(pack, "Bad_Name.yaml", "title: x\nquestions: []\n")
    assert any("Bad_Name.yaml:1: quiz file name" in e for e in errors)
    assert any("notes.txt:1: unexpected file" in w for w in warnings)


def test_empty_questions_and_non_mapping_files(pack):
    errors, _, _ = load_with(pack, "empty.yaml", "title: x\nquestions: []\n")
    assert "demo-topic/quizzes/empty.yaml:2: 'questions' must be a non-empty list" in errors
    errors, _, _ = load_with(pack, "list.yaml", "- a\n- b\n")
    assert any(e.startswith("demo-topic/quizzes/list.yaml:1: a quiz file must be a mapping") for e in errors)


def test_manage_py_check_reports_quiz_errors(pack, settings):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    from courseware.topics import library

    (pack / "demo-topic" / "quizzes" / "bad.yaml").write_text("title: x\nmode: nope\nquestions: []\n")
    settings.CONTENT_DIR = pack
    library.clear()
    try:
        with pytest.raises(SystemCheckError) as caught:
            call_command("check", "--tag", "content")
    finally:
        library.clear()
    assert "demo-topic/quizzes/bad.yaml:2: 'mode' must be one of" in str(caught.value)
