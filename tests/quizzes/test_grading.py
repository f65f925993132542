from __future__ import annotations

from decimal import Decimal

import pytest

from courseware.quizzes.content import Choice, Item, Learn, NumericKey, Question, SnippetLine
from courseware.quizzes.grading import (
    Grade,
    InvalidAnswer,
    describe_key,
    describe_response,
    display_order,
    grade,
    ordering_move,
    parse_answer,
    parse_number,
)

LEARN = Learn(kind="primer", target="limits", url="/topics/t/primer/#limits", title="Limits")


def question(kind: str, **fields) -> Question:
    return Question(id="q", kind=kind, number=1, prompt_html="", explanation_html="", learn=LEARN, **fields)


SINGLE = question(
    "single",
    choices=(
        Choice("a", "A", correct=True),
        Choice("b", "B", feedback_html="not B"),
        Choice("c", "C"),
    ),
)
MULTIPLE = question(
    "multiple",
    choices=(
        Choice("a", "A", correct=True),
        Choice("b", "B", correct=True),
        Choice("c", "C", feedback_html="not C"),
        Choice("d", "D"),
    ),
)
TRUE_FALSE = question("true_false", answer=False, feedback_html="think again")
NUMERIC = question("numeric", numeric=NumericKey(Decimal("1769"), Decimal("0"), False, "MB"))
RELATIVE = question("numeric", numeric=NumericKey(Decimal("200"), Decimal("5"), True, ""))
ABSOLUTE = question("numeric", numeric=NumericKey(Decimal("0.3"), Decimal("0.05"), False, "s"))
ORDERING = question("ordering", items=(Item("one", "1"), Item("two", "2"), Item("three", "3"), Item("four", "4")))
SPOT = question(
    "spot_the_footgun",
    snippet_lines=tuple(SnippetLine(n, f"line {n}") for n in range(1, 7)),
    lines=frozenset({2, 5}),
    feedback_html="look again",
)


# single


def test_single_right_and_wrong_with_per_choice_feedback():
    assert grade(SINGLE, {"choice": "a"}) == Grade(True, 1.0)
    assert grade(SINGLE, {"choice": "b"}) == Grade(False, 0.0, ("not B",))
    assert grade(SINGLE, {"choice": "c"}) == Grade(False, 0.0)


@pytest.mark.parametrize("response", [{}, {"choice": None}, {"choice": "zzz"}, {"choice": ["a"]}, {"choices": ["a"]}])
def test_single_grades_empty_unknown_or_malformed_responses_wrong(response):
    assert grade(SINGLE, response) == Grade(False, 0.0)


def test_grade_never_raises_on_garbage():
    for q in (SINGLE, MULTIPLE, TRUE_FALSE, NUMERIC, ORDERING, SPOT):
        for response in ({}, {"choice": 1}, {"choices": "ab"}, {"value": "true"}, {"order": "x"}, {"lines": [True]}):
            result = grade(q, response)
            assert 0.0 <= result.score <= 1.0
        assert grade(q, None).score == 0.0  # type: ignore[arg-type]


def test_parse_single():
    assert parse_answer(SINGLE, {"choice": ["a"]}) == {"choice": "a"}
    with pytest.raises(InvalidAnswer, match="Choose an answer"):
        parse_answer(SINGLE, {})
    with pytest.raises(InvalidAnswer, match="Choose an answer"):
        parse_answer(SINGLE, {"choice": ["  "]})
    with pytest.raises(InvalidAnswer, match="not part of this question"):
        parse_answer(SINGLE, {"choice": ["x"]})
    with pytest.raises(InvalidAnswer, match="Only one answer"):
        parse_answer(SINGLE, {"choice": ["a", "b"]})


# multiple: max(0, (right - wrong) / correct)


@pytest.mark.parametrize(
    ("picked", "score", "correct"),
    [
        (["a", "b"], 1.0, True),
        (["a"], 0.5, False),
        (["a", "c"], 0.0, False),
        (["a", "b", "c"], 0.5, False),
        (["c", "d"], 0.0, False),
        (["a", "b", "c", "d"], 0.0, False),
        ([], 0.0, False),
    ],
)
def test_multiple_partial_credit(picked, score, correct):
    result = grade(MULTIPLE, {"choices": picked})
    assert (result.score, result.correct) == (score, correct)


def test_multiple_feedback_for_each_wrong_pick_and_unknown_ids_count_as_wrong():
    assert grade(MULTIPLE, {"choices": ["a", "c"]}).feedback == ("not C",)
    assert grade(MULTIPLE, {"choices": ["a", "b", "forged"]}).score == 0.5


def test_parse_multiple_deduplicates_and_sorts_and_refuses_tampering():
    assert parse_answer(MULTIPLE, {"choice": ["b", "a", "b"]}) == {"choices": ["a", "b"]}
    with pytest.raises(InvalidAnswer, match="at least one"):
        parse_answer(MULTIPLE, {"choice": []})
    with pytest.raises(InvalidAnswer, match="not part of this question"):
        parse_answer(MULTIPLE, {"choice": ["a", "evil"]})
    with pytest.raises(InvalidAnswer, match="Too many"):
        parse_answer(MULTIPLE, {"choice": ["a"] * 500})
    with pytest.raises(InvalidAnswer, match="too long"):
        parse_answer(MULTIPLE, {"choice": ["a" * 1000]})


# true / false


def test_true_false():
    assert parse_answer(TRUE_FALSE, {"value": ["false"]}) == {"value": False}
    assert grade(TRUE_FALSE, {"value": False}).correct
    assert grade(TRUE_FALSE, {"value": True}) == Grade(False, 0.0, ("think again",))
    assert not grade(TRUE_FALSE, {"value": "false"}).correct  # a string is not a stored answer
    with pytest.raises(InvalidAnswer):
        parse_answer(TRUE_FALSE, {"value": ["False!"]})
    with pytest.raises(InvalidAnswer):
        parse_answer(TRUE_FALSE, {})


# numeric


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("1769", "1769", ""),
        ("  1769  ", "1769", ""),
        ("1,769", "1769", ""),
        ("1,769,000", "1769000", ""),
        ("1769 MB", "1769", "MB"),
        ("1769MB", "1769", "MB"),
        ("1.769e3", "1.769E+3", ""),
        ("1.769E3 mb", "1.769E+3", "mb"),
        ("-2.5", "-2.5", ""),
        ("+.5", "0.5", ""),
        ("30 GB-s", "30", "GB-s"),
    ],
)
def test_parse_number_accepts_common_spellings(text, value, unit):
    number, typed_unit = parse_number(text)
    assert number == Decimal(value) and typed_unit == unit


@pytest.mark.parametrize(
    "text", ["", "lots", "1 769", "12,34", "1.2.3", "NaN", "inf", "Infinity", "1e99999", "0x10", "1769 M B", "9" * 41]
)
def test_parse_number_refuses_what_is_not_a_number(text):
    with pytest.raises(InvalidAnswer):
        parse_number(text)


def test_a_decimal_comma_gets_a_specific_hint():
    with pytest.raises(InvalidAnswer, match="use a dot for decimals"):
        parse_number("1,5")


@pytest.mark.parametrize(
    ("text", "correct"),
    [("1769", True), ("1,769 MB", True), ("1769 mb", True), ("1.769e3", True), ("1770", False), ("1768.9", False)],
)
def test_numeric_exact(text, correct):
    assert grade(NUMERIC, parse_answer(NUMERIC, {"value": [text]})).correct is correct


def test_numeric_with_a_different_unit_is_wrong_and_says_why():
    result = grade(NUMERIC, parse_answer(NUMERIC, {"value": ["1769 GB"]}))
    assert not result.correct and "in MB" in result.feedback[0]
    assert "&lt;" in grade(NUMERIC, {"value": "1769", "unit": "<b>"}).feedback[0]


@pytest.mark.parametrize(("text", "correct"), [("190", True), ("210", True), ("189.9", False), ("210.1", False)])
def test_numeric_relative_tolerance(text, correct):
    assert grade(RELATIVE, parse_answer(RELATIVE, {"value": [text]})).correct is correct


@pytest.mark.parametrize(("text", "correct"), [("0.25", True), ("0.35 s", True), ("0.249", False), ("0.36", False)])
def test_numeric_absolute_tolerance_is_exact_at_the_edges(text, correct):
    # Decimal arithmetic: 0.3 + 0.05 is exactly 0.35, where floats would say 0.35 > 0.35000000000000003.
    assert grade(ABSOLUTE, parse_answer(ABSOLUTE, {"value": [text]})).correct is correct


def test_numeric_stored_garbage_is_wrong():
    assert not grade(NUMERIC, {"value": "abc"}).correct
    assert not grade(NUMERIC, {"value": "NaN"}).correct


# ordering: share of items in the right position


def test_ordering_scores_items_in_place():
    assert grade(ORDERING, {"order": ["one", "two", "three", "four"]}) == Grade(True, 1.0)
    assert grade(ORDERING, {"order": ["one", "two", "four", "three"]}).score == 0.5
    assert grade(ORDERING, {"order": ["four", "three", "two", "one"]}).score == 0.0
    assert grade(ORDERING, {"order": ["one", "two"]}).score == 0.5
    assert not grade(ORDERING, {"order": ["one", "two", "three", "four", "five"]}).correct


def test_parse_ordering_from_positions():
    form = {"pos-one": ["2"], "pos-two": ["1"], "pos-three": ["3"], "pos-four": ["4"]}
    assert parse_answer(ORDERING, form) == {"order": ["two", "one", "three", "four"]}
    for bad in ({**form, "pos-two": ["2"]}, {**form, "pos-two": ["0"]}, {**form, "pos-two": ["x"]}):
        with pytest.raises(InvalidAnswer):
            parse_answer(ORDERING, bad)
    with pytest.raises(InvalidAnswer, match="every step"):
        parse_answer(ORDERING, {"pos-one": ["1"]})


def test_parse_ordering_from_the_order_shown():
    assert parse_answer(ORDERING, {"order": ["two", "one", "three", "four"]}) == {
        "order": ["two", "one", "three", "four"]
    }
    for bad in (["one", "two", "three"], ["one", "one", "three", "four"], ["one", "two", "three", "five"]):
        with pytest.raises(InvalidAnswer, match="do not match"):
            parse_answer(ORDERING, {"order": bad})


def test_a_move_swaps_an_item_with_its_neighbour_and_says_which_button_to_focus():
    shown = ["three", "one", "four", "two"]
    assert ordering_move(ORDERING, {"order": shown, "move": ["up:one"]}) == (
        ("one", "three", "four", "two"),
        "down:one",  # "one" reached the top: its Move up is disabled, so focus goes to Move down
    )
    assert ordering_move(ORDERING, {"order": shown, "move": ["down:one"]}) == (
        ("three", "four", "one", "two"),
        "down:one",
    )
    assert ordering_move(ORDERING, {"order": shown, "move": ["down:two"]}) == (tuple(shown), "up:two")
    for bad in (
        {"order": shown, "move": ["sideways:one"]},
        {"order": shown, "move": ["up:five"]},
        {"order": shown[:3], "move": ["up:one"]},
        {"order": shown},
    ):
        with pytest.raises(InvalidAnswer):
            ordering_move(ORDERING, bad)


# spot the footgun


def test_spot_the_footgun_scores_lines():
    assert grade(SPOT, {"lines": [2, 5]}) == Grade(True, 1.0)
    assert grade(SPOT, {"lines": [2]}) == Grade(False, 0.5, ("look again",))
    assert grade(SPOT, {"lines": [2, 3]}).score == 0.0
    assert grade(SPOT, {"lines": [1, 3, 4]}).score == 0.0
    assert grade(SPOT, {"lines": [2, 5, 6]}).score == 0.5
    assert grade(SPOT, {"lines": []}).score == 0.0


def test_parse_spot_lines():
    assert parse_answer(SPOT, {"line": ["5", "2", "5"]}) == {"lines": [2, 5]}
    for bad in (["0"], ["7"], ["-1"], ["2.0"], ["two"]):
        with pytest.raises(InvalidAnswer, match="Lines go from 1 to 6"):
            parse_answer(SPOT, {"line": bad})
    with pytest.raises(InvalidAnswer, match="at least one line"):
        parse_answer(SPOT, {})


# display order and descriptions


def test_display_order_is_stable_per_seed_and_differs_between_seeds():
    assert display_order(MULTIPLE, 42) == display_order(MULTIPLE, 42)
    orders = {display_order(MULTIPLE, seed) for seed in range(50)}
    assert len(orders) > 1
    assert all(sorted(o) == ["a", "b", "c", "d"] for o in orders)
    assert display_order(MULTIPLE, 42, shuffle=False) == ("a", "b", "c", "d")


def test_ordering_items_are_always_shuffled_never_in_the_right_order():
    for seed in range(200):
        order = display_order(ORDERING, seed, shuffle=False)
        assert sorted(order) == sorted(["one", "two", "three", "four"])
        assert order != ("one", "two", "three", "four")


def test_describe_response_and_key():
    assert describe_response(MULTIPLE, {"choices": ["b", "a"]}) == ["A", "B"]
    assert describe_key(MULTIPLE) == ["A", "B"]
    assert describe_key(NUMERIC) == ["1,769 MB"]
    assert describe_key(RELATIVE) == ["200 (± 5%)"]
    assert describe_key(SPOT) == ["Line 2", "Line 5"]
    assert describe_response(NUMERIC, {"text": "<script>", "value": "1"}) == ["&lt;script&gt;"]
    assert describe_response(TRUE_FALSE, {"value": True}) == ["True"]


def test_grading_scheduling_and_cards_are_pure_python():
    import subprocess
    import sys

    code = (
        "import sys; import courseware.quizzes.grading, courseware.quizzes.scheduling, courseware.quizzes.cards; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("raw", ["²", "①", "9" * 5000, "", " 1"])
def test_positions_and_lines_that_only_look_like_numbers_are_invalid_answers(raw):
    from courseware.quizzes.grading import small_number

    assert not small_number(raw)
